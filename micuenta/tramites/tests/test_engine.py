"""The case engine: declared transitions only, four eyes, events with every change, folios, due dates, overdue."""

from __future__ import annotations

import csv
import itertools
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from micuenta.core.actors import ROLE_PERSON, ROLE_SYSTEM, Actor, ActorKind
from micuenta.core.transitions import TransitionRefused
from micuenta.identity.models import SecurityEvent, SecurityEventKind
from micuenta.notifications.models import OutboxMessage
from micuenta.tramites.errors import AlreadyOpen, TramiteError
from micuenta.tramites.kinds import correccion
from micuenta.tramites.models import Case, CaseEvent, Status
from micuenta.tramites.registry import ROLE_ANALYST, ROLE_SUPERVISOR
from micuenta.tramites.services import (
    case_approve,
    case_confirm,
    case_reassign,
    case_reject,
    case_request_information,
    case_send_back,
    case_take,
    case_withdraw,
    cases_mark_overdue,
    due_date,
)
from micuenta.tramites.tests.factories import (
    analyst,
    file_curp_correction,
    person,
    person_actor,
    staff_actor,
    supervisor,
    supervisor_actor,
)

pytestmark = pytest.mark.django_db
HOLIDAYS = Path(__file__).resolve().parents[2] / "core" / "data" / "holidays_mx.csv"


def test_every_transition_not_declared_is_refused_and_changes_nothing():
    declared = {(s, t.target, role) for t in correccion.TRANSITIONS for s in t.sources for role in t.by}
    roles = [ROLE_PERSON, ROLE_ANALYST, ROLE_SUPERVISOR, ROLE_SYSTEM]
    owner = person()
    case = file_curp_correction(owner)
    refused = 0
    for current, target, role in itertools.product(Status.values, Status.values, roles):
        if (current, target, role) in declared:
            continue
        Case.objects.filter(pk=case.pk).update(status=current)
        events = CaseEvent.objects.count()
        actor = Actor(kind=ActorKind.STAFF, user_id=None, roles=frozenset({role}))
        with pytest.raises(TransitionRefused) as error:
            correccion.KIND.machine.transition(actor=actor, pk=case.pk, to=target)
        assert error.value.message.startswith("Ya está «" if current == target else "No ")  # Spanish, for the person
        assert Case.objects.get(pk=case.pk).status == current
        assert CaseEvent.objects.count() == events
        refused += 1
    assert refused == len(Status.values) ** 2 * len(roles) - len(declared)


def test_the_whole_path_writes_one_event_per_step_and_changes_the_record_on_confirmation():
    owner = person()
    worker = owner.worker
    case = file_curp_correction(owner)
    new_curp = case.data["nuevo"]["curp"]
    first, second = analyst(), supervisor()
    case_take(actor=staff_actor(first), case_id=case.pk)
    case_request_information(actor=staff_actor(first), case_id=case.pk, text="Adjunta tu INE por ambos lados.")
    from micuenta.tramites.services import case_answer

    case_answer(actor=person_actor(owner), case_id=case.pk, text="Ya la adjunté.", attachments=[])
    case_approve(actor=staff_actor(first), case_id=case.pk)
    worker.refresh_from_db()
    assert worker.curp != new_curp  # approved, not yet confirmed: nothing changes
    case_confirm(actor=supervisor_actor(second), case_id=case.pk)
    worker.refresh_from_db()
    assert worker.curp == new_curp
    case.refresh_from_db()
    assert case.status == Status.APROBADA and case.closed_at is not None
    actions = list(case.events.values_list("action", flat=True))
    assert actions == ["presentar", "tomar", "pedir_informacion", "responder", "aprobar", "confirmar"]
    assert worker.corrections.get().old_value == case.data["anterior"]["curp"]
    assert SecurityEvent.objects.filter(worker=worker, kind=SecurityEventKind.DATA_CORRECTED).count() == 1
    templates = list(OutboxMessage.objects.filter(to_address=owner.email).values_list("template", flat=True))
    assert templates.count("tramite_recibido") == 1 and "tramite_estado" in templates


def test_who_approved_never_confirms():
    owner = person()
    case = file_curp_correction(owner)
    boss = supervisor()
    case_take(actor=supervisor_actor(boss), case_id=case.pk)
    case_approve(actor=supervisor_actor(boss), case_id=case.pk)
    with pytest.raises(TramiteError) as error:
        case_confirm(actor=supervisor_actor(boss), case_id=case.pk)
    assert "nunca quien la aprobó" in error.value.message
    case.refresh_from_db()
    assert case.status == Status.POR_CONFIRMAR and case.confirmed_by_id is None
    # And the database refuses it too, whatever a future service does.
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(confirmed_by=boss)


