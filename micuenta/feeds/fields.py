"""Parsing the fields of a feed line. Each parser returns the value or raises LineError with a Spanish reason."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from micuenta.core.errors import ApplicationError, ErrorCode
from micuenta.core.identifiers import validate_nss, validate_registro_patronal
from micuenta.feeds.errors import LineCode

# ASCII digits only: `\d` would let other scripts' digits through, and Decimal and int accept them.
_AMOUNT_RE = re.compile(r"([0-9]+)\.([0-9]{2})")
_AMOUNT_SHAPE_RE = re.compile(r"[0-9]+(\.[0-9]?)?")
# The IMSS began on 19 January 1943 (Ley del Seguro Social of 1943): no movement or payment of these feeds is older.
EARLIEST_DAY = date(1943, 1, 19)
_INT_RE = re.compile(r"[0-9]{1,6}")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class LineError(ApplicationError):
    """Why a line is quarantined: a stable code of its feed's enum and a Spanish reason that says what to correct."""

    def __init__(self, code: ErrorCode, reason: str) -> None:
        super().__init__(code, reason)

    @property
    def reason(self) -> str:
        return self.message


def nss(value: str) -> str:
    if not value:
        raise LineError(LineCode.NSS_MISSING, "Falta el NSS del trabajador.")
    try:
        return validate_nss(value)
    except ValidationError:
        raise LineError(
            LineCode.NSS_INVALID, "El NSS no es válido (11 dígitos con su dígito verificador); corrígelo con el patrón."
        ) from None


def registro_patronal(value: str) -> str:
    if not value:
        raise LineError(LineCode.EMPLOYER_MISSING, "Falta el registro patronal.")
    try:
        return validate_registro_patronal(value)
    except ValidationError:
        raise LineError(
            LineCode.EMPLOYER_INVALID,
            "El registro patronal no tiene el formato del IMSS: 11 caracteres, una letra o un número y 10 números.",
        ) from None


def day(value: str, column: str, *, today: date) -> date:
    if not _DATE_RE.fullmatch(value):
        raise LineError(
            LineCode.DATE_INVALID, f"La columna {column} debe ser una fecha AAAA-MM-DD (por ejemplo 2025-07-17)."
        )
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise LineError(LineCode.DATE_INVALID, f"La fecha de {column} ({value}) no existe en el calendario.") from None
    if parsed < EARLIEST_DAY:
        raise LineError(
            LineCode.DATE_INVALID,
            f"La fecha de {column} ({value}) es anterior a 1943, cuando no existían ni el IMSS ni el Infonavit; "
            "revísala con quien envió el archivo.",
        )
    if parsed > today:
        raise LineError(LineCode.DATE_IN_FUTURE, f"La fecha de {column} ({value}) es posterior a hoy.")
    return parsed


def amount(value: str, column: str, *, positive: bool = False, integer_digits: int = 12) -> Decimal:
    """Pesos with a decimal point and exactly two decimals, no thousands separator, sign or surrounding space.

    `integer_digits` is what the column holds (a daily SBC is NUMERIC(10,2): 8 digits before the point).
    """
    match = _AMOUNT_RE.fullmatch(value)
    if not match and _AMOUNT_SHAPE_RE.fullmatch(value):
        raise LineError(
            LineCode.AMOUNT_NOT_TWO_DECIMALS,
            f"La columna {column} ({value}) debe llevar punto decimal y dos decimales, aunque sean ceros (por ejemplo "
            f"{value.split('.')[0] or '0'}.00); sin ellos no se sabe si son pesos o centavos: revísalo con quien "
            "envió el archivo.",
        )
    if not match:
        raise LineError(
            LineCode.AMOUNT_INVALID,
            f"La columna {column} debe ser un importe en pesos con punto decimal y hasta dos decimales, sin comas "
            "ni signo (por ejemplo 1475.50).",
        )
    if len(match.group(1).lstrip("0")) > integer_digits:
        raise LineError(
            LineCode.AMOUNT_TOO_LARGE,
            f"El importe de la columna {column} ({value}) es mayor que cualquier valor posible; revísalo con quien "
            "envió el archivo.",
        )
    try:
        parsed = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        raise LineError(LineCode.AMOUNT_INVALID, f"La columna {column} no es un importe.") from None
    if positive and parsed <= 0:
        raise LineError(LineCode.AMOUNT_INVALID, f"La columna {column} debe ser mayor que cero.")
    return parsed


def integer(value: str, column: str) -> int:
    if not _INT_RE.fullmatch(value):
        raise LineError(LineCode.NUMBER_INVALID, f"La columna {column} debe ser un número entero sin decimales.")
    return int(value)
