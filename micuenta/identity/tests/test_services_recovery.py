""" "Olvidé mi contraseña" and "No tengo acceso a mi correo" through their services, called directly."""

from __future__ import annotations

import time

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from micuenta.core.actors import ActorKind
from micuenta.identity.audit import IdentityAction
from micuenta.identity.errors import IdentityCode, IdentityError
from micuenta.identity.models import CodePurpose, ConfirmationCode, SecurityEvent, SecurityEventKind, User
from micuenta.identity.services.recovery import (
    account_deletion_code_send,
    account_deletion_confirm,
    account_deletion_start,
    password_reset_complete,
    password_reset_request,
)
from micuenta.identity.services.security import account_security_lock
from micuenta.identity.tests.helpers import (
    TEST_ACTOR,
    anonymous_actor,
    assert_nothing_personal,
    audit_events,
    last_code,
)
from micuenta.notifications.models import OutboxMessage
from micuenta.people.tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "otra frase larga para entrar de nuevo"


@pytest.fixture
def account(user_factory):
    return user_factory(worker=WorkerFactory.create(), email="titular@correo.test", mobile="5512345678")


def _personal(account):
    worker = account.worker
    return (account.email, account.mobile, worker.nss, worker.curp, worker.rfc)


# --- Olvidé mi contraseña ----------------------------------------------------------------------------


def test_a_reset_link_goes_to_an_account_at_most_three_times_an_hour_in_the_same_time(account, settings):
    settings.MICUENTA_UNIFORM_RESPONSE_SECONDS = 0.2
    for nss in (account.worker.nss, WorkerFactory.create().nss, "99999999999"):
        started = time.monotonic()
        password_reset_request(actor=anonymous_actor(), nss=nss, base_url="https://micuenta.test")
        assert time.monotonic() - started >= 0.2
    [mail] = OutboxMessage.objects.filter(template="password_reset")
    assert "https://micuenta.test/olvide-mi-contrasena/" in mail.body
    for _ in range(3):
        password_reset_request(actor=anonymous_actor(), nss=account.worker.nss, base_url="https://micuenta.test")
    assert OutboxMessage.objects.filter(template="password_reset").count() == 3
    assert SecurityEvent.objects.filter(user=account, kind=SecurityEventKind.PASSWORD_RESET_REQUESTED).count() == 3
    assert not audit_events()  # asking for a link changes nothing


def test_the_new_password_is_audited_as_the_person_without_values_and_lifts_a_no_fui_yo_lock(account):
    account_security_lock(actor=TEST_ACTOR, user=account, reason="Reportó actividad que no reconoce")
    old_hash = User.objects.get(pk=account.pk).password

    password_reset_complete(actor=anonymous_actor(), user=account, password=NEW_PASSWORD)

    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD) and account.security_locked_at is None
    locked, changed, unlocked = audit_events()
    assert locked.action == IdentityAction.SECURITY_LOCKED and locked.actor_kind == ActorKind.SYSTEM
    assert changed.action == IdentityAction.PASSWORD_CHANGED == "cuenta.contrasena_cambiada"
    assert changed.before == {} and set(changed.after) == {"sessions_ended"}
    assert unlocked.action == IdentityAction.UNLOCKED
    assert unlocked.before == {"locked": True, "cesi_only": False}
    assert unlocked.after == {"locked": False, "cesi_only": False}
    for event in (changed, unlocked):
        assert (event.actor_kind, event.actor_user_id) == (ActorKind.PERSON, account.pk)
        assert (event.subject_type, event.subject_id, event.worker_id) == (
            "identity.user",
            str(account.pk),
            account.worker_id,
        )
    assert_nothing_personal(audit_events(), *_personal(account), NEW_PASSWORD, old_hash, account.password)


def test_a_lock_only_a_cesi_may_lift_stays_after_a_new_password(account):
    account_security_lock(actor=TEST_ACTOR, user=account, reason="Cambio de correo no reconocido", cesi_only=True)
    password_reset_complete(actor=anonymous_actor(), user=account, password=NEW_PASSWORD)
    account.refresh_from_db()
    assert account.security_locked_at is not None
    assert [e.action for e in audit_events()] == [IdentityAction.SECURITY_LOCKED, IdentityAction.PASSWORD_CHANGED]


