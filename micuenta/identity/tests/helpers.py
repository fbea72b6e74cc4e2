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


def person_actor(user: Any, *, session_key: str = "clave-de-sesion-de-prueba") -> Actor:
    """The person signed in on a phone, as `Actor.of_request` builds them."""
    from micuenta.core.actors import ROLE_PERSON, ActorKind

    return Actor(
        kind=ActorKind.PERSON,
        user_id=user.pk,
        roles=frozenset({ROLE_PERSON}),
        address="203.0.113.45",
        user_agent=PHONE,
        session_key=session_key,
    )


def anonymous_actor() -> Actor:
    """Someone not signed in (registering, recovering an account), on a phone."""
    from micuenta.core.actors import ActorKind

    return Actor(kind=ActorKind.ANONYMOUS, address="198.51.100.23", user_agent=PHONE)


PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36"
)


def audit_events(action: str | None = None) -> list[Any]:
    """The audit trail, oldest first (of one action when given)."""
    from micuenta.core.models import AuditEvent

    rows = AuditEvent.objects.order_by("pk")
    return list(rows.filter(action=action) if action else rows)


def assert_nothing_personal(events: list[Any], *values: str) -> None:
    """No audit event holds any of these values (an e-mail, a mobile, an NSS, a CURP, an RFC) in clear, in any
    of its columns, in any case."""
    import json

    for event in events:
        text = json.dumps(
            [event.before, event.after, event.reason, event.subject_id, event.actor_job], ensure_ascii=False
        ).lower()
        for value in values:
            if value:
                assert value.lower() not in text, (event.action, value)


def locked_out(path: str) -> Any:
    """What a sign-in at `path` gets while sign-in is paused (axes' lockout callable, as axes calls it)."""
    from django.test import RequestFactory

    from micuenta.identity.throttling import lockout_response

    request = RequestFactory().post(path, {"username": "alguien@correo.test", "password": "x"})
    return lockout_response(request, credentials={"username": "alguien@correo.test"})
