"""The employment domain's quarantine codes (docs/feeds.md, "Quarantine reasons") and audited actions."""

from __future__ import annotations

from micuenta.core.audit import AuditAction
from micuenta.core.errors import ErrorCode


class EmploymentAction(AuditAction):
    MOVEMENT_RECORDED = "empleo.movimiento_registrado"


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