# --- No tengo acceso a mi correo ------------------------------------------------------------------------


def _start(worker, **overrides):
    data = {"nss": worker.nss, "curp": worker.curp, "rfc": worker.rfc, **overrides}
    return account_deletion_start(actor=anonymous_actor(), **data)


def test_deletion_sends_a_code_only_when_safe_and_answers_alike_otherwise(account, settings):
    settings.MICUENTA_UNIFORM_RESPONSE_SECONDS = 0.2
    started = time.monotonic()
    assert _start(account.worker) == f"user:{account.pk}"
    assert time.monotonic() - started >= 0.2
    assert OutboxMessage.objects.filter(template="deletion_code", channel="sms").count() == 1

    started = time.monotonic()
    nobody = _start(WorkerFactory.create())
    assert time.monotonic() - started >= 0.2
    assert nobody.startswith("nobody:") and len(nobody) == len("nobody:") + 40
    assert _start(account.worker, rfc="XAXX010101000").startswith("nobody:")
    assert OutboxMessage.objects.filter(template="deletion_code").count() == 1  # never sent to nobody
    assert ConfirmationCode.objects.filter(purpose=CodePurpose.ACCOUNT_DELETION, subject=nobody).exists()

    TOTPDevice.objects.create(user=account, name="App", confirmed=True)
    assert _start(account.worker).startswith("nobody:")  # a second factor: not on an SMS code alone


def test_a_wrong_deletion_code_counts_and_deletes_nothing(account):
    subject = _start(account.worker)
    right = last_code("sms", template="deletion_code")
    with pytest.raises(IdentityError) as refused:
        account_deletion_confirm(actor=anonymous_actor(), subject=subject, entered=f"{(int(right) + 1) % 10**6:06d}")
    assert refused.value.code == IdentityCode.CODE_WRONG
    assert ConfirmationCode.objects.get(subject=subject).failed_attempts == 1
    assert User.objects.filter(pk=account.pk).exists()
    assert not audit_events()


def test_the_right_code_deletes_the_online_account_only_and_audits_it(account):
    worker = account.worker
    subject = _start(worker)
    account_deletion_confirm(
        actor=anonymous_actor(), subject=subject, entered=last_code("sms", template="deletion_code")
    )

    assert not User.objects.filter(pk=account.pk).exists()
    worker.refresh_from_db()  # the worker stays with the fund
    assert SecurityEvent.objects.filter(worker=worker, kind=SecurityEventKind.ACCOUNT_DELETED).exists()
    [event] = audit_events()
    assert event.action == IdentityAction.ACCOUNT_DELETED == "cuenta.borrada"
    assert (event.subject_type, event.subject_id, event.worker_id) == ("identity.user", str(account.pk), worker.pk)
    assert (event.actor_kind, event.actor_user_id) == (ActorKind.PERSON, account.pk)
    assert event.before == {"account": account.pk, "email": "t***@c***.test", "mobile": "******5678"}
    assert event.after == {"account": None}
    assert "No tengo acceso a mi correo" in event.reason
    assert_nothing_personal([event], *_personal(account))


def test_a_lock_after_the_code_was_sent_stops_the_deletion(account):
    subject = _start(account.worker)
    code = last_code("sms", template="deletion_code")
    account_security_lock(actor=TEST_ACTOR, user=account, reason="Prueba")
    with pytest.raises(IdentityError) as refused:
        account_deletion_confirm(actor=anonymous_actor(), subject=subject, entered=code)
    assert refused.value.code == IdentityCode.DELETION_UNSAFE
    assert User.objects.filter(pk=account.pk).exists()
    assert [e.action for e in audit_events()] == [IdentityAction.SECURITY_LOCKED]
    # A resend goes nowhere once deletion is no longer safe (and waits its minute like any other).
    with pytest.raises(IdentityError) as too_soon:
        account_deletion_code_send(actor=anonymous_actor(), subject=subject)
    assert too_soon.value.code == IdentityCode.CODE_RESEND_TOO_SOON
