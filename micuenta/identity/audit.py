"""What the account's services record in the audit trail (`core.audit`): changes of a person's data and of an
account's status. Sign-ins, sign-outs and look-ups are not changes: they stay in the security history only."""

from __future__ import annotations

from micuenta.core.audit import AuditAction


class IdentityAction(AuditAction):
    ACCOUNT_CREATED = "cuenta.creada"
    EMAIL_CHANGED = "cuenta.correo_cambiado"
    MOBILE_CHANGED = "cuenta.celular_cambiado"
    PASSWORD_CHANGED = "cuenta.contrasena_cambiada"  # noqa: S105 - an action's name, not a password
    ACCOUNT_DELETED = "cuenta.borrada"
    SECURITY_LOCKED = "cuenta.bloqueada"
    UNLOCKED = "cuenta.desbloqueada"
