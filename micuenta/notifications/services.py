"""Sending e-mail and SMS through the outbox."""

from __future__ import annotations

import logging
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from micuenta.core.privacy import mask_email, mask_phone
from micuenta.notifications.models import Channel, OutboxMessage, Status
from micuenta.notifications.sms import SmsMessage, get_sms_backend

logger = logging.getLogger(__name__)

MOBILE_MX = re.compile(r"[0-9]{10}")  # ten digits, national format (IFT numbering plan)
PHONE_SEPARATORS = re.compile(r"[\s().-]")


def normalize_mobile(number: str) -> str:
    """`55 1234-5678`, `+52 55 1234 5678` → `5512345678`; ValidationError when it is not ten digits."""
    digits = PHONE_SEPARATORS.sub("", number)
    if digits.startswith("+52"):
        digits = digits[3:]
    if not MOBILE_MX.fullmatch(digits):
        raise ValidationError(
            "El número de celular debe tener 10 dígitos, sin el 52 del país; por ejemplo 55 1234 5678.",
            code="invalid_mobile",
        )
    return digits


def _render(template: str, name: str, context: dict[str, Any]) -> str:
    return render_to_string(f"notifications/{template}/{name}", context).strip()


def _render_optional(template: str, name: str, context: dict[str, Any]) -> str:
    try:
        return _render(template, name, context)
    except TemplateDoesNotExist:
        return ""


def notification_send(*, channel: str, to: str, template: str, context: dict[str, Any] | None = None) -> OutboxMessage:
    """Record a message in the outbox and queue its delivery in the same transaction.

    The delivery task is a row of the database task queue, so it commits or rolls back with the caller's
    work: a rolled-back registration sends no code, and a committed one always has its message queued.
    """
    from micuenta.notifications.tasks import deliver_message

    context = dict(context or {})
    context.setdefault("institution", settings.MICUENTA_INSTITUTION)
    to = to.strip()
    if channel == Channel.EMAIL:
        to = to.lower()
        validate_email(to)
        masked = mask_email(to)
        subject = " ".join(_render(template, "subject.txt", context).split())
        body = _render(template, "body.txt", context)
        html_body = _render_optional(template, "body.html", context)
    elif channel == Channel.SMS:
        to = normalize_mobile(to)
        masked = mask_phone(to)
        subject, html_body = "", ""
        body = _render(template, "sms.txt", context)
    else:
        raise ValueError(f"unknown channel {channel!r}")

    with transaction.atomic():
        message = OutboxMessage.objects.create(
            channel=channel,
            template=template,
            recipient_masked=masked,
            to_address=to,
            subject=subject,
            body=body,
            html_body=html_body,
        )
        deliver_message.enqueue(message.pk)
    logger.info("notification queued id=%s channel=%s template=%s", message.pk, channel, template)
    return message


def _failure_text(exc: Exception) -> str:
    # Provider errors often quote the address; keep only the class and the SMTP code.
    code = getattr(exc, "smtp_code", None)
    return f"{type(exc).__name__}{f' {code}' if code else ''}"[:200]


def outbox_deliver(*, message_id: int) -> OutboxMessage:
    """Deliver one queued message through the configured e-mail or SMS backend and record the outcome."""
    claimed = OutboxMessage.objects.filter(pk=message_id, status=Status.QUEUED).update(status=Status.SENDING)
    message = OutboxMessage.objects.get(pk=message_id)
    if not claimed:
        return message  # already delivered, failed or taken by another worker

    # The send happens outside any transaction: a slow provider must not hold database locks.
    try:
        if message.channel == Channel.EMAIL:
            email = EmailMultiAlternatives(
                subject=message.subject,
                body=message.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[message.to_address],
            )
            if message.html_body:
                email.attach_alternative(message.html_body, "text/html")
            email.send(fail_silently=False)
        else:
            get_sms_backend().send_messages(
                [SmsMessage(to=message.to_address, body=message.body, sender=settings.SMS_SENDER_ID)]
            )
    except Exception as exc:  # any provider failure is recorded, never re-raised with its text
        # Provider errors often quote the address: record and log only the class and the SMTP code.
        message.status = Status.FAILED
        message.error = _failure_text(exc)
        logger.warning("notification failed id=%s channel=%s error=%s", message.pk, message.channel, message.error)
    else:
        message.status = Status.SENT
        message.sent_at = timezone.now()
        message.error = ""
        logger.info("notification sent id=%s channel=%s", message.pk, message.channel)
    finally:
        message.attempts += 1
        message.to_address = ""
        if not settings.NOTIFICATIONS_KEEP_BODY:
            message.body = ""
            message.html_body = ""
        if message.status == Status.SENDING:  # an interruption such as KeyboardInterrupt
            message.status = Status.FAILED
            message.error = "interrumpido"
        message.save(update_fields=["status", "error", "sent_at", "attempts", "to_address", "body", "html_body"])
    return message
