"""Someone who knows an NSS cannot lock its owner out, and still cannot guess the password at speed."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from micuenta.identity.challenge import challenge_new, challenge_solve
from micuenta.identity.forms import GENERIC_LOGIN_ERROR, LOGIN_CHALLENGE_NEEDED
from micuenta.identity.models import SecurityEvent, SecurityEventKind
from micuenta.identity.tests.factories import TEST_PASSWORD
from micuenta.notifications.models import OutboxMessage
from micuenta.people.tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(user_factory):
    return user_factory(worker=WorkerFactory.create(), email="duena@correo.test")


def attempt(client, username, password=TEST_PASSWORD, *, solved=True, address="127.0.0.1"):
    data = {"username": username, "password": password}
    if solved:
        data["altcha"] = challenge_solve(challenge_new())
    return client.post(reverse("identity:login"), data, REMOTE_ADDR=address)


def owners_device(account):
    """A browser where the owner signed in before, signed out since (its device cookie stays)."""
    first = Client()
    assert attempt(first, account.email, address="192.0.2.10").status_code == 302
    cookie = first.cookies[django_settings.MICUENTA_DEVICE_COOKIE_NAME]
    assert cookie["httponly"]
    device = Client()
    device.cookies[django_settings.MICUENTA_DEVICE_COOKIE_NAME] = cookie.value
    return device


def distributed_attack(account, tries):
    """`tries` wrong passwords on the account's NSS, each from another client address."""
    statuses = [
        attempt(Client(), account.worker.nss, "adivinanza", address=f"198.51.100.{n % 250}").status_code
        for n in range(tries)
    ]
    return statuses


def test_the_owner_signs_in_from_a_known_device_during_an_attack_from_many_addresses(account, settings):
    settings.MICUENTA_LOGIN_ACCOUNT_FAILURE_CEILING = 6
    device = owners_device(account)
    statuses = distributed_attack(account, 7)
    assert statuses[:6] == [200] * 6 and statuses[6] == 429  # the ceiling stops the attack...
    # ...and a stranger's right password too, but not the owner on a device they used before.
    assert attempt(Client(), account.email, address="203.0.113.50").status_code == 429
    assert attempt(device, account.email, solved=False, address="203.0.113.51").status_code == 302


def test_a_forged_or_foreign_device_cookie_does_not_pass_the_ceiling(account, user_factory, settings):
    settings.MICUENTA_LOGIN_ACCOUNT_FAILURE_CEILING = 3
    other = user_factory(email="otra@correo.test")
    distributed_attack(account, 3)
    for value in ("1:forjada", signing.dumps(other.pk, salt="micuenta.identity.device")):
        stranger = Client()
        stranger.cookies[django_settings.MICUENTA_DEVICE_COOKIE_NAME] = value
        assert attempt(stranger, account.email, address="203.0.113.52").status_code == 429


def test_an_attacker_from_one_address_locks_only_that_address(account, settings):
    statuses = [
        attempt(Client(), account.worker.nss, "adivinanza", address="198.51.100.7").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT + 1)
    ]
    assert statuses[-2:] == [429, 429] and set(statuses[:-2]) == {200}
    assert attempt(Client(), account.worker.nss, address="198.51.100.7").status_code == 429
    assert attempt(Client(), account.worker.nss, address="192.0.2.99").status_code == 302


def test_the_ceiling_tells_the_owner_once(account, settings):
    settings.MICUENTA_LOGIN_ACCOUNT_FAILURE_CEILING = 4
    distributed_attack(account, 8)
    notices = OutboxMessage.objects.filter(template="login_locked")
    assert notices.count() == 1
    assert SecurityEvent.objects.filter(user=account, kind=SecurityEventKind.LOCKED).count() == 1


def test_after_a_few_failures_no_password_is_checked_without_the_proof_of_work(account, settings):
    for n in range(settings.MICUENTA_LOGIN_CHALLENGE_AFTER):
        attempt(Client(), account.worker.nss, "adivinanza", solved=False, address=f"198.51.100.{n}")
    failures = AccessAttempt.objects.count()
    response = attempt(Client(), account.email, solved=False, address="203.0.113.60")
    html = response.content.decode()
    assert response.status_code == 200 and LOGIN_CHALLENGE_NEEDED in html
    assert 'name="altcha"' in html and "reto-seguridad" in html  # the page brings the challenge for the next try
    assert AccessAttempt.objects.count() == failures  # not even counted: the password was not looked at
    # A reused answer is refused; a fresh one lets the right password in.
    payload = challenge_solve(challenge_new())
    client = Client()
    data = {"username": account.email, "password": "otra", "altcha": payload}
    assert GENERIC_LOGIN_ERROR in client.post(reverse("identity:login"), data).content.decode()
    data["password"] = TEST_PASSWORD
    assert client.post(reverse("identity:login"), data).status_code == 200
    assert attempt(client, account.email).status_code == 302


def test_the_owners_device_needs_no_proof_of_work(account, settings):
    device = owners_device(account)
    distributed_attack(account, settings.MICUENTA_LOGIN_CHALLENGE_AFTER)
    assert attempt(device, account.email, solved=False).status_code == 302


def test_the_lockout_page_says_the_owner_can_use_a_known_device(account, settings):
    settings.MICUENTA_LOGIN_ACCOUNT_FAILURE_CEILING = 2
    distributed_attack(account, 2)
    html = attempt(Client(), account.email, address="203.0.113.70").content.decode()
    assert "donde ya hayas iniciado sesión antes" in html


def test_the_ceiling_slides_with_the_cool_off(account, settings):
    settings.MICUENTA_LOGIN_ACCOUNT_FAILURE_CEILING = 2
    distributed_attack(account, 2)
    assert attempt(Client(), account.email, address="203.0.113.71").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert attempt(Client(), account.email, address="203.0.113.71").status_code == 302


def test_one_address_alone_cannot_bring_the_ceiling_closer_than_its_own_lock(account, settings):
    settings.MICUENTA_LOGIN_ACCOUNT_FAILURE_CEILING = settings.AXES_FAILURE_LIMIT + 2
    for _ in range(settings.AXES_FAILURE_LIMIT + 5):  # the last 5 are refused by the address's lock
        attempt(Client(), account.worker.nss, "adivinanza", address="198.51.100.8")
    assert attempt(Client(), account.email, address="192.0.2.98").status_code == 302
