""" "Quiero una cuenta" through its services, called directly: what each step writes, refuses and records."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from micuenta.core.actors import ActorKind
from micuenta.identity.audit import IdentityAction
from micuenta.identity.errors import IdentityCode, IdentityError
from micuenta.identity.models import (
    CodePurpose,
    ConfirmationCode,
    Registration,
    SecurityEvent,
    SecurityEventKind,
    TermsAcceptance,
    User,
)
from micuenta.identity.services.registration import (
    registration_code_confirm,
    registration_code_send,
    registration_complete,
    registration_contact_set,
    registration_start,
)
from micuenta.identity.tests.helpers import (
    REGISTRATION_PASSWORD,
    anonymous_actor,
    assert_nothing_personal,
    audit_events,
    last_code,
)
from micuenta.notifications.models import OutboxMessage
from micuenta.people.tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db

EMAIL = "nueva.persona@correo.test"
MOBILE = "5587654321"


def _start(worker, **overrides):
    data = {"nss": worker.nss, "curp": worker.curp, "rfc": worker.rfc, **overrides}
    return registration_start(actor=anonymous_actor(), base_url="https://micuenta.test", **data)


def _confirmed(worker) -> Registration:
    registration = _start(worker)
    assert registration is not None
    registration_contact_set(actor=anonymous_actor(), registration=registration, email=EMAIL, mobile=MOBILE)
    for purpose, channel in ((CodePurpose.REGISTRATION_EMAIL, "email"), (CodePurpose.REGISTRATION_MOBILE, "sms")):
        registration_code_confirm(
            actor=anonymous_actor(), registration=registration, purpose=purpose, entered=last_code(channel)
        )
    return registration


def test_matching_data_start_a_registration_and_anything_else_gets_none_in_the_same_time(settings):
    settings.MICUENTA_UNIFORM_RESPONSE_SECONDS = 0.2
    worker = WorkerFactory.create()
    owner = WorkerFactory.create()
    account = User.objects.create_user(email="titular@correo.test", worker=owner)

    started = time.monotonic()
    registration = _start(worker)
    assert time.monotonic() - started >= 0.2
    assert registration is not None and registration.worker == worker and len(registration.token) >= 40

    for other in ({"curp": "XEXX010101HNEXXXA4"}, {"nss": owner.nss, "curp": owner.curp, "rfc": owner.rfc}):
        started = time.monotonic()
        assert _start(worker, **other) is None
        assert time.monotonic() - started >= 0.2
    # Only the owner of the existing account hears of it, in its history and by e-mail.
    assert SecurityEvent.objects.filter(user=account, kind=SecurityEventKind.REGISTRATION_REFUSED).count() == 1
    [notice] = OutboxMessage.objects.filter(template="registration_attempt")
    assert "https://micuenta.test" in notice.body
    assert not audit_events()


def test_the_contact_step_sends_a_code_only_for_what_changed(settings):
    settings.MICUENTA_CODE_RESEND_AFTER_SECONDS = 0
    registration = _start(WorkerFactory.create())
    registration_contact_set(actor=anonymous_actor(), registration=registration, email=EMAIL, mobile=MOBILE)
    assert OutboxMessage.objects.filter(template="registration_code").count() == 2
    registration_code_confirm(
        actor=anonymous_actor(),
        registration=registration,
        purpose=CodePurpose.REGISTRATION_EMAIL,
        entered=last_code("email"),
    )
    registration_contact_set(actor=anonymous_actor(), registration=registration, email=EMAIL, mobile="5511112222")
    registration.refresh_from_db()
    assert registration.email_confirmed_at is not None and registration.mobile_confirmed_at is None
    assert OutboxMessage.objects.filter(template="registration_code", channel="sms").count() == 2
    assert OutboxMessage.objects.filter(template="registration_code", channel="email").count() == 1


def test_a_resend_too_soon_changes_nothing():
    registration = _start(WorkerFactory.create())
    registration_contact_set(actor=anonymous_actor(), registration=registration, email=EMAIL, mobile=MOBILE)
    with pytest.raises(IdentityError) as refused:
        registration_code_send(
            actor=anonymous_actor(), registration=registration, purpose=CodePurpose.REGISTRATION_EMAIL
        )
    assert refused.value.code == IdentityCode.CODE_RESEND_TOO_SOON
    assert OutboxMessage.objects.filter(template="registration_code", channel="email").count() == 1


def test_a_wrong_code_is_refused_and_still_counts():
    registration = _start(WorkerFactory.create())
    registration_contact_set(actor=anonymous_actor(), registration=registration, email=EMAIL, mobile=MOBILE)
    right = last_code("email")
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    with pytest.raises(IdentityError) as refused:
        registration_code_confirm(
            actor=anonymous_actor(), registration=registration, purpose=CodePurpose.REGISTRATION_EMAIL, entered=wrong
        )
    assert refused.value.code == IdentityCode.CODE_WRONG
    row = ConfirmationCode.objects.get(purpose=CodePurpose.REGISTRATION_EMAIL)
    assert row.failed_attempts == 1 and row.used_at is None
    registration.refresh_from_db()
    assert registration.email_confirmed_at is None


def test_completing_creates_the_account_with_its_terms_and_audits_it_without_personal_data():
    worker = WorkerFactory.create()
    registration = _confirmed(worker)
    actor = anonymous_actor()

    account = registration_complete(actor=actor, registration=registration, password=REGISTRATION_PASSWORD)

    account.refresh_from_db()
    assert account.worker == worker and account.email == EMAIL and account.mobile == MOBILE
    assert account.check_password(REGISTRATION_PASSWORD)
    assert TermsAcceptance.objects.filter(user=account).count() == 1
    registration.refresh_from_db()
    assert registration.completed_at is not None
    assert set(OutboxMessage.objects.filter(template="welcome").values_list("channel", flat=True)) == {"email", "sms"}
    [event] = audit_events()
    assert event.action == IdentityAction.ACCOUNT_CREATED == "cuenta.creada"
    assert (event.subject_type, event.subject_id, event.worker_id) == ("identity.user", str(account.pk), worker.pk)
    # The person registering becomes the account's person once it exists.
    assert (event.actor_kind, event.actor_user_id) == (ActorKind.PERSON, account.pk)
    assert event.actor_network == "198.51.100.0/24"
    assert event.before == {}
    assert event.after == {
        "account": account.pk,
        "email": "n***@c***.test",
        "mobile": "******4321",
        "terminos": TermsAcceptance.objects.get(user=account).terms.version,
    }
    assert_nothing_personal([event], EMAIL, MOBILE, worker.nss, worker.curp, worker.rfc)


def test_an_account_made_meanwhile_ends_the_registration_without_an_account_nor_an_audit_row():
    worker = WorkerFactory.create()
    registration = _confirmed(worker)
    User.objects.create_user(email=EMAIL)  # someone took the e-mail in between

    with pytest.raises(IdentityError) as refused:
        registration_complete(actor=anonymous_actor(), registration=registration, password=REGISTRATION_PASSWORD)

    assert refused.value.code == IdentityCode.ACCOUNT_TAKEN
    assert not Registration.objects.filter(pk=registration.pk).exists()
    assert not User.objects.filter(worker=worker).exists()
    assert not audit_events()


def test_completing_needs_both_contacts_confirmed():
    registration = _start(WorkerFactory.create())
    registration_contact_set(actor=anonymous_actor(), registration=registration, email=EMAIL, mobile=MOBILE)
    with pytest.raises(IdentityError) as refused:
        registration_complete(actor=anonymous_actor(), registration=registration, password=REGISTRATION_PASSWORD)
    assert refused.value.code == IdentityCode.REGISTRATION_INCOMPLETE
    assert not User.objects.filter(email=EMAIL).exists() and not audit_events()


def test_thirty_attempts_with_an_accounts_data_send_its_owner_three_emails_an_hour(settings):
    settings.MICUENTA_UNIFORM_RESPONSE_SECONDS = 0
    owner = WorkerFactory.create()
    account = User.objects.create_user(email="titular@correo.test", worker=owner)
    for _ in range(30):
        assert _start(owner, nss=owner.nss, curp=owner.curp, rfc=owner.rfc) is None
    notices = list(OutboxMessage.objects.filter(template="registration_attempt").order_by("pk"))
    assert len(notices) == 3
    assert "no te escribiremos por cada uno" in notices[-1].body
    assert all("no te escribiremos" not in n.body for n in notices[:-1])
    # Every attempt stays in the account's security history.
    assert SecurityEvent.objects.filter(user=account, kind=SecurityEventKind.REGISTRATION_REFUSED).count() == 30
    # An hour later, the owner hears of a new attempt again.
    SecurityEvent.objects.update(created_at=timezone.now() - timedelta(hours=1, seconds=1))
    _start(owner, nss=owner.nss, curp=owner.curp, rfc=owner.rfc)
    assert OutboxMessage.objects.filter(template="registration_attempt").count() == 4
