"""Writes of trámites: file a case, move it along its state machine, answer, attach, decide, confirm, withdraw
(docs/tramites.md).

Every status change goes through `_move`: the kind's state machine checks it (a Spanish message, nothing changed,
when it is not declared or not this actor's to make), the case is written, a `CaseEvent` row and the audit event
are added and the person is notified through the outbox, all in one database transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from micuenta.core.actors import Actor
from micuenta.core.audit import audit_record
from micuenta.core.calendar import add_business_days
from micuenta.core.folios import folio_next
from micuenta.core.transitions import TransitionRefused
from micuenta.identity.models import SecurityEventKind, User
from micuenta.identity.selectors import tramite_detail
from micuenta.identity.services.history import notify_account, security_event_record
from micuenta.people.models import Worker
from micuenta.tramites.errors import AlreadyOpen, TramiteCode, TramiteError
from micuenta.tramites.models import (
    Case,
    CaseDocument,
    CaseEvent,
    CaseMessage,
    FolioCounter,
    RejectionReason,
    SlaRule,
    Status,
)
from micuenta.tramites.registry import ROLE_SUPERVISOR, TramiteAction, TramiteKind, kind_get
from micuenta.uploads.inspect import CleanFile, upload_count_check, upload_inspect
from micuenta.uploads.scan import upload_scan_or_refuse
from micuenta.uploads.storage import upload_delete, upload_store

MESSAGE_MAX = 2000


@dataclass(frozen=True)
class Attachment:
    """A file the person (or staff) attaches, and the paper it proves (a requirement's code, or "")."""

    file: UploadedFile
    requirement: str = ""


def sla_days(kind: str, day: date) -> tuple[int, str]:
    """The business days to answer a kind filed on `day`, and the rule's source."""
    rule = SlaRule.objects.filter(kind=kind, valid_from__lte=day).order_by("-valid_from").first()
    if rule is None:
        raise TramiteError(
            TramiteCode.REASON_MISSING, "Por ahora no podemos recibir este trámite en línea. Intenta más tarde."
        )
    return rule.business_days, rule.source


def due_date(kind: str, filed: date) -> date:
    """The answer's due date: the kind's business days after the day it was filed (the holidays calendar,
    Monday to Friday except the LFT art. 74 rest days)."""
    days, _source = sla_days(kind, filed)
    return add_business_days(filed, days, banking=False)


def _folio_next(prefix: str, year: int) -> str:
    """The next folio of `prefix` in `year`, in the caller's transaction (core.folios: consecutive, gapless)."""
    return folio_next(FolioCounter, prefix, year)


def _inspected(attachments: Sequence[Attachment], already: int = 0) -> list[tuple[CleanFile, str, str]]:
    """Every file inspected (and scanned, where ClamAV is configured) before anything is written: one refused
    file refuses them all (UploadRefused). Returns each file, the paper it proves and the scan's result."""
    upload_count_check(already + len(attachments))
    checked = []
    for attachment in attachments:
        attachment.file.seek(0)  # a form may have read it already
        clean = upload_inspect(attachment.file)
        checked.append((clean, attachment.requirement, str(upload_scan_or_refuse(clean.content))))
    return checked


def _store(case: Case, files: list[tuple[CleanFile, str, str]], *, by: int | None, stored: list[str]) -> None:
    """Store the files and their rows; `stored` collects the storage names so that a rollback can remove them."""
    for clean, requirement, scan in files:
        name = upload_store(clean, prefix=f"tramites/{case.kind}")
        stored.append(name)
        CaseDocument.objects.create(
            case=case,
            uploaded_by_id=by,
            requirement=requirement,
            name=clean.name,
            content_type=clean.content_type,
            size=clean.size,
            sha256=clean.sha256,
            storage_name=name,
            scan=scan,
        )


def _notify(case: Case, template: str, **context: Any) -> None:
    user = User.objects.filter(worker_id=case.worker_id, is_active=True).first()
    if user is not None:
        kind = kind_get(case.kind)
        notify_account(user, template, {"case": case, "kind": kind, "what": kind.describe(case), **context})


def _event(case: Case, *, actor: Actor, action: str, before: str, reason: str = "") -> None:
    CaseEvent.objects.create(
        case=case,
        action=action,
        from_status=before,
        to_status=case.status,
        actor_kind=str(actor.kind),
        actor_user_id=actor.user_id if actor.is_staff else None,
        reason=reason[:MESSAGE_MAX],
    )


def case_file(
    *, actor: Actor, worker: Worker, kind: TramiteKind, data: dict[str, Any], attachments: Sequence[Attachment]
) -> Case:
    """File a case of `kind` for `worker`: a folio, its due date, its first event, its papers; the person is
    told. Refused with AlreadyOpen (and nothing written) while another case of the kind is open."""
    files = _inspected(attachments)
    open_case = Case.objects.filter(worker=worker, kind=kind.code, closed_at__isnull=True).first()
    if open_case is not None:
        raise AlreadyOpen(open_case.folio)
    stored: list[str] = []
    try:
        with transaction.atomic():
            now = timezone.now()
            today = timezone.localdate(now)
            case = Case.objects.create(
                folio=_folio_next(kind.prefix, today.year),
                kind=kind.code,
                worker=worker,
                status=Status.RECIBIDA,
                data=data,
                submitted_at=now,
                due_on=due_date(kind.code, today),
            )
            _event(case, actor=actor, action="presentar", before="")
            _store(case, files, by=actor.user_id, stored=stored)
            audit_record(
                actor=actor, action=TramiteAction.FILED, subject=case, worker_id=worker.pk,
                after={"folio": case.folio, "kind": kind.code, "documents": len(files)},
            )  # fmt: skip
            _notify(case, "tramite_recibido")
    except IntegrityError:
        _discard(stored)
        open_case = Case.objects.filter(worker=worker, kind=kind.code, closed_at__isnull=True).first()
        if open_case is not None:  # filed a moment ago by a second click or another tab
            raise AlreadyOpen(open_case.folio) from None
        raise
    except BaseException:
        _discard(stored)
        raise
    return case


def _discard(stored: list[str]) -> None:
    for name in stored:
        upload_delete(name)


def _move(
    *,
    actor: Actor,
    case_id: int,
    to: str,
    reason: str = "",
    updates: dict[str, Any] | None = None,
    check: Any = None,
    notify: str = "tramite_estado",
) -> Case:
    """One status change, checked by the kind's machine, with its event, audit and notice, in one transaction."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        kind = kind_get(case.kind)
        before = case.status
        try:
            kind.machine.check(current=before, target=to, actor=actor)
        except TransitionRefused as refused:
            raise _refusal(case, to, actor) or refused from None
        if check is not None:
            check(case)
        fields = dict(updates or {})
        if to in (Status.APROBADA, Status.RECHAZADA, Status.CANCELADA):
            fields["closed_at"] = timezone.now()
        case = kind.machine.transition(actor=actor, pk=case.pk, to=to, reason=reason, updates=fields)
        transition = kind.machine.find(before, to)
        _event(case, actor=actor, action=transition.name if transition else to, before=before, reason=reason)
        if to == Status.APROBADA and kind.apply is not None:
            kind.apply(actor, case)
        if notify:
            _notify(case, notify, reason=reason)
    return case


def _refusal(case: Case, to: str, actor: Actor) -> TramiteError | None:
    """A refused step said for this case: what it is now and what can be done (None: the machine's words)."""
    label = str(Status(case.status).label)
    if case.closed_at is not None:
        if actor.is_staff:
            return TramiteError(TramiteCode.CLOSED, f"Esta solicitud ya terminó: está «{label}» y no se puede cambiar.")
        return TramiteError(
            TramiteCode.CLOSED,
            f"Esta solicitud ya terminó: está «{label}». Si necesitas algo más, puedes presentar una nueva.",
        )
    if not actor.is_staff and case.status == Status.POR_CONFIRMAR:
        return TramiteError(
            TramiteCode.DECIDED,
            "Tu solicitud ya fue aprobada y solo falta que se confirme: ya no puede cancelarse ni cambiarse.",
        )
    if actor.is_staff and case.status == Status.RECIBIDA and to != Status.EN_REVISION:
        return TramiteError(TramiteCode.NOT_TAKEN, "Primero toma la solicitud con «Tomar»: sigue «Recibida».")
    if actor.is_staff and case.status == Status.INFO_REQUERIDA and to != Status.CANCELADA:
        return TramiteError(
            TramiteCode.DECIDED,
            "Esperamos la respuesta de la persona: cuando responda, la solicitud vuelve a revisión.",
        )
    return None


def _owned_by(actor: Actor) -> Any:
    """The person acts only on their own cases (views find them through the person's own list; this holds too)."""

    def check(case: Case) -> None:
        if actor.user_id is None or not User.objects.filter(pk=actor.user_id, worker_id=case.worker_id).exists():
            raise Case.DoesNotExist

    return check


def _assigned_or_supervisor(actor: Actor) -> Any:
    def check(case: Case) -> None:
        if ROLE_SUPERVISOR not in actor.roles and case.assigned_to_id != actor.user_id:
            raise TramiteError(
                TramiteCode.NOT_ASSIGNED,
                "Esta solicitud la atiende otra persona. Tómala solo si te la reasignan.",
            )

    return check


# --- Staff ------------------------------------------------------------------------------------------------


def case_take(*, actor: Actor, case_id: int) -> Case:
    """«Tomar»: the analyst takes a received case; it is now theirs, en revisión."""
    return _move(actor=actor, case_id=case_id, to=Status.EN_REVISION, updates={"assigned_to_id": actor.user_id})


def case_request_information(*, actor: Actor, case_id: int, text: str) -> Case:
    """«Necesitamos más información»: what is missing, said to the person, who answers on the case's page."""
    text = text.strip()
    if not text:
        raise TramiteError(TramiteCode.REASON_MISSING, "Escribe qué información necesitas de la persona.")
    with transaction.atomic():
        case = _move(
            actor=actor, case_id=case_id, to=Status.INFO_REQUERIDA, reason=text, check=_assigned_or_supervisor(actor)
        )
        CaseMessage.objects.create(case=case, author_id=actor.user_id, from_staff=True, text=text[:MESSAGE_MAX])
    return case


def case_approve(*, actor: Actor, case_id: int, note: str = "") -> Case:
    """Approve: with four eyes the case waits for a supervisor's confirmation; without, it is done."""
    kind = kind_get(Case.objects.values_list("kind", flat=True).get(pk=case_id))
    target = Status.POR_CONFIRMAR if kind.four_eyes else Status.APROBADA
    return _move(
        actor=actor,
        case_id=case_id,
        to=target,
        reason=note.strip(),
        updates={"decided_by_id": actor.user_id, "decided_at": timezone.now()},
        check=_assigned_or_supervisor(actor),
    )


def case_confirm(*, actor: Actor, case_id: int) -> Case:
    """The second pair of eyes: a supervisor who did not approve it confirms the approval, which takes effect."""

    def check(case: Case) -> None:
        if case.decided_by_id == actor.user_id or case.decided_by_id is None:
            raise TramiteError(
                TramiteCode.FOUR_EYES,
                "Tú aprobaste esta solicitud: la confirma otra persona del personal, nunca quien la aprobó.",
            )

    return _move(
        actor=actor,
        case_id=case_id,
        to=Status.APROBADA,
        updates={"confirmed_by_id": actor.user_id, "confirmed_at": timezone.now()},
        check=check,
    )


def case_send_back(*, actor: Actor, case_id: int, reason: str) -> Case:
    """Back to en revisión, with why: a supervisor who does not confirm it, or the one who approved it withdrawing
    the approval (so that a case approved by the only supervisor on duty never waits for good)."""
    reason = reason.strip()
    if not reason:
        raise TramiteError(TramiteCode.REASON_MISSING, "Escribe por qué regresas la solicitud a revisión.")

    def check(case: Case) -> None:
        if case.decided_by_id != actor.user_id and ROLE_SUPERVISOR not in actor.roles:
            raise TramiteError(
                TramiteCode.FOUR_EYES,
                "Solo quien la aprobó o una persona con rol de supervisión puede regresarla a revisión.",
            )

    return _move(
        actor=actor,
        case_id=case_id,
        to=Status.EN_REVISION,
        reason=reason,
        updates={"decided_by_id": None, "decided_at": None},
        check=check,
    )


def case_reassign(*, actor: Actor, case_id: int, to_user_id: int) -> Case:
    """A supervisor gives a case in review (or waiting for the person) to another member of staff of trámites.
    The status does not change; the step is in the case's events and the audit trail."""
    from micuenta.tramites.roles import can_work

    if ROLE_SUPERVISOR not in actor.roles:
        raise TramiteError(TramiteCode.NOT_ASSIGNED, "Solo una persona con rol de supervisión reasigna solicitudes.")
    assignee = User.objects.filter(pk=to_user_id).first()
    if assignee is None or not can_work(assignee):
        raise TramiteError(
            TramiteCode.ASSIGNEE_INVALID, "Elige de la lista a una persona del personal que atienda trámites."
        )
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.status not in (Status.EN_REVISION, Status.INFO_REQUERIDA):
            raise TramiteError(
                TramiteCode.DECIDED,
                f"Solo se reasigna una solicitud en revisión o esperando a la persona; esta está "
                f"«{Status(case.status).label}».",
            )
        if case.assigned_to_id == assignee.pk:
            raise TramiteError(TramiteCode.ASSIGNEE_INVALID, "La solicitud ya está a cargo de esa persona.")
        before = case.assigned_to_id
        case.assigned_to = assignee
        case.save(update_fields=["assigned_to"])
        _event(case, actor=actor, action="reasignar", before=case.status, reason=f"A {assignee.get_full_name()}.")
        audit_record(
            actor=actor,
            action=TramiteAction.STATUS_CHANGED,
            subject=case,
            worker_id=case.worker_id,
            before={"assigned_to": before},
            after={"assigned_to": assignee.pk},
            reason="Reasignación",
        )
    return case


def case_reject(*, actor: Actor, case_id: int, reason: str, text: str) -> Case:
    """Reject, with a reason from the catalogue and, in words, what the person should fix."""
    text = text.strip()
    if reason not in RejectionReason.values:
        raise TramiteError(TramiteCode.REASON_MISSING, "Elige el motivo del rechazo de la lista.")
    if not text:
        raise TramiteError(TramiteCode.REASON_MISSING, "Escribe qué debe corregir la persona para volver a intentarlo.")
    label = str(RejectionReason(reason).label)
    return _move(
        actor=actor,
        case_id=case_id,
        to=Status.RECHAZADA,
        reason=f"{label}. {text}",
        updates={
            "rejection_reason": reason,
            "rejection_text": text[:MESSAGE_MAX],
            "decided_by_id": actor.user_id,
            "decided_at": timezone.now(),
        },
        check=_assigned_or_supervisor(actor),
    )


# --- The person ----------------------------------------------------------------------------------------------


def case_withdraw(*, actor: Actor, case_id: int) -> Case:
    """«Cancelar solicitud», while nothing has been decided."""
    return _move(
        actor=actor,
        case_id=case_id,
        to=Status.CANCELADA,
        reason="La persona canceló su solicitud.",
        check=_owned_by(actor),
    )


def case_answer(*, actor: Actor, case_id: int, text: str, attachments: Sequence[Attachment]) -> Case:
    """The person answers «Necesitamos más información» with a message, documents or both; the case goes back
    to its analyst's queue, en revisión."""
    text = text.strip()
    if not text and not attachments:
        raise TramiteError(
            TramiteCode.NOTHING_TO_SEND, "Escribe tu respuesta o adjunta al menos un documento antes de enviar."
        )
    already = CaseDocument.objects.filter(case_id=case_id).count()
    files = _inspected(attachments, already=already)
    stored: list[str] = []
    try:
        with transaction.atomic():
            case = _move(
                actor=actor,
                case_id=case_id,
                to=Status.EN_REVISION,
                reason="La persona respondió.",
                check=_owned_by(actor),
                notify="",
            )
            if text:
                CaseMessage.objects.create(case=case, author_id=actor.user_id, text=text[:MESSAGE_MAX])
            _store(case, files, by=actor.user_id, stored=stored)
    except BaseException:
        _discard(stored)
        raise
    return case


# --- Documents and the system -----------------------------------------------------------------------------


def document_download_record(*, actor: Actor, document: CaseDocument) -> None:
    """A member of staff downloaded a person's document: the audit trail and the person's security history."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=TramiteAction.DOCUMENT_DOWNLOADED,
            subject=document,
            worker_id=document.case.worker_id,
            after={"folio": document.case.folio, "document": document.pk},
        )
        user = User.objects.filter(worker_id=document.case.worker_id).first()
        security_event_record(
            actor=actor,
            kind=SecurityEventKind.DOCUMENT_VIEWED,
            user=user,
            worker=document.case.worker,
            detail=tramite_detail(document.name, document.case.folio),
        )


def cases_mark_overdue(*, actor: Actor, now: datetime | None = None) -> int:
    """Mark the open cases past their due date, once each, and tell the supervisors of trámites once about the
    ones newly overdue. Running it again the same day marks and sends nothing. Returns how many it marked."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        newly = list(
            Case.objects.select_for_update()
            .filter(closed_at__isnull=True, overdue_at__isnull=True, due_on__lt=today)
            .order_by("due_on", "pk")
        )
        if not newly:
            return 0
        Case.objects.filter(pk__in=[c.pk for c in newly]).update(overdue_at=now)
        audit_record(
            actor=actor, action=TramiteAction.STATUS_CHANGED, subject=("tramites.case", 0),
            after={"overdue": [c.folio for c in newly]}, reason="Solicitudes vencidas",
        )  # fmt: skip
        from micuenta.tramites.selectors import supervisors

        for supervisor in supervisors():
            notify_account(supervisor, "tramites_vencidos", {"cases": newly, "today": today})
    return len(newly)