def test_an_analyst_cannot_confirm_and_cannot_decide_someone_elses_case():
    owner = person()
    case = file_curp_correction(owner)
    first, other = analyst(), analyst()
    case_take(actor=staff_actor(first), case_id=case.pk)
    with pytest.raises(TramiteError):
        case_approve(actor=staff_actor(other), case_id=case.pk)
    case_approve(actor=staff_actor(first), case_id=case.pk)
    with pytest.raises(TransitionRefused):
        case_confirm(actor=staff_actor(other), case_id=case.pk)


def test_one_open_case_per_kind_and_a_second_is_refused_with_the_first_folio():
    owner = person()
    case = file_curp_correction(owner)
    with pytest.raises(AlreadyOpen) as error:
        file_curp_correction(owner)
    assert error.value.folio == case.folio and case.folio in error.value.message
    assert Case.objects.count() == 1
    case_withdraw(actor=person_actor(owner), case_id=case.pk)
    assert file_curp_correction(owner).folio != case.folio


def test_the_person_may_withdraw_until_something_is_decided_and_only_their_own():
    owner, stranger = person(), person()
    case = file_curp_correction(owner)
    with pytest.raises(Case.DoesNotExist):
        case_withdraw(actor=person_actor(stranger), case_id=case.pk)
    first = analyst()
    case_take(actor=staff_actor(first), case_id=case.pk)
    case_approve(actor=staff_actor(first), case_id=case.pk)
    with pytest.raises(TramiteError) as refused:
        case_withdraw(actor=person_actor(owner), case_id=case.pk)
    assert refused.value.message.startswith("Tu solicitud ya fue aprobada y solo falta que se confirme")
    assert Case.objects.get(pk=case.pk).status == Status.POR_CONFIRMAR


def test_a_refused_step_says_what_the_case_is_now_and_what_to_do():
    owner = person()
    case = file_curp_correction(owner)
    jorge = analyst()
    with pytest.raises(TramiteError) as not_taken:
        case_approve(actor=staff_actor(jorge), case_id=case.pk)
    assert not_taken.value.message == "Primero toma la solicitud con «Tomar»: sigue «Recibida»."
    case_take(actor=staff_actor(jorge), case_id=case.pk)
    with pytest.raises(TransitionRefused) as again:
        case_take(actor=staff_actor(jorge), case_id=case.pk)
    assert again.value.message.startswith("Ya está «En revisión»: no hay nada que cambiar.")
    case_withdraw(actor=person_actor(owner), case_id=case.pk)
    with pytest.raises(TramiteError) as closed:
        case_withdraw(actor=person_actor(owner), case_id=case.pk)
    assert closed.value.message.startswith("Esta solicitud ya terminó: está «Cancelada».")
    assert CaseEvent.objects.filter(case=case).count() == 3  # presentar, tomar, cancelar


def test_the_one_who_approved_may_withdraw_the_approval_and_a_supervisor_reassigns():
    """With one supervisor on duty, who approved: never stuck. Withdraw, reassign, approve, confirm."""
    owner = person()
    case = file_curp_correction(owner)
    lucia, jorge = supervisor(), analyst()
    case_take(actor=supervisor_actor(lucia), case_id=case.pk)
    case_approve(actor=supervisor_actor(lucia), case_id=case.pk)
    with pytest.raises(TramiteError):
        case_confirm(actor=supervisor_actor(lucia), case_id=case.pk)
    other = analyst()
    with pytest.raises(TramiteError):  # an analyst who did not approve it may not send it back
        case_send_back(actor=staff_actor(other), case_id=case.pk, reason="No me toca.")

    case_send_back(actor=supervisor_actor(lucia), case_id=case.pk, reason="Que la revise alguien más.")
    with pytest.raises(TramiteError):  # reassigning is for supervisors
        case_reassign(actor=staff_actor(jorge), case_id=case.pk, to_user_id=jorge.pk)
    with pytest.raises(TramiteError):  # only to staff of trámites
        case_reassign(actor=supervisor_actor(lucia), case_id=case.pk, to_user_id=owner.pk)
    case_reassign(actor=supervisor_actor(lucia), case_id=case.pk, to_user_id=jorge.pk)
    case_approve(actor=staff_actor(jorge), case_id=case.pk)
    case_confirm(actor=supervisor_actor(lucia), case_id=case.pk)

    case.refresh_from_db()
    assert case.status == Status.APROBADA
    assert (case.decided_by_id, case.confirmed_by_id) == (jorge.pk, lucia.pk)
    steps = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert steps == ["presentar", "tomar", "aprobar", "devolver", "reasignar", "aprobar", "confirmar"]


def test_an_analyst_who_approved_may_withdraw_the_approval_too():
    case = file_curp_correction(person())
    jorge = analyst()
    case_take(actor=staff_actor(jorge), case_id=case.pk)
    case_approve(actor=staff_actor(jorge), case_id=case.pk)
    case_send_back(actor=staff_actor(jorge), case_id=case.pk, reason="Me equivoqué de documento.")
    case.refresh_from_db()
    assert (case.status, case.assigned_to_id, case.decided_by_id) == (Status.EN_REVISION, jorge.pk, None)


