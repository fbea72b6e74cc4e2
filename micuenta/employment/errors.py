"""Why a line of the IMSS movements file is quarantined (docs/feeds.md, "Quarantine reasons")."""

from __future__ import annotations

from micuenta.core.errors import ErrorCode


class ImssLineCode(ErrorCode):
    """Why a line of the IMSS movements file is quarantined."""

    UNKNOWN_WORKER = "trabajador_desconocido"
    KIND_INVALID = "tipo_invalido"
    DATE_BEFORE_IMSS = "fecha_invalida"
    SBC_MISSING = "sbc_faltante"
    EMPLOYER_WITHOUT_NAME = "patron_sin_razon_social"
    EMPLOYER_RFC_INVALID = "rfc_patron_invalido"
    MOVEMENT_DIFFERS = "movimiento_distinto"
    RELATION_OPEN = "relacion_vigente"
    OVERLAP = "traslape"
    NO_OPEN_RELATION = "sin_relacion_vigente"
    DATE_BEFORE_LAST = "fecha_anterior"
