"""Reads of trámites: a person's cases, one case with its steps, the staff queues and their counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import Permission
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from micuenta.identity.models import User
from micuenta.people.models import Worker
from micuenta.tramites.models import Case, CaseDocument, Status
from micuenta.tramites.roles import PERM_SUPERVISE, PERM_WORK

# What the person reads for each status: where the case is, in plain words, and what comes next.
NEXT_STEP = {
    Status.RECIBIDA: "Recibimos tu solicitud. Una persona del Infonavit la revisará antes de la fecha límite.",
    Status.EN_REVISION: "Estamos revisando tu solicitud y tus documentos. Te avisaremos por correo.",
    Status.INFO_REQUERIDA: "Necesitamos más información: lee el mensaje y responde en esta página.",
    Status.POR_CONFIRMAR: "Tu solicitud fue aprobada y una segunda persona la está confirmando.",
    Status.APROBADA: "Listo: tu solicitud fue aprobada y el cambio ya está hecho.",
    Status.RECHAZADA: "No pudimos aprobarla. Lee el motivo; cuando lo corrijas, puedes presentar una nueva.",
    Status.CANCELADA: "Cancelaste esta solicitud. Si lo necesitas, puedes presentar una nueva.",
}
PLAIN_STATUS = {
    Status.RECIBIDA: "Recibida",
    Status.EN_REVISION: "En revisión",
    Status.INFO_REQUERIDA: "Necesitamos más información",
    Status.POR_CONFIRMAR: "Aprobada, en confirmación",
    Status.APROBADA: "Aprobada",
    Status.RECHAZADA: "Rechazada",
    Status.CANCELADA: "Cancelada",
}


def cases_of_worker(worker: Worker) -> QuerySet[Case]:
    return Case.objects.filter(worker=worker).order_by("-submitted_at", "-pk")


def case_for_worker(worker: Worker, folio: str) -> Case | None:
    """The person's own case by folio; None for anyone else's (the view answers 404, as for none)."""
    return Case.objects.filter(worker=worker, folio=folio).first()


def open_cases_of_worker(worker: Worker) -> list[Case]:
    return list(Case.objects.filter(worker=worker, closed_at__isnull=True).order_by("-submitted_at"))


def document_for_worker(worker: Worker, folio: str, document_id: int) -> CaseDocument | None:
    return (
        CaseDocument.objects.select_related("case")
        .filter(case__worker=worker, case__folio=folio, pk=document_id)
        .first()
    )


def case_for_staff(folio: str) -> Case | None:
    return (
        Case.objects.select_related("worker", "assigned_to", "decided_by", "confirmed_by").filter(folio=folio).first()
    )


def document_for_staff(folio: str, document_id: int) -> CaseDocument | None:
    return CaseDocument.objects.select_related("case", "case__worker").filter(case__folio=folio, pk=document_id).first()


@dataclass(frozen=True)
class QueueFilter:
    kind: str = ""
    status: str = ""
    overdue: bool = False
    mine: bool = False
    unassigned: bool = False


def queue(filters: QueueFilter, *, user_id: int | None) -> QuerySet[Case]:
    """The staff queue: oldest due first; the filters of the queue page."""
    rows = Case.objects.select_related("worker", "assigned_to")
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    # Without a status chosen, the queue holds what is still open.
    rows = rows.filter(status=filters.status) if filters.status else rows.filter(closed_at__isnull=True)
    if filters.overdue:
        rows = rows.filter(closed_at__isnull=True, due_on__lt=timezone.localdate())
    if filters.mine:
        rows = rows.filter(assigned_to_id=user_id)
    if filters.unassigned:
        rows = rows.filter(assigned_to__isnull=True)
    return rows.order_by("due_on", "submitted_at", "pk")


def counts_by_status(kind: str = "") -> dict[str, int]:
    rows = Case.objects.filter(kind=kind) if kind else Case.objects.all()
    found = dict(rows.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {status.value: found.get(status.value, 0) for status in Status}


def overdue_count(today: date | None = None) -> int:
    today = today or timezone.localdate()
    return Case.objects.filter(closed_at__isnull=True, due_on__lt=today).count()


def supervisors() -> list[User]:
    """The active members of staff who supervise trámites (directly or through a group)."""
    permission = Permission.objects.filter(codename=PERM_SUPERVISE, content_type__app_label="tramites").first()
    if permission is None:
        return []
    return list(
        User.objects.filter(Q(groups__permissions=permission) | Q(user_permissions=permission) | Q(is_superuser=True))
        .filter(is_active=True, is_staff=True, worker__isnull=True)
        .distinct()
        .order_by("pk")
    )


def assignable_staff() -> list[User]:
    """The active members of staff who work trámites (analysts and supervisors), by name: whom a case may go to."""
    permission = Permission.objects.filter(codename=PERM_WORK, content_type__app_label="tramites").first()
    if permission is None:
        return []
    return list(
        User.objects.filter(Q(groups__permissions=permission) | Q(user_permissions=permission))
        .filter(is_active=True, is_staff=True, worker__isnull=True)
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def open_case_of_kind(worker: Worker, kind: str) -> Case | None:
    return Case.objects.filter(worker=worker, kind=kind, closed_at__isnull=True).first()


# Each step of a case in the person's words (staff are never named to the person).
STEP_WORDS = {
    "presentar": "Presentaste tu solicitud.",
    "tomar": "Una persona del Infonavit empezó a revisarla.",
    "pedir_informacion": "Te pedimos más información.",
    "responder": "Respondiste; volvió a revisión.",
    "aprobar": "Una persona del Infonavit la aprobó; falta que otra la confirme.",
    "confirmar": "Una segunda persona confirmó la aprobación: el cambio quedó hecho.",
    "devolver": "Sigue en revisión.",
    "reasignar": "Otra persona del Infonavit sigue con tu solicitud.",
    "rechazar": "No fue aprobada.",
    "cancelar": "Cancelaste la solicitud.",
}


# The same steps as staff read them, with who acted.
STAFF_STEP_WORDS = {
    "presentar": "Presentada",
    "tomar": "Tomada",
    "pedir_informacion": "Información pedida",
    "responder": "Respondida por la persona",
    "aprobar": "Aprobada (espera confirmación)",
    "confirmar": "Aprobación confirmada",
    "devolver": "Devuelta a revisión",
    "rechazar": "Rechazada",
    "cancelar": "Cancelada por la persona",
    "reasignar": "Reasignada",
}
ACTOR_WORDS = {"persona": "Derechohabiente", "sistema": "Sistema"}


@dataclass(frozen=True)
class Step:
    at: datetime
    words: str
    reason: str


def timeline(case: Case, *, for_staff: bool = False) -> list[Step]:
    """The case's steps, oldest first. The person reads what was asked or why it was refused; staff read every
    reason, with who acted."""
    steps = []
    for event in case.events.select_related("actor_user").all():
        words = STEP_WORDS.get(event.action, event.action)
        shown_reason = event.reason if for_staff or event.action in ("pedir_informacion", "rechazar") else ""
        if for_staff:
            who = event.actor_user.get_full_name() if event.actor_user else ACTOR_WORDS.get(event.actor_kind, "Sistema")
            words = f"{STAFF_STEP_WORDS.get(event.action, event.action)} · {who}"
        steps.append(Step(at=event.at, words=words, reason=shown_reason))
    return steps
