"""Everything that changes an online account: sign-in, sessions, codes, locks, deletion, contact data.

Views and the back office call these; none of them logs or stores an identifier in clear.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string

from micuenta.core.clients import client_info
from micuenta.core.privacy import mask_email, mask_phone
from micuenta.identity.models import (
    CodePurpose,
    ConfirmationCode,
    DeviceSession,
    SecurityEvent,
    SecurityEventKind,
    User,
)
from micuenta.notifications.models import Channel
from micuenta.notifications.services import notification_send

logger = logging.getLogger(__name__)

SESSION_LOGIN_AT = "_micuenta_login_at"
SESSION_LAST_ACTIVITY = "_micuenta_last_activity"
SESSION_SEEN_WRITTEN = "_micuenta_seen_written"  # when DeviceSession.last_seen_at was last written


class IdentityError(Exception):
    """A refusal with a message for the person, in Spanish, that says what to do."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# --- Security history --------------------------------------------------------------------------------


def security_event_record(
    *,
    kind: str,
    user: User | None = None,
    worker: Any = None,
    request: HttpRequest | None = None,
    detail: str = "",
    actor: User | None = None,
) -> SecurityEvent:
    info = client_info(request)
    if worker is None and user is not None:
        worker = user.worker
    return SecurityEvent.objects.create(
        user=user,
        worker=worker,
        kind=kind,
        network=info.network,
        device=info.device,
        place=info.place,
        detail=detail[:300],
        actor=actor,
    )


# --- Notices to the person ---------------------------------------------------------------------------


def notify_account(user: User, template: str, context: dict[str, Any] | None = None, *, sms: bool = False) -> None:
    """An e-mail to the account's address (and, with sms=True, an SMS to its mobile when it has one)."""
    context = {"user": user, "base_url": settings.MICUENTA_BASE_URL, **(context or {})}
    notification_send(channel=Channel.EMAIL, to=user.email, template=template, context=context)
    if sms and user.mobile:
        notification_send(channel=Channel.SMS, to=user.mobile, template=template, context=context)


# --- Sign-in and sessions ----------------------------------------------------------------------------


def login_complete(request: HttpRequest, user: User, *, backend: str | None = None) -> None:
    """Sign the person in: a new session id, the session's clocks and device row (session_started, on Django's
    user_logged_in signal, so that every way in gets them) and a line in the security history."""
    auth_login(request, user, backend=backend or "micuenta.identity.backends.EmailOrNssBackend")
    security_event_record(kind=SecurityEventKind.LOGIN, user=user, request=request)


