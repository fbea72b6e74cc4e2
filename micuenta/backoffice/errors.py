"""Refusals of the back office's services: a stable code, and a Spanish message for the member of staff."""

from __future__ import annotations

from micuenta.core.errors import ApplicationError, ErrorCode


class BackofficeCode(ErrorCode):
    FORBIDDEN = "sin_permiso"
    INVALID_DOCUMENT_NUMBER = "identificacion_numero_invalido"
    REASON_TOO_SHORT = "motivo_muy_corto"
    ID_CHECK_REQUIRED = "identificacion_requerida"
    NO_ACCOUNT = "sin_cuenta_en_linea"
    EMAIL_IN_USE = "correo_en_uso"
    NO_CHANGE = "sin_cambios"
    NO_SECOND_FACTOR = "sin_segundo_factor"


class BackofficeError(ApplicationError):
    """A refusal with a message for the member of staff, in Spanish."""
