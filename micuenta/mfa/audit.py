"""What the second factor's services record in the audit trail (`core.audit`). Verifications are not changes (a
wrong code stays in the security history only), except a recovery code used: one fewer is left."""

from __future__ import annotations

from micuenta.core.audit import AuditAction


class SecondFactorAction(AuditAction):
    FACTOR_ADDED = "dos_pasos.metodo_agregado"
    FACTOR_REMOVED = "dos_pasos.metodo_quitado"
    RESET_BY_STAFF = "dos_pasos.restablecido"
    RECOVERY_CODES_GENERATED = "dos_pasos.codigos_generados"
    RECOVERY_CODE_USED = "dos_pasos.codigo_de_recuperacion_usado"
