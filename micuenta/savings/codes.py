"""The savings domain's error codes and audited actions (docs/architecture.md, "The service contract")."""

from __future__ import annotations

from micuenta.core.audit import AuditAction
from micuenta.core.errors import ApplicationError, ErrorCode


class SavingsAction(AuditAction):
    SUBACCOUNT_OPENED = "ahorro.subcuenta_abierta"
    YIELDS_CREDITED = "ahorro.rendimientos_abonados"


class YieldCode(ErrorCode):
    INVALID_MODE = "rendimientos_modo_invalido"
    NO_RATE = "rendimientos_sin_tasa"


class YieldError(ApplicationError):
    """A refusal of the yields' crediting."""
