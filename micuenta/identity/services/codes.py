"""6-digit confirmation codes sent by e-mail or SMS: issuing and verifying. Only a keyed hash is stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from micuenta.core.actors import Actor
from micuenta.core.privacy import mask_email, mask_phone
from micuenta.identity.errors import CODE_TOO_MANY_FAILURES, IdentityCode, IdentityError
from micuenta.identity.models import ConfirmationCode
from micuenta.notifications.models import Channel
from micuenta.notifications.services import notification_send


def _code_hash(purpose: str, subject: str, destination: str, code: str) -> str:
    """Keyed hash of a code, bound to where it was sent: a code sent to one address confirms only that one."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{purpose}|{subject}|{destination}|{code}".encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def code_issue(
    *,
    actor: Actor,
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
                raise IdentityError(IdentityCode.CODE_LOCKED, CODE_TOO_MANY_FAILURES)
            wait = (row.sent_at + timedelta(seconds=settings.MICUENTA_CODE_RESEND_AFTER_SECONDS) - now).total_seconds()
            if wait > 0:
                raise IdentityError(
                    IdentityCode.CODE_RESEND_TOO_SOON, f"Espera {int(wait) + 1} segundos antes de pedir otro código."
                )
            sends = row.sends_today + 1 if row.sends_day == today else 1
            if sends > settings.MICUENTA_CODE_MAX_SENDS_PER_DAY:
                raise IdentityError(
                    IdentityCode.CODE_DAILY_CAP,
                    "Ya te enviamos el máximo de códigos por hoy. Inténtalo mañana o acude a un Centro de "
                    "Servicio Infonavit (CESI) con una identificación oficial.",
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


def _missing() -> IdentityError:
    return IdentityError(IdentityCode.CODE_MISSING, "Pide un código de confirmación antes de escribirlo.")


def code_check(*, purpose: str, subject: str, entered: str, destination: str = "") -> IdentityError | None:
    """Spend the code if it is right; else count the wrong try and return the refusal, without raising.

    For services that verify a code and change something in one transaction: they run this inside it, and
    raise the refusal only after the transaction committed, so that a wrong try counts whatever happens next.
    Must run inside a transaction (the code's row is locked).
    """
    entered = "".join(entered.split())
    row = ConfirmationCode.objects.select_for_update().filter(purpose=purpose, subject=subject).first()
    if row is None:
        return _missing()
    if row.failed_attempts >= settings.MICUENTA_CODE_MAX_FAILURES:
        return IdentityError(IdentityCode.CODE_LOCKED, CODE_TOO_MANY_FAILURES)
    if row.used_at is not None:
        return IdentityError(IdentityCode.CODE_USED, "Ese código ya se usó. Pide uno nuevo con «Reenviar código».")
    if timezone.now() >= row.expires_at:
        return IdentityError(
            IdentityCode.CODE_EXPIRED, "El código venció (dura 10 minutos). Pide uno nuevo con «Reenviar código»."
        )
    if not (entered.isdigit() and len(entered) == 6) or not hmac.compare_digest(
        row.code_hash, _code_hash(purpose, subject, destination, entered)
    ):
        row.failed_attempts += 1
        row.save(update_fields=["failed_attempts"])
        left = settings.MICUENTA_CODE_MAX_FAILURES - row.failed_attempts
        if left <= 0:
            return IdentityError(IdentityCode.CODE_LOCKED, CODE_TOO_MANY_FAILURES)
        return IdentityError(
            IdentityCode.CODE_WRONG,
            f"El código no es correcto. Revisa el último mensaje que te enviamos. "
            f"Te {'queda' if left == 1 else 'quedan'} {left} {'intento' if left == 1 else 'intentos'} para los "
            "códigos de este paso, aunque pidas uno nuevo.",
        )
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    return None


def code_verify(*, actor: Actor, purpose: str, subject: str, entered: str, destination: str = "") -> None:
    """Accept the code once. Wrong, expired, used-up or over-tried codes raise IdentityError.

    A wrong try is committed before the refusal is raised, so that it counts whatever the caller does next.
    """
    with transaction.atomic():
        refusal = code_check(purpose=purpose, subject=subject, entered=entered, destination=destination)
    if refusal is not None:
        raise refusal
