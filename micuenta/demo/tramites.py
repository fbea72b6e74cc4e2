"""Demo trámites: cases of «Corregir mis datos» in every state for the demo people, made through the same
services as a person and the staff would (nothing is written around them, except the back-dating of the overdue
case, below). Loaded once: a person who already has a case keeps their cases and gets no new one."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pikepdf
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from micuenta.core.actors import Actor, ActorKind
from micuenta.core.identifiers import curp_check_digit, rfc_check_digit
from micuenta.identity.models import User
from micuenta.people.models import Worker
from micuenta.tramites.kinds import correccion
from micuenta.tramites.models import Case
from micuenta.tramites.registry import ROLE_ANALYST, ROLE_PERSON, ROLE_SUPERVISOR
from micuenta.tramites.services import (
    Attachment,
    case_approve,
    case_confirm,
    case_file,
    case_reject,
    case_request_information,
    case_take,
    case_withdraw,
    cases_mark_overdue,
    document_download_record,
    due_date,
)

# How long ago the demo's overdue case was filed: past its answer time (20 business days) by about two weeks.
OVERDUE_FILED_DAYS_AGO = 42


def _pdf(title: str) -> SimpleUploadedFile:
    """A one-page PDF standing in for a scanned document (no text of any real person)."""
    document = pikepdf.new()
    document.add_blank_page(page_size=(612, 792))
    document.docinfo["/Title"] = title
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(f"{title}.pdf", buffer.getvalue(), content_type="application/pdf")


def _person(user: User) -> Actor:
    return Actor(kind=ActorKind.PERSON, user_id=user.pk, roles=frozenset({ROLE_PERSON}), job="demo")


def _staff(user: User, *roles: str) -> Actor:
    return Actor(kind=ActorKind.STAFF, user_id=user.pk, roles=frozenset(roles), job="demo")


def _file(user: User, campo: str, new: dict[str, str]) -> Case:
    worker: Worker = user.worker  # type: ignore[assignment]
    old = {name: getattr(worker, name) for name in new}
    files = [Attachment(_pdf(r.label), r.code) for r in correccion.REQUIREMENTS[campo]]
    data: dict[str, Any] = {"campo": campo, "anterior": old, "nuevo": new, "aviso": "", "advertencias": []}
    return case_file(actor=_person(user), worker=worker, kind=correccion.KIND, data=data, attachments=files)


def _name(worker: Worker, **changes: str) -> dict[str, str]:
    """The three parts of the worker's name, with `changes`."""
    names = ("nombre", "primer_apellido", "segundo_apellido")
    return {name: changes.get(name, getattr(worker, name)) for name in names}


def _new_curp(worker: Worker) -> str:
    """The worker's CURP with another homonimia (RENAPO gave them a new one), with its check digit: a valid CURP."""
    first16 = worker.curp[:16]
    homonimia = "1" if worker.curp[16] != "1" else "2"
    return first16 + homonimia + curp_check_digit(first16 + homonimia)


def _new_rfc(worker: Worker) -> str:
    """The worker's RFC with the homoclave the SAT gave them instead of the computed one, with its check digit."""
    first10 = worker.rfc[:10]
    homoclave = "A1" if worker.rfc[10:12] != "A1" else "B2"
    return first10 + homoclave + rfc_check_digit(first10 + homoclave)


def _overdue(user: User) -> None:
    """A CURP correction nobody took, past its due date and marked overdue by the daily task's own function."""
    worker: Worker = user.worker  # type: ignore[assignment]
    case = _file(user, "curp", {"curp": _new_curp(worker)})
    # The demo is loaded today, and a case filed today is not due for 20 business days: to show an overdue one in the
    # queue and in Indicadores, the demo (only the demo: the engine fixes both dates on filing and never moves them)
    # moves this case's filing date back and recomputes its due date from then, as if it had been filed six weeks
    # ago. Its first step in the timeline keeps today's date (steps are append-only). Then `cases_mark_overdue`, what
    # `tramites_overdue` runs every day, marks it and e-mails the supervisors of trámites.
    filed = timezone.now() - timedelta(days=OVERDUE_FILED_DAYS_AGO)
    Case.objects.filter(pk=case.pk).update(
        submitted_at=filed, due_on=due_date(correccion.CODE, timezone.localdate(filed))
    )
    cases_mark_overdue(actor=Actor.system("demo"))


