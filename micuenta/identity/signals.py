"""Receivers of Django's and django-axes' signals about signing in and out, connected in `IdentityConfig.ready()`.

Django hands them the request: each builds the `Actor` from it and calls a service; the session's own part (its
clocks) is done here. Imported from `ready()` only: axes' signals need the app registry.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest
from django.utils import timezone

from micuenta.core.actors import Actor, ActorKind
from micuenta.core.clients import request_address
from micuenta.identity.backends import account_for_identifier
from micuenta.identity.clock import clock_start
from micuenta.identity.models import User
from micuenta.identity.services.history import login_failure_record, login_lock_record
from micuenta.identity.services.sessions import device_session_start, device_session_stop
from micuenta.identity.throttling import account_of_key, key_reached_limit, lock_ends_at


def actor_of(request: HttpRequest | None) -> Actor:
    """The actor behind a signal's request; an anonymous one without a request."""
    return Actor.of_request(request) if request is not None else Actor(kind=ActorKind.ANONYMOUS)


def session_started(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """On every sign-in: start the session's clocks and list it under "Sesiones activas"."""
    if request is None or not hasattr(request, "session"):
        return
    clock_start(request.session)  # the session is saved: its key exists from here on
    device_session_start(actor=actor_of(request), user=user)


def session_stopped(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    """On every sign-out (the button, the idle limit, the CESI's door): its row leaves "Sesiones activas"."""
    if request is not None and hasattr(request, "session") and request.session.session_key:
        device_session_stop(actor=actor_of(request))


def login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any) -> None:
    """A failed password for a known account goes to its security history."""
    user = account_for_identifier(str(credentials.get("username") or ""))
    if user is not None:
        login_failure_record(actor=actor_of(request), user=user)


def locked_out(sender: Any, request: HttpRequest, username: str, ip_address: str, **kw: Any) -> None:
    """The account's owner hears of the lock by e-mail, with what to do if it was not them."""
    user = account_of_key(username or "")
    # Axes also signals when only the client address is locked: the account itself must have reached the limit.
    if user is None or not key_reached_limit(username):
        return
    until = timezone.localtime(lock_ends_at(key=username, address=request_address(request)))
    login_lock_record(actor=actor_of(request), user=user, until=until)


def connect() -> None:
    user_logged_in.connect(session_started, dispatch_uid="micuenta_identity_session_started")
    user_logged_out.connect(session_stopped, dispatch_uid="micuenta_identity_session_stopped")
    user_login_failed.connect(login_failed, dispatch_uid="micuenta_identity_login_failed")
    user_locked_out.connect(locked_out, dispatch_uid="micuenta_identity_locked_out")
