"""Refusals of the account's services: a stable code for programs and tests, a Spanish message for the person."""

from __future__ import annotations

from micuenta.core.errors import ApplicationError, ErrorCode


class IdentityCode(ErrorCode):
    # Confirmation codes
    CODE_MISSING = "codigo_no_solicitado"
    CODE_LOCKED = "codigo_bloqueado"  # too many wrong tries: no code of this kind today
    CODE_USED = "codigo_usado"
    CODE_EXPIRED = "codigo_vencido"
    CODE_WRONG = "codigo_incorrecto"
    CODE_RESEND_TOO_SOON = "codigo_reenvio_en_espera"
    CODE_DAILY_CAP = "codigo_limite_diario"
    # Registration
    REGISTRATION_INCOMPLETE = "registro_incompleto"  # a step is missing (a contact not confirmed)
    ACCOUNT_TAKEN = "cuenta_ya_existe"  # meanwhile an account took the worker or the e-mail
    # Contact data, "No fui yo", deletion
    CONTACT_REFUSED = "contacto_no_valido"  # the new e-mail or mobile cannot be the account's
    ALREADY_REPORTED = "evento_ya_reportado"
    NOT_REPORTABLE = "evento_del_personal"  # what the Institute's staff did on a trámite: nothing to lock for
    DELETION_UNSAFE = "borrado_no_seguro"  # locked, or a second factor, or no mobile: only a CESI deletes it


class IdentityError(ApplicationError):
    """A refusal with a message for the person, in Spanish, that says what to do."""


CODE_TOO_MANY_FAILURES = (
    "Escribiste un código incorrecto demasiadas veces y ya no podemos aceptar otro por hoy. Por tu seguridad, "
    "vuelve a intentarlo mañana o acude a un Centro de Servicio Infonavit (CESI) con una identificación oficial."
)
