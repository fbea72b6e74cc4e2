"""«Corregir mis datos»: the worker's name, CURP or RFC, corrected with proofs (docs/tramites.md).

What the fund asks for each change (public sources, docs/sources.md#correccion-de-datos):
- nombre y apellidos: an official identification (INE) and a document with the birth date, the acta de nacimiento
  (Infonavit, infografía Fondo 72-92: https://apiweb.infonavit.org.mx/infografias_02Oct13/fondo1972.html);
- CURP: the Constancia de la CURP from RENAPO and an official identification (CONSAR, catálogo de trámites:
  http://www.consar.gob.mx/gobmx/aplicativo/catsar/Principal/TramiteExt.aspx?idTramite=6);
- RFC: the Constancia de Situación Fiscal from the SAT and an official identification (same sources; «Registro o
  corrección de RFC» in Mi perfil: https://idconline.mx/seguridad-social/2023/10/25/como-corregir-el-rfc-en-linea-y-gratis-con-infonavit).

Approving it changes the worker's record, so it needs four eyes: an analyst approves, a supervisor confirms.
Answer within 20 business days (https://expansion.mx/finanzas-personales/2025/10/28/tramites-infonavit-segun-tu-estatus),
kept as a SlaRule row.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from micuenta.core.actors import Actor
from micuenta.core.transitions import Transition
from micuenta.identity.models import SecurityEventKind, User
from micuenta.identity.selectors import tramite_detail
from micuenta.identity.services.history import security_event_record
from micuenta.people.services import worker_identity_correct
from micuenta.tramites.models import Case, Status
from micuenta.tramites.registry import ROLE_ANALYST, ROLE_PERSON, ROLE_SUPERVISOR, Requirement, TramiteKind, register

CODE = "correccion_datos"
FIELDS = {"nombre": "tu nombre", "curp": "tu CURP", "rfc": "tu RFC"}
FIELD_NAMES = {"nombre": "Nombre y apellidos", "curp": "CURP", "rfc": "RFC"}
# What the person picks first: the field, and what it is for.
CHOICES = (
    ("nombre", "Mi nombre", "Tu nombre o tus apellidos están mal escritos o incompletos."),
    ("curp", "Mi CURP", "La CURP registrada no es la tuya o cambió (RENAPO te dio una nueva)."),
    ("rfc", "Mi RFC", "Tu RFC falta, está incompleto o no coincide con tu Constancia de Situación Fiscal."),
)
NAME_PARTS = (("nombre", "Nombre(s)"), ("primer_apellido", "Primer apellido"), ("segundo_apellido", "Segundo apellido"))

ID_OFICIAL = Requirement(
    "identificacion",
    "Identificación oficial vigente",
    "Tu credencial para votar (INE) o tu pasaporte, por ambos lados.",
)
REQUIREMENTS: dict[str, tuple[Requirement, ...]] = {
    "nombre": (
        ID_OFICIAL,
        Requirement("acta_nacimiento", "Acta de nacimiento", "Con tu nombre completo y tu fecha de nacimiento."),
    ),
    "curp": (
        Requirement("constancia_curp", "Constancia de la CURP", "La que descargas en gob.mx/curp (RENAPO)."),
        ID_OFICIAL,
    ),
    "rfc": (
        Requirement(
            "constancia_fiscal", "Constancia de Situación Fiscal", "La que descargas en el portal del SAT, reciente."
        ),
        ID_OFICIAL,
    ),
}

STAFF = {ROLE_ANALYST, ROLE_SUPERVISOR}
# Its state machine, all of it: from → to, who, and the step's name.
TRANSITIONS: tuple[Transition, ...] = (
    Transition(Status.RECIBIDA, Status.EN_REVISION, by=STAFF, name="tomar"),
    Transition(Status.EN_REVISION, Status.INFO_REQUERIDA, by=STAFF, name="pedir_informacion"),
    Transition(Status.INFO_REQUERIDA, Status.EN_REVISION, by={ROLE_PERSON}, name="responder"),
    Transition(Status.EN_REVISION, Status.POR_CONFIRMAR, by=STAFF, name="aprobar"),
    Transition(Status.EN_REVISION, Status.RECHAZADA, by=STAFF, name="rechazar"),
    Transition(Status.POR_CONFIRMAR, Status.APROBADA, by={ROLE_SUPERVISOR}, name="confirmar"),
    # A supervisor who does not confirm it, or the one who approved it withdrawing the approval.
    Transition(Status.POR_CONFIRMAR, Status.EN_REVISION, by=STAFF, name="devolver"),
    Transition(
        (Status.RECIBIDA, Status.EN_REVISION, Status.INFO_REQUERIDA), Status.CANCELADA, by={ROLE_PERSON},
        name="cancelar",
    ),
)  # fmt: skip


def requirements(case: Case) -> Sequence[Requirement]:
    return REQUIREMENTS.get(str(case.data.get("campo", "")), ())


def describe(case: Case, *, for_staff: bool = False) -> str:
    campo = str(case.data.get("campo", ""))
    if for_staff:
        return f"Corrección de {FIELD_NAMES.get(campo, 'datos').lower() if campo == 'nombre' else campo.upper()}"
    return f"Corregir {FIELDS.get(campo, 'tus datos')}"


def _shown(values: dict[str, str]) -> str:
    return (
        " ".join(v for v in (values.get(k, "") for k, _ in NAME_PARTS) if v)
        if "nombre" in values
        else (next(iter(values.values()), ""))
    )


def details(case: Case, *, for_staff: bool = False) -> list[tuple[str, str]]:
    old = dict(case.data.get("anterior", {}))
    new = dict(case.data.get("nuevo", {}))
    done = case.status == Status.APROBADA
    rows = [("Dato por corregir", FIELD_NAMES.get(str(case.data.get("campo", "")), "—"))]
    rows += [
        ("Como estaba registrado" if done else "Como está registrado", _shown(old)),
        ("Como quedó" if done else "Como debe quedar", _shown(new)),
    ]
    if case.data.get("aviso"):
        rows.append(("Lo que explicó la persona" if for_staff else "Lo que explicaste", str(case.data["aviso"])))
    warnings = [str(w) for w in case.data.get("advertencias", [])]
    if warnings:
        rows.append(
            (
                "Para revisar (la persona confirmó que así lo escribió)" if for_staff else "Confirmaste",
                " ".join(warnings),
            )
        )
    return rows


def apply(actor: Actor, case: Case) -> None:
    """On confirmation: the worker's record changes (people), the account's names follow, and the person's
    security history says so; all in the confirmation's transaction."""
    new = {str(k): str(v) for k, v in dict(case.data.get("nuevo", {})).items()}
    with transaction.atomic():
        worker = worker_identity_correct(actor=actor, worker_id=case.worker_id, changes=new, reference=case.folio)
        user = User.objects.filter(worker=worker).first()
        if user is not None and "nombre" in new:
            user.first_name = worker.nombre
            user.last_name = " ".join(p for p in (worker.primer_apellido, worker.segundo_apellido) if p)
            user.save(update_fields=["first_name", "last_name"])
        what = FIELD_NAMES.get(str(case.data.get("campo", "")), "Tus datos")
        security_event_record(
            actor=actor,
            kind=SecurityEventKind.DATA_CORRECTED,
            user=user,
            worker=worker,
            detail=tramite_detail(f"Dato corregido: {what}", case.folio),
        )


KIND = register(
    TramiteKind(
        code=CODE,
        prefix="COR",
        name="Corregir mis datos",
        summary="Corrige tu nombre, tu CURP o tu RFC si están mal en tu registro, con tus documentos.",
        start_url="tramites:correccion",
        transitions=TRANSITIONS,
        four_eyes=True,
        requirements=requirements,
        describe=describe,
        apply=apply,
        details=details,
    )
)
