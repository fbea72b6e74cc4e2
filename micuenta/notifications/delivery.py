"""Delivering one message of the outbox through the configured e-mail or SMS backend (run by the worker's task)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from micuenta.notifications.models import Channel, OutboxMessage, Status
from micuenta.notifications.sms import SmsMessage, get_sms_backend

logger = logging.getLogger(__name__)


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