def session_started(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """On every sign-in: start the session's clocks and list it under "Sesiones activas"."""
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[SESSION_LOGIN_AT] = now
    request.session[SESSION_LAST_ACTIVITY] = now
    request.session[SESSION_SEEN_WRITTEN] = now
    request.session.save()  # the key exists from here on
    info = client_info(request)
    DeviceSession.objects.update_or_create(
        session_key=request.session.session_key or "",
        defaults={
            "user": user,
            "network": info.network,
            "device": info.device,
            "place": info.place,
            "created_at": timezone.now(),
            "last_seen_at": timezone.now(),
            "ended_at": None,
        },
    )


def session_stopped(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    """On every sign-out (the button, the idle limit, the CESI's door): its row leaves "Sesiones activas"."""
    key = request.session.session_key if request is not None and hasattr(request, "session") else None
    if key:
        DeviceSession.objects.filter(session_key=key, ended_at__isnull=True).update(ended_at=timezone.now())


def _session_store(key: str) -> SessionBase:
    engine = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    store: SessionBase = engine(session_key=key)
    return store


def session_end(device_session: DeviceSession) -> None:
    """End one signed-in session, wherever it is: its row in the session store goes."""
    _session_store(device_session.session_key).delete()
    DeviceSession.objects.filter(pk=device_session.pk, ended_at__isnull=True).update(ended_at=timezone.now())


def sessions_end_all(user: User, *, except_key: str | None = None) -> int:
    """End every session of the account, wherever it is. Returns how many listed sessions ended.

    The account's session epoch goes up, which invalidates every session at its next request, listed or not;
    the listed ones also lose their row in the session store. With except_key, the caller keeps that session
    and must call update_session_auth_hash(request, user) with this same user object.
    """
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    ended = 0
    since = timezone.now() - timedelta(seconds=settings.MICUENTA_SESSION_ABSOLUTE_SECONDS)
    for device_session in DeviceSession.objects.filter(user=user, created_at__gte=since):
        if except_key and device_session.session_key == except_key:
            continue
        if device_session.ended_at is None:
            ended += 1
        session_end(device_session)
    return ended


def _live_sessions() -> Any:
    """Sessions not ended and still within the idle and absolute limits (last_seen_at lags by up to a minute)."""
    now = timezone.now()
    idle = timedelta(seconds=settings.MICUENTA_SESSION_IDLE_SECONDS + 60)
    absolute = timedelta(seconds=settings.MICUENTA_SESSION_ABSOLUTE_SECONDS)
    return DeviceSession.objects.filter(
        ended_at__isnull=True, last_seen_at__gte=now - idle, created_at__gte=now - absolute
    )


def sessions_active(user: User) -> list[DeviceSession]:
    return list(_live_sessions().filter(user=user).order_by("-last_seen_at"))


def sessions_close_lapsed() -> int:
    """Mark as ended the sessions that ran out without coming back (their store rows expire on their own)."""
    live = _live_sessions().values("pk")
    return DeviceSession.objects.filter(ended_at__isnull=True).exclude(pk__in=live).update(ended_at=timezone.now())


def session_rekey(request: HttpRequest, old_key: str | None) -> None:
    """After the session id changes (cycle_key, update_session_auth_hash), keep its device row pointing at it,
    so that it can still be listed and closed from elsewhere."""
    new_key = request.session.session_key
    if old_key and new_key and new_key != old_key:
        DeviceSession.objects.filter(session_key=old_key).update(session_key=new_key)


# --- Locks -------------------------------------------------------------------------------------------


def throttle_reset(user: User) -> None:
    """Lift the temporary sign-in lock (django-axes) of an account."""
    from axes.utils import reset

    from micuenta.identity.throttling import account_key

    reset(username=account_key(user))


# Changes that could have put the account's e-mail in someone else's hands: a "No fui yo" on one of them (or
# made within CONTACT_CHANGE_WINDOW of one) locks the account until a CESI lifts it, not a link sent by e-mail.
CONTACT_TAKEOVER_KINDS = frozenset(
    {SecurityEventKind.EMAIL_CHANGED, SecurityEventKind.MOBILE_CHANGED, SecurityEventKind.MFA_DISABLED}
)
CONTACT_CHANGE_WINDOW = timedelta(days=30)


def lock_needs_cesi(user: User, reported: SecurityEvent | None = None) -> bool:
    if reported is not None and reported.kind in CONTACT_TAKEOVER_KINDS:
        return True
    return SecurityEvent.objects.filter(
        user=user, kind__in=CONTACT_TAKEOVER_KINDS, created_at__gte=timezone.now() - CONTACT_CHANGE_WINDOW
    ).exists()


def account_security_lock(
    user: User,
    *,
    reason: str,
    request: HttpRequest | None = None,
    actor: User | None = None,
    cesi_only: bool = False,
) -> None:
    """Stop all sign-ins to the account until it is unlocked: by a new password through the registered e-mail,
    or, with cesi_only (the e-mail itself may have changed hands), only at a CESI."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(
            security_locked_at=timezone.now(), security_lock_reason=reason[:200], security_lock_cesi_only=cesi_only
        )
        user.refresh_from_db(fields=["security_locked_at", "security_lock_reason", "security_lock_cesi_only"])
        security_event_record(
            kind=SecurityEventKind.SECURITY_LOCK, user=user, request=request, detail=reason, actor=actor
        )
        sessions_end_all(user)
        notify_account(user, "account_locked", {"reason": reason, "cesi_only": cesi_only})


def account_unlock(user: User, *, reason: str, actor: User | None = None, request: HttpRequest | None = None) -> None:
    """Lift both locks: the security lock and the temporary one of failed sign-ins."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(
            security_locked_at=None, security_lock_reason="", security_lock_cesi_only=False
        )
        user.refresh_from_db(fields=["security_locked_at", "security_lock_reason", "security_lock_cesi_only"])
        throttle_reset(user)
        security_event_record(kind=SecurityEventKind.UNLOCKED, user=user, request=request, detail=reason, actor=actor)
        notify_account(user, "account_unlocked", {"reason": reason, "by_staff": actor is not None})


def account_delete(user: User, *, reason: str, actor: User | None = None, request: HttpRequest | None = None) -> None:
    """Delete the online account only. The worker, savings, credits and history stay with the fund.

    The worker can register again straight away with a new e-mail address.
    """
    with transaction.atomic():
        worker = user.worker
        mobile = user.mobile
        # The registered address hears of it too: its owner may still read it even if the person at hand cannot.
        notify_account(user, "account_deleted", {"by_staff": actor is not None})
        sessions_end_all(user)
        throttle_reset(user)
        security_event_record(
            kind=SecurityEventKind.ACCOUNT_DELETED,
            user=None,
            worker=worker,
            request=request,
            detail=reason,
            actor=actor,
        )
        # A new registration starts with fresh codes (the old ones named the deleted account's contacts).
        ConfirmationCode.objects.filter(subject__in=[f"user:{user.pk}", f"worker:{user.worker_id}"]).delete()
        user.delete()
        if mobile:
            notification_send(
                channel=Channel.SMS,
                to=mobile,
                template="account_deleted",
                context={"by_staff": actor is not None},
            )


def password_set(user: User, raw_password: str, *, request: HttpRequest | None = None, keep_session: bool) -> None:
    """A new password: every other session ends (this one too unless keep_session), and a notice goes out."""
    with transaction.atomic():
        user.set_password(raw_password)
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "password_changed_at"])
        current = request.session.session_key if (request is not None and keep_session) else None
        sessions_end_all(user, except_key=current)
        throttle_reset(user)
        security_event_record(kind=SecurityEventKind.PASSWORD_CHANGED, user=user, request=request)
        notify_account(user, "password_changed")


