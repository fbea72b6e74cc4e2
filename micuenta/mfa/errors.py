"""Refusals of the second factor's services: a stable code, and a Spanish message for the person."""

from __future__ import annotations

from micuenta.core.errors import ApplicationError, ErrorCode


class SecondFactorCode(ErrorCode):
    CODE_WRONG = "codigo_incorrecto"
    THROTTLED = "intentos_en_pausa"  # django-otp's growing wait after wrong codes
    WRONG_PASSWORD = "contrasena_incorrecta"  # noqa: S105 - an error code, not a password
    SIGNED_OUT = "sesion_cerrada"  # too many wrong passwords in the session: the view signs the person out
    UNKNOWN_FACTOR = "metodo_desconocido"


class SecondFactorError(ApplicationError):
    """A refusal with a message for the person, in Spanish, that says what to do."""
