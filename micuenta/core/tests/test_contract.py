"""The service contract's pieces: who acts (Actor), the audit trail, error codes, effective-dated rules."""

from __future__ import annotations

import json
from datetime import UTC, date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, IntegrityError, transaction
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from micuenta.core.actors import ROLE_PERSON, ROLE_STAFF, ROLE_SYSTEM, Actor, ActorKind
from micuenta.core.audit import AuditAction, Change, NotInTransaction, audit_record, audit_record_many
from micuenta.core.errors import ApplicationError, CoreCode
from micuenta.core.models import AuditEvent, MinimumWage, Uma
from micuenta.core.policies import PolicyMissing, clear_policy_cache, in_force, timeline
from micuenta.credits.models import ChargeRate


class Action(AuditAction):
    TRIED = "prueba.cambio"


ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile"


def _request(user=None, *, address="201.141.22.9"):
    request = RequestFactory().get("/", REMOTE_ADDR=address, HTTP_USER_AGENT=ANDROID)
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    return request


# --- Actor -----------------------------------------------------------------------------------------------


def test_the_system_acts_by_its_job_in_the_system_role():
    actor = Actor.system("accrue_credits")
    assert (actor.kind, actor.job, actor.user_id, actor.roles) == (
        ActorKind.SYSTEM,
        "accrue_credits",
        None,
        frozenset({ROLE_SYSTEM}),
    )
    assert str(actor) == "sistema (accrue_credits)"


@pytest.mark.django_db
def test_an_actor_of_a_request_is_who_is_signed_in_and_where_from(person, user_factory):
    anonymous = Actor.of_request(_request())
    worker = Actor.of_request(_request(person))
    staff_user = user_factory(is_staff=True)
    staff = Actor.of_request(_request(staff_user), roles=frozenset({"Supervisor CESI"}))

    assert (anonymous.kind, anonymous.user_id, anonymous.roles) == (ActorKind.ANONYMOUS, None, frozenset())
    assert (worker.kind, worker.user_id, worker.roles) == (ActorKind.PERSON, person.pk, frozenset({ROLE_PERSON}))
    assert (staff.kind, staff.roles) == (ActorKind.STAFF, frozenset({"Supervisor CESI"}))  # only what the view checked
    assert Actor.of_request(_request(staff_user)).roles == frozenset()
    assert Actor.of_request(_request(person), roles=frozenset({ROLE_STAFF})).roles == frozenset({ROLE_PERSON})
    assert (worker.address, worker.user_agent) == ("201.141.22.9", ANDROID)
    assert anonymous.with_user(person.pk).kind == ActorKind.PERSON


@pytest.mark.django_db
def test_a_staff_flag_on_a_workers_account_does_not_make_it_staff(user_factory):
    from micuenta.people.tests.factories import WorkerFactory

    worker_account = user_factory(is_staff=True, worker=WorkerFactory.create())
    assert Actor.of_request(_request(worker_account)).kind == ActorKind.PERSON


def test_the_session_is_kept_as_a_digest_that_cannot_be_used_as_a_session():
    actor = Actor(kind=ActorKind.PERSON, user_id=1, session_key="k" * 32)
    assert len(actor.session_digest) == 16 and "k" * 8 not in actor.session_digest
    assert Actor(kind=ActorKind.PERSON).session_digest == ""


# --- Audit trail ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_audit_event_keeps_who_what_before_after_and_why_without_the_full_address(person):
    actor = Actor.of_request(_request(person))
    with transaction.atomic():
        event = audit_record(
            actor=actor,
            action=Action.TRIED,
            subject=person,
            worker_id=person.worker_id,
            before={"status": "vigente", "amount": Decimal("10.50")},
            after={"status": "liquidado", "on": date(2026, 3, 2)},
            reason="Porque sí.",
        )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor_kind, stored.actor_user_id, stored.action) == ("persona", person.pk, "prueba.cambio")
    assert (stored.subject_type, stored.subject_id, stored.worker_id) == (
        "identity.user",
        str(person.pk),
        person.worker_id,
    )
    assert stored.before == {"status": "vigente", "amount": "10.50"}
    assert stored.after == {"status": "liquidado", "on": "2026-03-02"}
    assert (stored.actor_network, stored.actor_device) == ("201.141.22.0/24", "Chrome en Android")
    assert "201.141.22.9" not in str(AuditEvent.objects.filter(pk=event.pk).values().get())