def contact_change(
    user: User,
    *,
    email: str | None = None,
    mobile: str | None = None,
    request: HttpRequest | None = None,
    actor: User | None = None,
    reason: str = "",
) -> None:
    """Change the account's e-mail or mobile; the old contact is told, the new one gets a confirmation."""
    with transaction.atomic():
        if email is not None and email.lower() != user.email:
            old = user.email
            user.email = email.strip().lower()
            user.full_clean(exclude=["password"])
            user.save(update_fields=["email"])
            security_event_record(
                kind=SecurityEventKind.EMAIL_CHANGED,
                user=user,
                request=request,
                actor=actor,
                detail=f"De {mask_email(old)} a {mask_email(user.email)}. {reason}".strip(),
            )
            notification_send(
                channel=Channel.EMAIL,
                to=old,
                template="contact_changed_old",
                context={
                    "what": "correo electrónico",
                    "new_masked": mask_email(user.email),
                    "by_staff": actor is not None,
                },
            )
            notify_account(user, "contact_changed_new", {"what": "correo electrónico"})
        if mobile is not None and mobile != user.mobile:
            old_mobile = user.mobile
            user.mobile = mobile
            user.save(update_fields=["mobile"])
            security_event_record(
                kind=SecurityEventKind.MOBILE_CHANGED,
                user=user,
                request=request,
                actor=actor,
                detail=f"De {mask_phone(old_mobile) or 'ninguno'} a {mask_phone(mobile)}. {reason}".strip(),
            )
            if old_mobile:
                notification_send(
                    channel=Channel.SMS,
                    to=old_mobile,
                    template="contact_changed_old",
                    context={
                        "what": "número de celular",
                        "new_masked": mask_phone(mobile),
                        "by_staff": actor is not None,
                    },
                )
            notify_account(user, "contact_changed_new", {"what": "número de celular"})


# --- Confirmation codes ------------------------------------------------------------------------------


