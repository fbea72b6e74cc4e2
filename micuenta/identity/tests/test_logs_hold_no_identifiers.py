"""The account journeys write no NSS, CURP, RFC, e-mail or phone to the logs, nor put them in a URL."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse

from micuenta.identity.tests.helpers import (
    REGISTRATION_PASSWORD,
    identity_data,
    last_code,
    register,
    solved_challenge,
)
from micuenta.people.tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db


class RecordingClient(Client):
    """Remembers every URL it was sent to, redirects included."""

    visited: list[str]

    def request(self, **request):
        self.visited = getattr(self, "visited", [])
        self.visited.append(f"{request.get('PATH_INFO', '')}?{request.get('QUERY_STRING', '')}")
        response = super().request(**request)
        if response.has_header("Location"):
            self.visited.append(response["Location"])
        return response


def test_account_journeys_log_no_identifier_and_put_none_in_urls(caplog, settings):
    settings.AXES_FAILURE_LIMIT = 3
    caplog.set_level(logging.DEBUG)
    worker = WorkerFactory.create()
    email, mobile = "registro.privado@correo.test", "5587654321"
    client = RecordingClient()

    # Quiero una cuenta, a login by NSS and by e-mail, failures up to the lock, logout.
    register(client, worker, email=email, mobile=mobile)
    client.post(reverse("identity:login"), {"username": worker.nss, "password": REGISTRATION_PASSWORD})
    client.get(reverse("core:dashboard"))
    client.post(reverse("identity:logout"))
    for _ in range(4):
        client.post(reverse("identity:login"), {"username": email, "password": "equivocada"})
    # Olvidé mi contraseña, a refused registration (the account exists) and the deletion by SMS code.
    client.post(reverse("identity:password_reset"), {"nss": worker.nss, "altcha": solved_challenge()})
    client.post(reverse("identity:register"), identity_data(worker))
    client.post(reverse("identity:delete_account"), identity_data(worker))
    client.post(reverse("identity:delete_account_code"), {"code": "000000"})
    client.post(reverse("identity:delete_account_code"), {"code": last_code("sms", "deletion_code")})

    secrets_in_clear = {
        "NSS": worker.nss,
        "CURP": worker.curp,
        "RFC": worker.rfc,
        "e-mail": email,
        "e-mail user": email.split("@")[0],
        "mobile": mobile,
    }
    logged = "\n".join(record.getMessage() + " " + repr(record.__dict__.get("args")) for record in caplog.records)
    assert len(caplog.records) > 10  # the journeys did log
    for label, value in secrets_in_clear.items():
        assert value.lower() not in logged.lower(), f"{label} in the logs"
        for url in client.visited:
            assert value.lower() not in url.lower(), f"{label} in the URL {url}"
