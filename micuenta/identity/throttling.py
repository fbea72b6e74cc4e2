"""Throttling of sign-in: 10 failures lock an account, and 100 failures a client address, for 15 minutes.

django-axes records every failure and locks the account; `AddressThrottleMiddleware` locks the client address
from the same records, at its own, higher limit.

Axes keys its records by what `throttle_key` returns: "cuenta:<id>" for an existing account (so the e-mail and
the NSS of one account share a counter) and a keyed hash for anything else. No identifier is stored in clear,
and an unknown identifier is throttled exactly like a known one.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from micuenta.identity.backends import account_for_identifier
from micuenta.identity.models import SecurityEventKind, User

ACCOUNT_PREFIX = "cuenta:"


def account_key(user: User) -> str:
    return f"{ACCOUNT_PREFIX}{user.pk}"


def throttle_key(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    identifier = ""
    if credentials:
        identifier = str(credentials.get("username") or "")
    elif request is not None:
        identifier = str(request.POST.get("username", ""))
    identifier = identifier.strip().lower()
    if not identifier:
        return ""
    # Axes asks more than once per sign-in (the lock check, then the reset): one lookup per request.
    known: dict[str, str] = getattr(request, "_micuenta_throttle_keys", {})
    if identifier in known:
        return known[identifier]
    user = account_for_identifier(identifier)
    if user is not None:
        key = account_key(user)
    else:
        digest = hmac.new(settings.SECRET_KEY.encode(), identifier.encode(), hashlib.sha256).hexdigest()
        key = f"otro:{digest[:32]}"
    if request is not None:
        request._micuenta_throttle_keys = {**known, identifier: key}  # type: ignore[attr-defined]
    return key


def account_of_key(key: str) -> User | None:
    if not key.startswith(ACCOUNT_PREFIX):
        return None
    return User.objects.filter(pk=key.removeprefix(ACCOUNT_PREFIX)).first()


def lock_ends_at(request: HttpRequest, key: str) -> datetime:
    """When the lock on this key or this client address ends (the last failure plus the cool-off)."""
    from axes.models import AccessAttempt
    from django.db.models import Q

    from micuenta.core.clients import request_address

    last = (
        AccessAttempt.objects.filter(Q(username=key) | Q(ip_address=request_address(request)))
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    return (last or timezone.now()) + settings.AXES_COOLOFF_TIME


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """The sign-in page again, saying until when sign-in is paused (HTTP 429)."""
    from micuenta.identity.forms import LoginForm

    key = throttle_key(request, credentials) if (credentials or request.method == "POST") else ""
    until = timezone.localtime(lock_ends_at(request, key))
    if request.path.startswith("/cesi/"):
        # The CESI back office's own sign-in page, with the same notice.
        from micuenta.backoffice.forms import LoginForm as StaffLoginForm

        return render(
            request,
            "backoffice/login.html",
            {"form": StaffLoginForm(), "locked_until": until, "nav_items": (), "next": ""},
            status=settings.AXES_HTTP_RESPONSE_CODE,
        )
    form = LoginForm(request)
    return render(
        request,
        "identity/login.html",
        {"form": form, "locked_until": until, "next": request.POST.get("next", "")},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


@receiver(user_login_failed)
def record_failed_login(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any
) -> None:
    """A failed password for a known account goes to its security history."""
    from micuenta.identity.services import security_event_record

    user = account_for_identifier(str(credentials.get("username") or ""))
    if user is not None:
        security_event_record(kind=SecurityEventKind.LOGIN_FAILED, user=user, request=request)


def _on_locked_out(sender: Any, request: HttpRequest, username: str, ip_address: str, **kw: Any) -> None:
    """The account's owner hears of the lock by e-mail, with what to do if it was not them."""
    from micuenta.identity.services import notify_account, security_event_record

    user = account_of_key(username or "")
    if user is None:
        return
    from axes.models import AccessAttempt
    from django.db.models import Sum

    from micuenta.identity.models import SecurityEvent

    # Axes also signals when only the client address is locked: the account itself must have reached the limit.
    own = AccessAttempt.objects.filter(username=username).aggregate(total=Sum("failures_since_start"))["total"]
    if (own or 0) < settings.AXES_FAILURE_LIMIT:
        return

    # Axes signals every refused try while locked; the person hears of the lock once.
    if SecurityEvent.objects.filter(
        user=user, kind=SecurityEventKind.LOCKED, created_at__gte=timezone.now() - settings.AXES_COOLOFF_TIME
    ).exists():
        return
    until = timezone.localtime(lock_ends_at(request, username))
    security_event_record(kind=SecurityEventKind.LOCKED, user=user, request=request)
    notify_account(user, "login_locked", {"until": until})


def connect_signals() -> None:
    from axes.signals import user_locked_out

    user_locked_out.connect(_on_locked_out, dispatch_uid="micuenta_identity_locked_out")


# Where people sign in with a password: the workers' door, the CESI back office and the administration.
SIGN_IN_PATHS = frozenset({"/iniciar-sesion/", "/cesi/iniciar-sesion/", "/admin/login/"})


def address_failures(request: HttpRequest) -> int:
    """Failed sign-ins from the request's client address within the cool-off time, whatever the account."""
    from axes.models import AccessAttempt
    from django.db.models import Sum

    from micuenta.core.clients import request_address

    address = request_address(request)
    if not address:
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return int(total or 0)


class AddressThrottleMiddleware:
    """Answer a sign-in from a client address with too many recent failures with the lockout page (HTTP 429)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method == "POST"
            and request.path in SIGN_IN_PATHS
            and address_failures(request) >= settings.MICUENTA_LOGIN_ADDRESS_FAILURE_LIMIT
        ):
            return lockout_response(request)
        response: HttpResponse = self.get_response(request)
        return response
