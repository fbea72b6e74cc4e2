"""Signing a person in from a view: Django's login (a new session id), then the line in the security history.

The session's clocks and its row under "Sesiones activas" come from the `user_logged_in` receiver
(`signals.py`), so that every way in gets them.
"""

from __future__ import annotations

from django.contrib.auth import login as auth_login
from django.http import HttpRequest

from micuenta.core.actors import Actor
from micuenta.identity.models import User
from micuenta.identity.services.history import login_record

DEFAULT_BACKEND = "micuenta.identity.backends.EmailOrNssBackend"


def login_complete(request: HttpRequest, user: User, *, backend: str | None = None) -> None:
    """Sign the person in and record it."""
    auth_login(request, user, backend=backend or DEFAULT_BACKEND)
    login_record(actor=Actor.of_request(request), user=user)
