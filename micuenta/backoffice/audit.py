"""What the CESI's actions record in the audit trail (`core.audit`), beside their own log (`StaffAction`).

The change itself is recorded by the service that makes it (`cuenta.*`, `dos_pasos.*`, with the member of staff
as actor); the CESI's event names the action's row and the identification checked."""

from __future__ import annotations

from micuenta.core.audit import AuditAction


class BackofficeAction(AuditAction):
    UNLOCK = "cesi.cuenta_desbloqueada"
    DELETE_ACCOUNT = "cesi.cuenta_borrada"
    CONTACT_CHANGE = "cesi.contacto_cambiado"
    MFA_RESET = "cesi.dos_pasos_restablecido"