def test_a_rejection_needs_a_catalogued_reason_and_words():
    owner = person()
    case = file_curp_correction(owner)
    first = analyst()
    case_take(actor=staff_actor(first), case_id=case.pk)
    with pytest.raises(TramiteError):
        case_reject(actor=staff_actor(first), case_id=case.pk, reason="inventado", text="x")
    with pytest.raises(TramiteError):
        case_reject(actor=staff_actor(first), case_id=case.pk, reason="documento_ilegible", text="  ")
    case_reject(actor=staff_actor(first), case_id=case.pk, reason="documento_ilegible", text="La INE no se lee.")
    case.refresh_from_db()
    assert case.status == Status.RECHAZADA and "La INE no se lee." in case.events.last().reason


def _independent_business_days(start: date, n: int) -> date:
    """Count forward over the holidays file itself: weekdays that are not an LFT art. 74 rest day."""
    with HOLIDAYS.open(encoding="utf-8") as handle:
        rest = {date.fromisoformat(row["date"]) for row in csv.DictReader(handle) if row["kind"] == "ley"}
    day, left = start, n
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in rest:
            left -= 1
    return day


@pytest.mark.parametrize(
    "filed",
    [
        date(2026, 12, 4),
        date(2026, 12, 18),
        date(2026, 3, 13),
        date(2027, 1, 29),
        date(2026, 9, 10),
        date(2026, 11, 13),
    ],
)
def test_due_dates_equal_an_independent_count_over_the_holidays_file(filed):
    from micuenta.tramites.sla import sla_ensure

    sla_ensure()
    assert due_date(correccion.CODE, filed) == _independent_business_days(filed, 20)


def test_the_due_date_of_a_known_case_by_hand():
    from micuenta.tramites.sla import sla_ensure

    sla_ensure()
    # Filed Friday 11 Dec 2026. Weekdays after it: 14–18 Dec (5), 21–24 Dec (4; Friday 25 is a rest day),
    # 28–31 Dec (4; Friday 1 Jan is one too), 4–8 Jan (5): 18; Monday 11 Jan is the 19th, Tuesday 12 Jan the 20th.
    assert due_date(correccion.CODE, date(2026, 12, 11)) == date(2027, 1, 12)


def test_the_overdue_task_run_twice_notifies_once():
    boss = supervisor()
    owner = person()
    case = file_curp_correction(owner)
    Case.objects.filter(pk=case.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    actor = Actor.system("tramites_overdue")
    assert cases_mark_overdue(actor=actor) == 1
    assert cases_mark_overdue(actor=actor) == 0
    sent = OutboxMessage.objects.filter(template="tramites_vencidos")
    assert sent.count() == 1 and sent.get().to_address == boss.email
    assert case.folio in sent.get().body


@pytest.mark.parametrize(
    ("count", "subject", "lines"),
    [
        (1, "1 solicitud de trámite venció su plazo", ("esta solicitud pasó su fecha límite", "Revísala en")),
        (2, "2 solicitudes de trámites vencieron su plazo", ("estas solicitudes pasaron su fecha", "Revísalas en")),
    ],
)
def test_the_overdue_notice_says_one_or_several_in_good_spanish(count, subject, lines):
    supervisor()
    cases = [file_curp_correction(person()) for _ in range(count)]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(due_on=timezone.localdate() - timedelta(days=1))
    assert cases_mark_overdue(actor=Actor.system("tramites_overdue")) == count
    sent = OutboxMessage.objects.get(template="tramites_vencidos")
    assert sent.subject == subject
    for line in lines:
        assert line in sent.body
    assert all(case.folio in sent.body for case in cases)


def test_the_notice_of_a_change_says_what_happened_to_the_request_in_words():
    owner = person()
    case = file_curp_correction(owner)
    first = analyst()
    case_take(actor=staff_actor(first), case_id=case.pk)
    case_request_information(actor=staff_actor(first), case_id=case.pk, text="Adjunta tu INE por ambos lados.")
    taken, notice = OutboxMessage.objects.filter(template="tramite_estado", to_address=owner.email).order_by("pk")
    assert taken.subject == f"Tu solicitud {case.folio}: en revisión"
    assert "está en revisión: una persona del Infonavit la está revisando" in taken.body
    assert notice.subject == f"Tu solicitud {case.folio}: necesitamos más información"
    assert (
        f"Necesitamos más información para resolver tu solicitud «Corregir tu CURP» con folio {case.folio}: "
        "Adjunta tu INE por ambos lados." in notice.body
    )
    assert "cambió de estado" not in notice.body
