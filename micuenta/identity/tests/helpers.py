"""Shared steps of the account tests: a solved challenge, codes read from the outbox, a registered worker."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from micuenta.core.actors import Actor
from micuenta.identity.challenge import challenge_new, challenge_solve
from micuenta.notifications.models import OutboxMessage

# Who acts when a test calls a service directly, outside any request.
TEST_ACTOR = Actor.system("pruebas")

REGISTRATION_PASSWORD = "una frase larga para mi casa nueva"
CODE_RE = re.compile(r"\b(\d{6})\b")


def solved_challenge() -> str:
    return challenge_solve(challenge_new())


def identity_data(worker: Any, **overrides: str) -> dict[str, str]:
    data = {"nss": worker.nss, "curp": worker.curp, "rfc": worker.rfc, "altcha": solved_challenge()}
    data.update(overrides)
    return data


def last_code(channel: str, template: str = "registration_code") -> str:
    message = OutboxMessage.objects.filter(channel=channel, template=template).order_by("-pk").first()
    assert message is not None, f"no {channel} message with template {template}"
    match = CODE_RE.search(message.body)
    assert match, message.body
    return match.group(1)


def register(
    client: Client, worker: Any, *, email: str = "persona.nueva@correo.test", mobile: str = "5512345678"
) -> None:
    """Walk the four steps of "Quiero una cuenta" with the test client."""
    response = client.post(reverse("identity:register"), identity_data(worker))
    assert response["Location"] == reverse("identity:register_contact"), response
    response = client.post(reverse("identity:register_contact"), {"email": email, "mobile": mobile})
    assert response["Location"] == reverse("identity:register_confirm_email")
    response = client.post(reverse("identity:register_confirm_email"), {"code": last_code("email")})
    assert response["Location"] == reverse("identity:register_confirm_mobile")
    response = client.post(reverse("identity:register_confirm_mobile"), {"code": last_code("sms")})
    assert response["Location"] == reverse("identity:register_password")
    response = client.post(
        reverse("identity:register_password"),
        {"password1": REGISTRATION_PASSWORD, "password2": REGISTRATION_PASSWORD, "accept_terms": "on"},
    )
    assert response["Location"] == reverse("identity:register_done"), response.content.decode()[-3000:]
