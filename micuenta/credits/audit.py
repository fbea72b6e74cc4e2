"""What the credits domain records in the audit trail (`core.audit`): a credit's status, its money."""

from __future__ import annotations

from micuenta.core.audit import AuditAction


class CreditAction(AuditAction):
    STATUS_CHANGED = "credito.estado_cambiado"
    ORIGINATED = "credito.otorgado"
    PAYMENT_APPLIED = "credito.pago_aplicado"
    INSTALMENTS_ISSUED = "credito.mensualidades_emitidas"
