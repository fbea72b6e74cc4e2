"""What the savings domain records in the audit trail (`core.audit`)."""

from __future__ import annotations

from micuenta.core.audit import AuditAction


class SavingsAction(AuditAction):
    SUBACCOUNT_OPENED = "ahorro.subcuenta_abierta"
    YIELDS_CREDITED = "ahorro.rendimientos_abonados"
