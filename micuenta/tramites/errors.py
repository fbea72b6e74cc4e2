"""The trámites' refusals: stable codes, Spanish messages that say what to do (docs/architecture.md)."""

from __future__ import annotations

from micuenta.core.errors import ApplicationError, ErrorCode


class TramiteCode(ErrorCode):
    ALREADY_OPEN = "tramite_ya_abierto"
    NOT_ASSIGNED = "tramite_de_otra_persona_del_personal"
    FOUR_EYES = "cuatro_ojos"
    NOTHING_TO_SEND = "respuesta_vacia"
    REASON_MISSING = "motivo_faltante"
    DOCUMENTS_MISSING = "documentos_faltantes"
    CLOSED = "tramite_terminado"
    DECIDED = "tramite_ya_decidido"
    NOT_TAKEN = "tramite_sin_tomar"
    ASSIGNEE_INVALID = "tramite_asignacion_invalida"


class TramiteError(ApplicationError):
    pass


class AlreadyOpen(TramiteError):
    """A case of the same kind is open for this person: `folio` says which."""

    def __init__(self, folio: str) -> None:
        super().__init__(
            TramiteCode.ALREADY_OPEN,
            f"Ya tienes una solicitud de este trámite en curso, con folio {folio}. Síguela ahí; cuando termine "
            "podrás presentar otra.",
            details={"folio": folio},
        )
        self.folio = folio
