""" "No fui yo", contact data, password and locks through their services: what each records in the audit trail
(who, what, before → after, nothing personal in clear), and that a refusal records nothing."""

from __future__ import annotations

import pytest

from micuenta.core.actors import ActorKind
from micuenta.core.clients import device_of
from micuenta.core.models import AuditEvent
from micuenta.identity.audit import IdentityAction
from micuenta.identity.errors import IdentityCode, IdentityError
from micuenta.identity.models import DeviceSession, SecurityEvent, SecurityEventKind
from micuenta.identity.services.accounts import contact_change, contact_change_confirm, contact_code_send, password_set
from micuenta.identity.services.history import security_event_record
from micuenta.identity.services.security import account_security_lock, account_unlock, security_event_report
from micuenta.identity.tests.helpers import (
    PHONE,
    TEST_ACTOR,
    assert_nothing_personal,
    audit_events,
    last_code,
    person_actor,
)
from micuenta.notifications.models import OutboxMessage
from micuenta.people.tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db

NEW_EMAIL = "nuevo.correo@otro.test"
NEW_MOBILE = "5599887766"


@pytest.fixture
def account(user_factory):
    return user_factory(worker=WorkerFactory.create(), email="titular@correo.test", mobile="5512345678")


def _personal(account):
    worker = account.worker
    return ("titular@correo.test", "5512345678", NEW_EMAIL, NEW_MOBILE, worker.nss, worker.curp, worker.rfc)


def _event(account, kind):
    return security_event_record(actor=person_actor(account), kind=kind, user=account)


# --- "No fui yo" --------------------------------------------------------------------------------------------


def test_no_fui_yo_marks_the_line_records_the_report_and_locks_the_account(account):
    line = _event(account, SecurityEventKind.LOGIN)
    actor = person_actor(account)

    cesi_only = security_event_report(actor=actor, user=account, event=line)

    assert cesi_only is False
    line.refresh_from_db()
    assert line.reported_at is not None
    report = SecurityEvent.objects.get(user=account, kind=SecurityEventKind.REPORTED)
    assert report.detail.startswith("Inicio de sesión del ") and report.network == "203.0.113.0/24"
    account.refresh_from_db()
    assert account.security_locked_at is not None and not account.security_lock_cesi_only
    assert OutboxMessage.objects.filter(template="account_locked").count() == 1
    [event] = audit_events()
    assert event.action == IdentityAction.SECURITY_LOCKED == "cuenta.bloqueada"
    assert (event.actor_kind, event.actor_user_id) == (ActorKind.PERSON, account.pk)
    assert event.actor_device == device_of(PHONE) and event.actor_network == "203.0.113.0/24"
    assert event.actor_session == actor.session_digest != ""
    assert event.before == {"locked": False, "cesi_only": False}
    assert event.after == {"locked": True, "cesi_only": False}
    assert event.reason.startswith("La persona reportó «No fui yo»: Inicio de sesión del ")


def test_no_fui_yo_on_a_contact_change_needs_a_cesi(account):
    line = _event(account, SecurityEventKind.EMAIL_CHANGED)
    assert security_event_report(actor=person_actor(account), user=account, event=line) is True
    account.refresh_from_db()
    assert account.security_lock_cesi_only
    assert audit_events()[0].after == {"locked": True, "cesi_only": True}


def test_a_line_reported_twice_is_refused_and_records_nothing_more(account):
    line = _event(account, SecurityEventKind.LOGIN)
    security_event_report(actor=person_actor(account), user=account, event=line)
    with pytest.raises(IdentityError) as refused:
        security_event_report(actor=person_actor(account), user=account, event=line)
    assert refused.value.code == IdentityCode.ALREADY_REPORTED
    assert AuditEvent.objects.count() == 1
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.REPORTED).count() == 1


def test_another_persons_line_cannot_be_reported(account, other_person):
    line = _event(other_person, SecurityEventKind.LOGIN)
    with pytest.raises(IdentityError):
        security_event_report(actor=person_actor(account), user=account, event=line)
    account.refresh_from_db()
    assert account.security_locked_at is None and not audit_events()


# --- Contact data -------------------------------------------------------------------------------------------


def test_a_confirmed_new_email_is_audited_masked_before_and_after(account):
    actor = person_actor(account)
    contact_code_send(actor=actor, user=account, field="email", value=NEW_EMAIL)
    contact_change_confirm(
        actor=actor, user=account, field="email", value=NEW_EMAIL, entered=last_code("email", "contact_code")
    )

    account.refresh_from_db()
    assert account.email == NEW_EMAIL
    [event] = audit_events()
    assert event.action == IdentityAction.EMAIL_CHANGED == "cuenta.correo_cambiado"
    assert (event.subject_type, event.subject_id, event.worker_id) == (
        "identity.user",
        str(account.pk),
        account.worker_id,
    )
    assert (event.actor_kind, event.actor_user_id) == (ActorKind.PERSON, account.pk)
    assert event.before == {"email": "t***@c***.test"} and event.after == {"email": "n***@o***.test"}
    assert_nothing_personal([event], *_personal(account))