def demo_cases_load(*, people: dict[str, User], analyst: User, supervisor: User) -> int:
    """The demo's cases, one person's at a time (one case of a kind may be open per person, so the closed ones come
    first). Diego: overdue (nobody took it). Ana: más información. Bruno: aprobada and confirmed, the accent of his
    first surname put back in his record, then a new one recibida. Carla: rechazada, then a new one en revisión with
    the demo analyst. Elena: cancelada by her, then aprobada waiting for a supervisor of trámites to confirm it in the
    back office (the demo of four eyes). Returns how many cases were made."""
    made = 0
    analyst_actor = _staff(analyst, ROLE_ANALYST)
    supervisor_actor = _staff(supervisor, ROLE_ANALYST, ROLE_SUPERVISOR)
    plans = {
        "diego.demo@micuenta.test": ("vencida",),  # first: its folio is the oldest, as its filing date
        "ana.demo@micuenta.test": ("info",),
        "bruno.demo@micuenta.test": ("aprobada", "recibida"),
        "carla.demo@micuenta.test": ("rechazada", "en_revision"),
        "elena.demo@micuenta.test": ("cancelada", "por_confirmar"),
    }
    for email, steps in plans.items():
        user = people.get(email)
        if user is None or user.worker_id is None or Case.objects.filter(worker_id=user.worker_id).exists():
            continue
        for plan in steps:
            worker: Worker = Worker.objects.get(pk=user.worker_id)  # as the previous case left it
            user.worker = worker
            if plan == "vencida":
                _overdue(user)
            elif plan == "info":
                case = _file(user, "rfc", {"rfc": _new_rfc(worker)})
                case_take(actor=analyst_actor, case_id=case.pk)
                case_request_information(
                    actor=analyst_actor,
                    case_id=case.pk,
                    text="Tu Constancia de Situación Fiscal no se lee completa. Adjunta una foto donde se vea toda "
                    "la primera hoja, con tu RFC y tu nombre.",
                )
            elif plan == "aprobada":
                # Bruno's record came without the accent of «Cárdenas» (demo.people): the approved correction puts
                # it back, so his record, his account and his documents agree after it.
                case = _file(user, "nombre", _name(worker, primer_apellido="Cárdenas"))
                case_take(actor=analyst_actor, case_id=case.pk)
                document = case.documents.order_by("pk").first()
                if document is not None:  # the analyst reads the papers: the person's Actividad de seguridad says so
                    document_download_record(actor=analyst_actor, document=document)
                case_approve(actor=analyst_actor, case_id=case.pk)
                case_confirm(actor=supervisor_actor, case_id=case.pk)
            elif plan == "recibida":
                _file(user, "nombre", _name(worker, segundo_apellido=(worker.segundo_apellido + "s").strip()))
            elif plan == "rechazada":
                case = _file(user, "nombre", _name(worker, nombre=worker.nombre + " María"))
                case_take(actor=analyst_actor, case_id=case.pk)
                case_reject(
                    actor=analyst_actor,
                    case_id=case.pk,
                    reason="datos_no_coinciden",
                    text="Tu acta de nacimiento dice «Carla Patricia», sin «María». Si tu nombre es otro, adjunta el "
                    "acta que lo muestre.",
                )
            elif plan == "en_revision":
                case = _file(user, "rfc", {"rfc": _new_rfc(worker)})
                case_take(actor=analyst_actor, case_id=case.pk)
            elif plan == "cancelada":
                case = _file(user, "nombre", _name(worker, nombre="María " + worker.nombre))
                case_withdraw(actor=_person(user), case_id=case.pk)
            else:
                case = _file(user, "nombre", _name(worker, segundo_apellido=worker.segundo_apellido + "-Luna"))
                case_take(actor=analyst_actor, case_id=case.pk)
                case_approve(actor=analyst_actor, case_id=case.pk)
            made += 1
    return made
