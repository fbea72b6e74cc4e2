"""The life of a credit, declared once: which status may follow which, and who may make the change.

Every change of `Credit.status` goes through `CREDIT_STATUS` (micuenta.core.transitions): the row is locked, the
table is checked, the change is written with its audit event. Today the portal itself makes one of them — a
payment that leaves nothing owed pays the credit off (`liquidar`, by the servicing engine); the others are the
steps the fund's staff and processes take (docs/credits.md, "Estados del crédito").
"""

from __future__ import annotations

from micuenta.core.actors import ROLE_STAFF, ROLE_SYSTEM
from micuenta.core.transitions import StateMachine, Transition
from micuenta.credits.audit import CreditAction
from micuenta.credits.models import Credit, CreditStatus

S = CreditStatus

# Statuses in which mensualidades are issued, and in which payments are received.
ACCRUING = (S.VIGENTE, S.EN_COBRANZA, S.FPP)
PAYABLE = (*ACCRUING, S.PRORROGA, S.LIQUIDADO)

CREDIT_STATUS: StateMachine[Credit] = StateMachine(
    model=Credit,
    field="status",
    action=CreditAction.STATUS_CHANGED,
    labels=dict(CreditStatus.choices),
    worker_field="worker_id",
    transitions=(
        Transition(S.EN_TRAMITE, S.VIGENTE, by={ROLE_SYSTEM, ROLE_STAFF}, name="formalizar"),
        Transition(S.EN_TRAMITE, S.CANCELADO, by={ROLE_SYSTEM, ROLE_STAFF}, name="cancelar"),
        Transition(S.VIGENTE, S.PRORROGA, by={ROLE_SYSTEM, ROLE_STAFF}, name="otorgar_prorroga"),
        Transition(S.PRORROGA, S.VIGENTE, by={ROLE_SYSTEM, ROLE_STAFF}, name="terminar_prorroga"),
        Transition(S.VIGENTE, S.FPP, by={ROLE_SYSTEM, ROLE_STAFF}, name="aplicar_fpp"),
        Transition(S.FPP, S.VIGENTE, by={ROLE_SYSTEM, ROLE_STAFF}, name="terminar_fpp"),
        Transition(S.VIGENTE, S.EN_COBRANZA, by={ROLE_SYSTEM, ROLE_STAFF}, name="turnar_a_cobranza"),
        Transition(S.EN_COBRANZA, S.VIGENTE, by={ROLE_SYSTEM, ROLE_STAFF}, name="regularizar"),
        # Nothing left owed: only the servicing engine, applying a payment, pays a credit off.
        Transition((S.VIGENTE, S.PRORROGA, S.FPP, S.EN_COBRANZA), S.LIQUIDADO, by={ROLE_SYSTEM}, name="liquidar"),
    ),
)
