"""What the employment domain records in the audit trail (`core.audit`)."""

from __future__ import annotations

from micuenta.core.audit import AuditAction


class EmploymentAction(AuditAction):
    MOVEMENT_RECORDED = "empleo.movimiento_registrado"