def _code_hash(purpose: str, subject: str, destination: str, code: str) -> str:
    """Keyed hash of a code, bound to where it was sent: a code sent to one address confirms only that one."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{purpose}|{subject}|{destination}|{code}".encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def code_issue(
    *,
    purpose: str,
    subject: str,
    channel: str,
    destination: str | None,
    template: str,
    context: dict[str, Any] | None = None,
) -> ConfirmationCode:
    """Send a new 6-digit code for (purpose, subject), valid 10 minutes, and keep only its hash.

    The same row serves every code of that purpose and subject for a day: a resend keeps the count of wrong
    tries, waits 60 seconds after the last send, and stops at the daily cap. destination=None records a code
    that is never sent (an answer that must look the same whether or not an account exists).
    """
    now = timezone.now()
    today = timezone.localdate()
    masked = ""
    if destination:
        masked = mask_email(destination) if channel == Channel.EMAIL else mask_phone(destination)
    with transaction.atomic():
        row = ConfirmationCode.objects.select_for_update().filter(purpose=purpose, subject=subject).first()
        code = _new_code()
        expires = now + timedelta(seconds=settings.MICUENTA_CODE_TTL_SECONDS)
        if row is not None and row.created_at <= now - timedelta(days=1):
            row.delete()
            row = None
        if row is None:
            row = ConfirmationCode.objects.create(
                purpose=purpose,
                subject=subject,
                channel=channel,
                destination_masked=masked,
                code_hash=_code_hash(purpose, subject, destination or "", code),
                created_at=now,
                sent_at=now,
                expires_at=expires,
                sends_today=1,
                sends_day=today,
            )
        else:
            if row.failed_attempts >= settings.MICUENTA_CODE_MAX_FAILURES:
                raise IdentityError(CODE_TOO_MANY_FAILURES, "code_locked")
            wait = (row.sent_at + timedelta(seconds=settings.MICUENTA_CODE_RESEND_AFTER_SECONDS) - now).total_seconds()
            if wait > 0:
                raise IdentityError(
                    f"Espera {int(wait) + 1} segundos antes de pedir otro código.", "code_resend_too_soon"
                )
            sends = row.sends_today + 1 if row.sends_day == today else 1
            if sends > settings.MICUENTA_CODE_MAX_SENDS_PER_DAY:
                raise IdentityError(
                    "Ya te enviamos el máximo de códigos por hoy. Inténtalo mañana o acude a un Centro de "
                    "Servicio Infonavit (CESI) con una identificación oficial.",
                    "code_daily_cap",
                )
            row.channel = channel
            row.destination_masked = masked
            row.code_hash = _code_hash(purpose, subject, destination or "", code)
            row.sent_at = now
            row.expires_at = expires
            row.sends_today = sends
            row.sends_day = today
            row.used_at = None
            row.save()
        if destination:
            notification_send(
                channel=channel,
                to=destination,
                template=template,
                context={**(context or {}), "code": code, "minutes": settings.MICUENTA_CODE_TTL_SECONDS // 60},
            )
    return row


CODE_TOO_MANY_FAILURES = (
    "Escribiste un código incorrecto demasiadas veces y ya no podemos aceptar otro por hoy. Por tu seguridad, "
    "vuelve a intentarlo mañana o acude a un Centro de Servicio Infonavit (CESI) con una identificación oficial."
)


def code_resend_wait(row: ConfirmationCode) -> int:
    """Seconds until "Reenviar código" may be used again (0 when it may)."""
    ready = row.sent_at + timedelta(seconds=settings.MICUENTA_CODE_RESEND_AFTER_SECONDS)
    return max(0, int((ready - timezone.now()).total_seconds() + 0.999))


def code_verify(*, purpose: str, subject: str, entered: str, destination: str = "") -> ConfirmationCode:
    """Accept the code once. Wrong, expired, used-up or over-tried codes raise IdentityError.

    A wrong try is committed before the refusal is raised, so that it counts whatever the caller does next.
    """
    entered = "".join(entered.split())
    refusal: IdentityError | None = None
    with transaction.atomic():
        row = ConfirmationCode.objects.select_for_update().filter(purpose=purpose, subject=subject).first()
        if row is None:
            refusal = IdentityError("Pide un código de confirmación antes de escribirlo.", "code_missing")
        elif row.failed_attempts >= settings.MICUENTA_CODE_MAX_FAILURES:
            refusal = IdentityError(CODE_TOO_MANY_FAILURES, "code_locked")
        elif row.used_at is not None:
            refusal = IdentityError("Ese código ya se usó. Pide uno nuevo con «Reenviar código».", "code_used")
        elif timezone.now() >= row.expires_at:
            refusal = IdentityError(
                "El código venció (dura 10 minutos). Pide uno nuevo con «Reenviar código».", "code_expired"
            )
        elif not (entered.isdigit() and len(entered) == 6) or not hmac.compare_digest(
            row.code_hash, _code_hash(purpose, subject, destination, entered)
        ):
            row.failed_attempts += 1
            row.save(update_fields=["failed_attempts"])
            left = settings.MICUENTA_CODE_MAX_FAILURES - row.failed_attempts
            if left <= 0:
                refusal = IdentityError(CODE_TOO_MANY_FAILURES, "code_locked")
            else:
                refusal = IdentityError(
                    f"El código no es correcto. Revisa el último mensaje que te enviamos. "
                    f"Te {'queda' if left == 1 else 'quedan'} {left} {'intento' if left == 1 else 'intentos'}.",
                    "code_wrong",
                )
        else:
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
    if refusal is not None or row is None:
        raise refusal or IdentityError("Pide un código de confirmación antes de escribirlo.", "code_missing")
    return row


def code_is_locked(*, purpose: str, subject: str) -> bool:
    return ConfirmationCode.objects.filter(
        purpose=purpose, subject=subject, failed_attempts__gte=settings.MICUENTA_CODE_MAX_FAILURES
    ).exists()


# --- Answers that must not tell whether an account exists ----------------------------------------------


@contextmanager
def uniform_duration(seconds: float | None = None) -> Iterator[None]:
    """Make the block last at least `seconds` (MICUENTA_UNIFORM_RESPONSE_SECONDS), so that the time of an
    answer does not tell whether an account exists."""
    floor = settings.MICUENTA_UNIFORM_RESPONSE_SECONDS if seconds is None else seconds
    started = time.monotonic()
    try:
        yield
    finally:
        left = floor - (time.monotonic() - started)
        if left > 0:
            time.sleep(left)


__all__ = [
    "CodePurpose",
    "IdentityError",
    "account_delete",
    "account_security_lock",
    "account_unlock",
    "code_issue",
    "code_verify",
    "contact_change",
    "login_complete",
    "password_set",
    "security_event_record",
    "session_end",
    "sessions_active",
    "sessions_end_all",
]
