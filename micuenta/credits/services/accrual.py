"""The monthly accrual: issuing each credit's mensualidades, posting their interest and charges to the ledger.

`credits_accrue` (`manage.py accrue_credits --month YYYY-MM`, and every payment for the months before it) works
chunk by chunk, each chunk one database transaction that first locks its credits in primary-key order — the same
locks that `credit_payments_apply` takes — then reads their state, works the months out in memory
(`micuenta.credits.accrual.issue`) and writes mensualidades and postings set-based. Idempotent: a month already
issued is not issued again, whoever issued it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction

from micuenta.core.actors import Actor
from micuenta.core.audit import audit_record
from micuenta.core.db.bulk import insert_rows
from micuenta.core.policies import Timeline
from micuenta.credits.accrual import CreditState, Issued, accrual_due, issue, load_states
from micuenta.credits.allocation import CreditAccounts
from micuenta.credits.audit import CreditAction
from micuenta.credits.models import ChargeRate, UnitUpdate
from micuenta.credits.rules import ZERO, charge_rates, unit_factors
from micuenta.credits.services.accounts import credit_accounts_ensure
from micuenta.credits.services.locks import credits_lock
from micuenta.credits.services.statements import statements_discard
from micuenta.ledger import accounts as codes
from micuenta.ledger.kinds import LedgerKind
from micuenta.ledger.services import AccountRef, Entry, Line, fund_accounts_lock, ledger_post_many_ids

CHUNK = 2000


@dataclass
class AccrualReport:
    credits: int = 0
    instalments: int = 0
    interest: Decimal = ZERO
    charges: Decimal = ZERO
    capital_update: Decimal = ZERO
    unconfirmed_years: set[int] = field(default_factory=set)


def credits_accrue(
    *, actor: Actor, month: date, credit_ids: Iterable[int] | None = None, allow_unconfirmed: bool = False
) -> AccrualReport:
    """Issue every mensualidad not yet issued up to `month` (its first day is used) for these credits (all when
    None). Returns what was charged. Refuses a January of a VSM credit whose factor is not confirmed, unless
    `allow_unconfirmed`."""
    month = month.replace(day=1)
    report = AccrualReport()
    due = accrual_due(credit_ids, month)
    if not due:
        return report
    factors = unit_factors()
    rates = charge_rates()
    for start in range(0, len(due), CHUNK):
        with transaction.atomic():
            locked = credits_lock(due[start : start + CHUNK])
            fund = fund_accounts_lock()
            states = load_states(locked, month)  # read again under the locks: another run may have issued them
            if not states:
                continue
            accounts = credit_accounts_ensure(s.pk for s in states)
            chunk = AccrualReport()
            _accrue_chunk(states, month, accounts, fund, factors, rates, allow_unconfirmed, chunk)
            audit_record(
                actor=actor,
                action=CreditAction.INSTALMENTS_ISSUED,
                subject=("credits.accrual", f"{month:%Y-%m}"),  # a batch: the month it issues
                worker_id=states[0].worker_id if len(states) == 1 else None,
                after={
                    "month": month,
                    "credit_ids": [states[0].pk, states[-1].pk],
                    "credits": chunk.credits,
                    "instalments": chunk.instalments,
                    "interest": chunk.interest,
                    "charges": chunk.charges,
                    "capital_update": chunk.capital_update,
                },
            )
            report.credits += chunk.credits
            report.instalments += chunk.instalments
            report.interest += chunk.interest
            report.charges += chunk.charges
            report.capital_update += chunk.capital_update
            report.unconfirmed_years |= chunk.unconfirmed_years
    return report


def _accrue_chunk(
    states: list[CreditState],
    month: date,
    accounts: dict[int, CreditAccounts],
    fund: dict[str, int],
    factors: dict[int, UnitUpdate],
    rates: Timeline[ChargeRate],
    allow_unconfirmed: bool,
    report: AccrualReport,
) -> None:
    entries: list[Entry] = []
    rows: list[tuple[str | None, int, Issued]] = []
    for s in states:
        acc = accounts[s.pk]
        issued = issue(s, month, factors, rates, allow_unconfirmed, report.unconfirmed_years)
        for i in issued:
            key = f"credito:{s.pk}:devengo:{i.period:%Y-%m}"
            lines = []
            if i.interest:
                lines += [
                    Line(AccountRef(acc.interest), i.interest),
                    Line(AccountRef(fund[codes.INTEREST_INCOME.code]), -i.interest),
                ]
            if i.insurance or i.fees:
                lines.append(Line(AccountRef(acc.charges), i.insurance + i.fees))
            if i.insurance:
                lines.append(Line(AccountRef(fund[codes.INSURANCE_PAYABLE.code]), -i.insurance))
            if i.fees:
                lines.append(Line(AccountRef(fund[codes.FEE_INCOME.code]), -i.fees))
            if i.capital_update:
                lines += [
                    Line(AccountRef(acc.capital), i.capital_update),
                    Line(AccountRef(fund[codes.VSM_UPDATE_INCOME.code]), -i.capital_update),
                ]
            if lines:
                description = f"Mensualidad {i.number}: intereses y cargos de {i.period:%m/%Y}"
                entries.append(Entry(key, description, i.period, tuple(lines), kind=LedgerKind.CREDIT_ACCRUAL))
            rows.append((key if lines else None, s.pk, i))
            report.instalments += 1
            report.interest += i.interest
            report.charges += i.insurance + i.fees
            report.capital_update += i.capital_update
        report.credits += bool(issued)
    txn_ids = ledger_post_many_ids(entries=entries)
    insert_rows(
        "credits_instalment",
        (
            "credit_id", "period", "number", "due_date", "opening_capital", "capital_update", "unit_value",
            "interest", "insurance", "fees", "capital_due", "paid_charges", "paid_interest", "paid_capital",
            "transaction_id",
        ),
        [
            (credit_id, i.period, i.number, i.due_date, i.opening_capital, i.capital_update, i.unit_value,
             i.interest, i.insurance, i.fees, i.capital_due, ZERO, ZERO, ZERO,
             txn_ids.get(key) if key is not None else None)
            for key, credit_id, i in rows
        ],
    )  # fmt: skip
    if rows:
        statements_discard((credit_id, i.period) for _, credit_id, i in rows)