def test_a_confirmed_new_mobile_is_audited_masked_before_and_after(account):
    actor = person_actor(account)
    contact_code_send(actor=actor, user=account, field="mobile", value=NEW_MOBILE)
    contact_change_confirm(
        actor=actor, user=account, field="mobile", value=NEW_MOBILE, entered=last_code("sms", "contact_code")
    )
    [event] = audit_events()
    assert event.action == IdentityAction.MOBILE_CHANGED == "cuenta.celular_cambiado"
    assert event.before == {"mobile": "******5678"} and event.after == {"mobile": "******7766"}
    assert_nothing_personal([event], *_personal(account))


def test_a_wrong_code_changes_nothing_records_nothing_and_counts(account):
    actor = person_actor(account)
    contact_code_send(actor=actor, user=account, field="email", value=NEW_EMAIL)
    right = last_code("email", "contact_code")
    with pytest.raises(IdentityError) as refused:
        contact_change_confirm(
            actor=actor, user=account, field="email", value=NEW_EMAIL, entered=f"{(int(right) + 1) % 10**6:06d}"
        )
    assert refused.value.code == IdentityCode.CODE_WRONG
    account.refresh_from_db()
    assert account.email == "titular@correo.test"
    assert not audit_events()
    # The code is still good: the wrong try was counted, not the code spent.
    contact_change_confirm(actor=actor, user=account, field="email", value=NEW_EMAIL, entered=right)
    assert [e.action for e in audit_events()] == [IdentityAction.EMAIL_CHANGED]


def test_an_email_taken_meanwhile_is_refused_the_code_spent_and_nothing_recorded(account, user_factory):
    actor = person_actor(account)
    contact_code_send(actor=actor, user=account, field="email", value=NEW_EMAIL)
    user_factory(email=NEW_EMAIL)
    with pytest.raises(IdentityError) as refused:
        contact_change_confirm(
            actor=actor, user=account, field="email", value=NEW_EMAIL, entered=last_code("email", "contact_code")
        )
    assert refused.value.code == IdentityCode.CONTACT_REFUSED
    assert account.email == "titular@correo.test"
    assert not audit_events()
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.EMAIL_CHANGED).exists()


def test_staff_changing_both_contacts_are_named_in_the_history_and_the_audit(account, user_factory):
    from micuenta.core.actors import Actor

    staff = user_factory(is_staff=True, email="asesor@cesi.test")
    actor = Actor(kind=ActorKind.STAFF, user_id=staff.pk)
    contact_change(actor=actor, user=account, email=NEW_EMAIL, mobile=NEW_MOBILE, reason="Acudió al CESI con su INE.")
    email, mobile = audit_events()
    assert (email.action, mobile.action) == (IdentityAction.EMAIL_CHANGED, IdentityAction.MOBILE_CHANGED)
    assert {e.actor_kind for e in (email, mobile)} == {ActorKind.STAFF}
    assert {e.actor_user_id for e in (email, mobile)} == {staff.pk}
    assert {e.reason for e in (email, mobile)} == {"Acudió al CESI con su INE."}
    assert set(SecurityEvent.objects.filter(user=account).values_list("actor", flat=True)) == {staff.pk}
    assert_nothing_personal([email, mobile], *_personal(account))


# --- Password and locks -------------------------------------------------------------------------------------


def test_a_new_password_keeps_the_actors_session_only_and_is_audited_without_values(account):
    mine = DeviceSession.objects.create(user=account, session_key="clave-de-sesion-de-prueba")
    other = DeviceSession.objects.create(user=account, session_key="otra-sesion")
    ended = password_set(
        actor=person_actor(account), user=account, password="una frase nueva y larga", keep_session=True
    )
    assert ended == 1
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.ended_at is None and other.ended_at is not None
    [event] = audit_events()
    assert event.action == IdentityAction.PASSWORD_CHANGED
    assert event.before == {} and event.after == {"sessions_ended": 1}
    assert_nothing_personal([event], "una frase nueva y larga", account.password)


def test_locks_and_unlocks_are_audited_with_the_reason(account):
    account_security_lock(actor=TEST_ACTOR, user=account, reason="Actividad no reconocida")
    account_unlock(actor=TEST_ACTOR, user=account, reason="La persona acreditó su identidad")
    locked, unlocked = audit_events()
    assert (locked.action, unlocked.action) == ("cuenta.bloqueada", "cuenta.desbloqueada")
    assert (locked.actor_kind, locked.actor_job) == (ActorKind.SYSTEM, "pruebas")
    assert locked.reason == "Actividad no reconocida" and unlocked.reason == "La persona acreditó su identidad"
    assert unlocked.before == {"locked": True, "cesi_only": False}
    assert unlocked.after == {"locked": False, "cesi_only": False}
