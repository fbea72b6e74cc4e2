"""Throttling of sign-in, without handing a stranger who knows an NSS a way to lock its owner out.

- 10 failures on one account from one client address lock that pair for 15 minutes (django-axes, keyed by
  identifier and address): an attacker locks only themselves.
- After 3 failures on an account (from any address), each further try needs the proof of work of `challenge.py`.
- 50 failures on one account (from all addresses together) within 15 minutes stop every further try on it, except
  from a device where its owner signed in before (a signed device cookie, `device_cookie_set`).
- 100 failures from one client address (whatever the accounts) lock that address (`AddressThrottleMiddleware`).

docs/security.md ("Intentos fallidos de inicio de sesión") gives the figures measured by
`scripts/measure_lockout.py`.

Axes keys its records by what `throttle_key` returns: "cuenta:<id>" for an existing account (so the e-mail and
the NSS of one account share a counter) and a keyed hash for anything else. No identifier is stored in clear,
and an unknown identifier is throttled exactly like a known one.

Each door where people sign in with a password answers a lock with its own page. The workers' door is the
default; another door (the CESI back office) registers its path prefix, its sign-in path and its page with
`sign_in_door_register`, from its `AppConfig.ready()`. Identity imports nothing of the doors that register.

The history lines and e-mails about a lock are the services' (`services.security`); the receivers of Django's
and axes' signals are in `signals.py`.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from axes.utils import reset
from django.conf import settings
from django.core import signing
from django.db.models import F, Max, Q, Sum, Value
from django.db.models.functions import Least
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from micuenta.core.clients import request_address
from micuenta.identity.backends import account_for_identifier
from micuenta.identity.forms import LoginForm
from micuenta.identity.models import User

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
    compact = "".join(identifier.split()).replace("-", "")
    if compact.isdigit():
        identifier = compact  # an NSS written with spaces or dashes, as the sign-in form reads it
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


# --- Reads of axes' records ------------------------------------------------------------------------------


def lock_ends_at(*, key: str, address: str) -> datetime:
    """When the lock on this key or this client address ends (the last failure plus the cool-off)."""
    last = (
        AccessAttempt.objects.filter(Q(username=key) | Q(ip_address=address))
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    return (last or timezone.now()) + settings.AXES_COOLOFF_TIME


def key_reached_limit(key: str) -> bool:
    """Whether the account's own failures (not only its client address's) reached a limit: the one of a pair of
    account and address, or the account's ceiling."""
    own = AccessAttempt.objects.filter(username=key).aggregate(total=Sum("failures_since_start"))["total"]
    return (own or 0) >= min(settings.AXES_FAILURE_LIMIT, settings.MICUENTA_LOGIN_ACCOUNT_FAILURE_CEILING)


