"""Signing a test client in the way the portal does: a session plus its row under "Sesiones activas"."""

from __future__ import annotations

from typing import Any

from django.test import Client

from micuenta.identity.models import DeviceSession, User


def sign_in(client: Client, user: User, *, device: str = "Firefox en Linux", place: str = "Red local o privada") -> Any:
    client.force_login(user)
    key = client.session.session_key
    assert key
    session, _ = DeviceSession.objects.update_or_create(
        session_key=key,
        defaults={"user": user, "device": device, "place": place, "network": "192.168.1.0/24"},
    )
    return session


def is_signed_in(client: Client) -> bool:
    """The client's session still opens a signed-in page."""
    from django.urls import reverse

    return client.get(reverse("security:index")).status_code == 200
