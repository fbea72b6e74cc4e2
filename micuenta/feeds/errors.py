"""The quarantine codes every feed shares (docs/feeds.md, "Quarantine reasons")."""

from __future__ import annotations

from micuenta.core.errors import ErrorCode


class LineCode(ErrorCode):
    """Why a line of any feed is quarantined: its shape or a field every feed reads the same way."""

    LINE_MALFORMED = "formato_csv"
    FIELDS_INCOMPLETE = "campos_incompletos"
    NSS_MISSING = "nss_faltante"
    NSS_INVALID = "nss_invalido"
    EMPLOYER_MISSING = "registro_patronal_faltante"
    EMPLOYER_INVALID = "registro_patronal_invalido"
    NUMBER_INVALID = "numero_invalido"
    DATE_INVALID = "fecha_invalida"
    DATE_IN_FUTURE = "fecha_futura"
    AMOUNT_INVALID = "importe_invalido"
    AMOUNT_TOO_LARGE = "importe_excesivo"
