"""What the people domain records in the audit trail (`core.audit`)."""

from __future__ import annotations

from micuenta.core.audit import AuditAction


class PeopleAction(AuditAction):
    FIRST_CONTRIBUTION_SET = "derechohabiente.primera_cotizacion"
    IDENTITY_CORRECTED = "derechohabiente.datos_corregidos"
