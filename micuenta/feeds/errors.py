"""Why a whole file is refused, and the quarantine codes every feed shares (docs/feeds.md)."""

from __future__ import annotations

from micuenta.core.errors import ErrorCode


class FeedCode(ErrorCode):
    FILE_MISSING = "archivo_inexistente"
    FILE_NOT_READABLE = "archivo_sin_permiso"
    NOT_UTF8 = "archivo_no_utf8"
    EMPTY = "archivo_vacio"
    COLUMNS_MISSING = "columnas_faltantes"
    COLUMNS_REPEATED = "columnas_repetidas"
    RUN_IN_PROGRESS = "carga_en_proceso"


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
    AMOUNT_NOT_TWO_DECIMALS = "importe_sin_dos_decimales"
    AMOUNT_TOO_LARGE = "importe_excesivo"
