"""Measures, with the real limits, what an attacker who knows an NSS gets in one hour, and whether its owner can
still sign in meanwhile. The figures are those of docs/security.md ("Intentos fallidos de inicio de sesión");
run with `-s` to print them (or, with pytest-xdist, set MICUENTA_MEASURE_FILE to a file to append them to).

An hour is simulated in one-minute steps: each step moves every throttling record one minute into the past (the
throttle only compares their times with the clock). The attacker solves every proof of work and tries up to
`RATE` passwords a minute.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.db.models import F
from django.test import Client
from django.urls import reverse

from micuenta.identity.challenge import challenge_new, challenge_solve
from micuenta.identity.forms import GENERIC_LOGIN_ERROR
from micuenta.identity.models import SecurityEvent
from micuenta.identity.tests.factories import TEST_PASSWORD
from micuenta.people.tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db

RATE = 12  # tries a minute, more than any limit lets through
MINUTES = 60


def attempt(client, username, password, address):
    data = {"username": username, "password": password, "altcha": challenge_solve(challenge_new())}
    response = client.post(reverse("identity:login"), data, REMOTE_ADDR=address)
    return response


def one_minute_passes():
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=1))
    SecurityEvent.objects.update(created_at=F("created_at") - timedelta(minutes=1))


def simulate_hour(account, *, distributed):
    """Passwords the attacker got checked in an hour; minutes in which the owner could sign in (with their known
    device, and from a new browser)."""
    first = Client()
    assert attempt(first, account.email, TEST_PASSWORD, "192.0.2.10").status_code == 302
    device_cookie = first.cookies[django_settings.MICUENTA_DEVICE_COOKIE_NAME].value
    checked = 0
    owner_device_ok = owner_new_browser_ok = 0
    n = 0
    for _minute in range(MINUTES):
        for _ in range(RATE):
            n += 1
            address = f"198.51.{n // 250}.{n % 250}" if distributed else "198.51.100.7"
            response = attempt(Client(), account.worker.nss, f"adivinanza-{n}", address)
            if response.status_code == 429:
                break
            assert GENERIC_LOGIN_ERROR in response.content.decode()
            checked += 1
        device = Client()
        device.cookies[django_settings.MICUENTA_DEVICE_COOKIE_NAME] = device_cookie
        owner_device_ok += attempt(device, account.email, TEST_PASSWORD, "192.0.2.10").status_code == 302
        owner_new_browser_ok += attempt(Client(), account.email, TEST_PASSWORD, "192.0.2.77").status_code == 302
        one_minute_passes()
    return checked, owner_device_ok, owner_new_browser_ok


@pytest.mark.parametrize("distributed", [False, True], ids=["una-direccion", "muchas-direcciones"])
def test_an_hour_of_attack(user_factory, settings, distributed):
    account = user_factory(worker=WorkerFactory.create(), email="duena@correo.test")
    checked, device_ok, new_browser_ok = simulate_hour(account, distributed=distributed)
    line = (
        f"{'muchas direcciones' if distributed else 'una dirección'}: {checked} contraseñas probadas en una hora; "
        f"la dueña entró desde su dispositivo {device_ok}/{MINUTES} minutos, "
        f"desde un navegador nuevo {new_browser_ok}/{MINUTES} minutos"
    )
    print("\n" + line)  # noqa: T201 (the figures of docs/security.md, shown with -s)
    if os.environ.get("MICUENTA_MEASURE_FILE"):  # with pytest-xdist, which keeps the workers' output
        with Path(os.environ["MICUENTA_MEASURE_FILE"]).open("a", encoding="utf-8") as out:
            out.write(line + "\n")
    cool_off = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if distributed:
        assert checked <= settings.MICUENTA_LOGIN_ACCOUNT_FAILURE_CEILING * (MINUTES // cool_off + 1)
    else:
        assert checked <= settings.AXES_FAILURE_LIMIT * (MINUTES // cool_off + 1)
    assert device_ok == MINUTES  # the owner is never locked out of a device they used before