def account_throttled_until(user: User) -> datetime | None:
    """When the temporary sign-in lock (too many failed passwords) ends, or None when there is none."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    row = AccessAttempt.objects.filter(username=account_key(user), attempt_time__gte=since).aggregate(
        failures=Max("failures_since_start"), last=Max("attempt_time")
    )
    if row["failures"] is None or row["failures"] < settings.AXES_FAILURE_LIMIT:
        return None
    last: datetime = row["last"]
    return last + settings.AXES_COOLOFF_TIME


def address_failures(address: str) -> int:
    """Failed sign-ins from a client address within the cool-off time, whatever the account."""
    if not address:
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return int(total or 0)


def key_failures(key: str) -> int:
    """Failed sign-ins on one account (or unknown identifier) within the cool-off time, from every address; an
    address counts at most up to its own lock (its tries refused by that lock do not bring the ceiling closer)."""
    if not key:
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(username=key, attempt_time__gte=since).aggregate(
        total=Sum(Least(F("failures_since_start"), Value(settings.AXES_FAILURE_LIMIT)))
    )["total"]
    return int(total or 0)


# --- The device cookie: "this browser signed in to this account before" ----------------------------------

DEVICE_COOKIE_SALT = "micuenta.identity.device"


def device_cookie_set(response: HttpResponse, user: User) -> None:
    """Mark the browser of a successful sign-in as one its owner uses (signed; holds the account's id only)."""
    response.set_cookie(
        settings.MICUENTA_DEVICE_COOKIE_NAME,
        signing.dumps(user.pk, salt=DEVICE_COOKIE_SALT),
        max_age=settings.MICUENTA_DEVICE_COOKIE_DAYS * 24 * 3600,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


def device_is_known(request: HttpRequest, key: str) -> bool:
    """Whether the request comes from a browser where the account named by `key` signed in before."""
    value = request.COOKIES.get(settings.MICUENTA_DEVICE_COOKIE_NAME, "")
    if not value or not key.startswith(ACCOUNT_PREFIX):
        return False
    try:
        pk = signing.loads(value, salt=DEVICE_COOKIE_SALT, max_age=settings.MICUENTA_DEVICE_COOKIE_DAYS * 24 * 3600)
    except signing.BadSignature:
        return False
    return key == f"{ACCOUNT_PREFIX}{pk}"


def challenge_required(request: HttpRequest, key: str) -> bool:
    """A sign-in on this account needs the proof of work: it had failures, and this is not its owner's device."""
    return (
        bool(key) and key_failures(key) >= settings.MICUENTA_LOGIN_CHALLENGE_AFTER and not device_is_known(request, key)
    )


def key_over_ceiling(request: HttpRequest, key: str) -> bool:
    """Too many failures on this account from all addresses together; its owner's devices still pass."""
    return (
        bool(key)
        and key_failures(key) >= settings.MICUENTA_LOGIN_ACCOUNT_FAILURE_CEILING
        and not device_is_known(request, key)
    )


def throttle_reset(user: User) -> None:
    """Lift the temporary sign-in lock (django-axes) of an account, in the caller's transaction (axes keeps its
    records in the database)."""
    reset(username=account_key(user))


# --- The doors and their lockout pages -------------------------------------------------------------------

LockoutPage = Callable[[HttpRequest, datetime], HttpResponse]


def workers_lockout_page(request: HttpRequest, until: datetime) -> HttpResponse:
    """The workers' sign-in page again, saying until when sign-in is paused."""
    return render(
        request,
        "identity/login.html",
        {"form": LoginForm(request), "locked_until": until, "next": request.POST.get("next", "")},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


@dataclass(frozen=True)
class SignInDoor:
    """Where some people sign in with a password: the pages under `prefix` send a signed-out person to
    `sign_in_path`, and a locked-out sign-in there gets `lockout_page` (HTTP 429)."""

    prefix: str
    sign_in_path: str
    lockout_page: LockoutPage


_doors: dict[str, SignInDoor] = {}

# Password sign-ins that no door registers: the workers' door and the administration's.
_OWN_SIGN_IN_PATHS = frozenset({settings.LOGIN_URL_PATH, "/admin/login/"})


def sign_in_door_register(door: SignInDoor) -> None:
    """Add a door (called from the AppConfig.ready() of the app that serves it; registering again replaces it)."""
    _doors[door.prefix] = door


def sign_in_door_for(path: str) -> SignInDoor:
    """The registered door whose prefix begins `path` (the longest), else the workers' door."""
    for prefix in sorted(_doors, key=len, reverse=True):
        if path.startswith(prefix):
            return _doors[prefix]
    return SignInDoor(prefix="/", sign_in_path=settings.LOGIN_URL_PATH, lockout_page=workers_lockout_page)


def sign_in_paths() -> frozenset[str]:
    """Every path where people sign in with a password."""
    return _OWN_SIGN_IN_PATHS | {door.sign_in_path for door in _doors.values()}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """The door's sign-in page again, saying until when sign-in is paused (HTTP 429). axes' lockout callable."""
    key = throttle_key(request, credentials) if (credentials or request.method == "POST") else ""
    until = timezone.localtime(lock_ends_at(key=key, address=request_address(request)))
    return sign_in_door_for(request.path).lockout_page(request, until)


class AddressThrottleMiddleware:
    """Answer with the lockout page (HTTP 429) a sign-in from a client address with too many recent failures, or
    on an account over its ceiling of failures from all addresses (unless from its owner's device)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path in sign_in_paths():
            if address_failures(request_address(request)) >= settings.MICUENTA_LOGIN_ADDRESS_FAILURE_LIMIT:
                return lockout_response(request)
            key = throttle_key(request, None)
            if key_over_ceiling(request, key):
                _ceiling_notice(request, key)
                return lockout_response(request)
        response: HttpResponse = self.get_response(request)
        return response


def _ceiling_notice(request: HttpRequest, key: str) -> None:
    """The account's owner hears of the attack like of a lock (the receiver in `signals.py`, once per cool-off)."""
    user_locked_out.send("axes", request=request, username=key, ip_address=request_address(request))