@pytest.mark.django_db
def test_audit_events_in_bulk_are_the_same_rows(person):
    actor = Actor.system("pruebas")
    with transaction.atomic():
        written = audit_record_many(
            actor=actor,
            changes=[
                Change(Action.TRIED, ("credits.credit", 7), worker_id=3, after={"amount": Decimal("1.10")}),
                Change(Action.TRIED, ("credits.credit", 8), before={"day": date(2026, 1, 31)}, reason="lote"),
            ],
        )
    rows = list(AuditEvent.objects.order_by("subject_id").values("subject_id", "worker_id", "before", "after",
                                                                  "reason", "actor_job"))  # fmt: skip
    assert written == 2
    assert rows == [
        {"subject_id": "7", "worker_id": 3, "before": {}, "after": {"amount": "1.10"}, "reason": "",
         "actor_job": "pruebas"},
        {"subject_id": "8", "worker_id": None, "before": {"day": "2026-01-31"}, "after": {}, "reason": "lote",
         "actor_job": "pruebas"},
    ]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_an_audit_event_outside_a_transaction_is_refused():
    with pytest.raises(NotInTransaction):
        audit_record(actor=Actor.system("pruebas"), action=Action.TRIED, subject=("credits.credit", 1))
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_the_database_refuses_to_change_or_delete_an_audit_event():
    with transaction.atomic():
        event = audit_record(actor=Actor.system("pruebas"), action=Action.TRIED, subject=("credits.credit", 1))
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="otra cosa")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


# --- Errors ---------------------------------------------------------------------------------------------


def test_an_application_error_has_a_stable_code_and_a_message_for_people():
    error = ApplicationError(CoreCode.POLICY_MISSING, "No hay regla.", details={"day": "2026-01-01"})
    assert error.as_dict() == {
        "code": "politica_no_vigente",
        "message": "No hay regla.",
        "details": {"day": "2026-01-01"},
    }
    assert str(error) == "[politica_no_vigente] No hay regla."


# --- Effective-dated rules --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_rule_in_force_is_the_last_row_that_started_on_or_before_the_day():
    assert in_force(Uma, date(2025, 1, 31)).year == 2024  # a year's UMA runs from 1 February
    assert in_force(Uma, date(2025, 2, 1)).year == 2025
    assert in_force(MinimumWage, date(2026, 1, 1)).valid_from == date(2026, 1, 1)
    with pytest.raises(PolicyMissing) as missing:
        in_force(Uma, date(2016, 1, 27))
    assert missing.value.code == "politica_no_vigente"
    assert missing.value.message == "No hay valor de la UMA vigente el 27/01/2016."


@pytest.mark.django_db
def test_a_rule_staff_edit_is_read_again_at_once_and_one_changed_by_migration_once_per_process():
    first = in_force(ChargeRate, date(2026, 6, 1))
    ChargeRate.objects.create(
        valid_from=date(2026, 7, 1), damage_insurance=Decimal("0.003"), administration_fee=0, source="prueba"
    )
    assert in_force(ChargeRate, date(2026, 6, 30)) == first
    assert in_force(ChargeRate, date(2026, 7, 1)).damage_insurance == Decimal("0.00300")
    assert [row.valid_from for row in timeline(ChargeRate)] == [date(1972, 5, 1), date(2026, 7, 1)]

    clear_policy_cache()
    before = len(timeline(Uma))
    Uma.objects.filter(year=2026).delete()
    assert len(timeline(Uma)) == before  # read once per process: rows of the UMA change only by migration
    clear_policy_cache()
    assert len(timeline(Uma)) == before - 1
    clear_policy_cache()


@given(
    st.dictionaries(
        st.text(min_size=1, max_size=12),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.text(max_size=20),
            st.decimals(allow_nan=False, allow_infinity=False, places=2),
            st.dates(),
            st.datetimes(timezones=st.just(UTC)),
            st.sampled_from(list(CoreCode)),
            st.lists(st.decimals(allow_nan=False, allow_infinity=False, places=2), max_size=3),
        ),
        max_size=8,
    )
)
def test_audit_values_in_bulk_are_written_as_django_writes_them_one_by_one(values):
    from micuenta.core.audit import _json

    assert json.loads(_json(values)) == json.loads(json.dumps(values, cls=DjangoJSONEncoder))


@pytest.mark.django_db
def test_a_reason_typed_with_an_identifier_is_kept_masked():
    with transaction.atomic():
        event = audit_record(
            actor=Actor.system("pruebas"),
            action=Action.TRIED,
            subject=("credits.credit", 1),
            reason="La persona dio su NSS 12345678901 y su correo ana.lopez@correo.mx en ventanilla.",
        )
    assert AuditEvent.objects.get(pk=event.pk).reason == (
        "La persona dio su NSS *******8901 y su correo a***@c***.mx en ventanilla."
    )
