"""Delivering one message of the outbox through the configured e-mail or SMS backend (run by the worker's task),
and recording the delivery status the SMS provider reports later."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from micuenta.notifications.models import Channel, OutboxMessage, Status
from micuenta.notifications.sms import SmsDeliveryError, SmsMessage, SmsReceipt, get_sms_backend

logger = logging.getLogger(__name__)

# Twilio's message statuses (https://www.twilio.com/docs/messaging/api/message-resource#message-status-values):
# the final ones move the outbox row; the others only update what the provider last said.
PROVIDER_DELIVERED = frozenset({"delivered", "read"})
PROVIDER_FAILED = frozenset({"failed", "undelivered", "canceled"})


def _failure_text(exc: Exception) -> str:
    # Provider errors often quote the address; keep only the class and the SMTP code or the provider's code.
    if isinstance(exc, SmsDeliveryError):
        return f"SMS: {exc.code}"[:200]
    code = getattr(exc, "smtp_code", None)
    return f"{type(exc).__name__}{f' {code}' if code else ''}"[:200]


def outbox_deliver(*, message_id: int) -> OutboxMessage:
    """Deliver one queued message through the configured e-mail or SMS backend and record the outcome."""
    claimed = OutboxMessage.objects.filter(pk=message_id, status=Status.QUEUED).update(status=Status.SENDING)
    message = OutboxMessage.objects.get(pk=message_id)
    if not claimed:
        return message  # already delivered, failed or taken by another worker

    # The send happens outside any transaction: a slow provider must not hold database locks.
    receipt = SmsReceipt()
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
            receipt = get_sms_backend().send(
                SmsMessage(to=message.to_address, body=message.body, sender=settings.SMS_SENDER_ID)
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
        message.provider_id = receipt.provider_id
        message.provider_status = receipt.status
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
        message.save(
            update_fields=[
                "status",
                "error",
                "sent_at",
                "attempts",
                "to_address",
                "body",
                "html_body",
                "provider_id",
                "provider_status",
            ]
        )
    return message


def outbox_provider_status_record(*, provider_id: str, provider_status: str, error_code: str = "") -> bool:
    """Record a delivery status reported by the SMS provider; False when no message has that id.

    A final status moves the row: delivered → Entregado, failed/undelivered → No se pudo enviar (with the
    provider's error code). A late "sent" after "delivered" does not move it back.
    """
    provider_status = provider_status.strip().lower()[:20]
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(channel=Channel.SMS, provider_id=provider_id)
            .exclude(provider_id="")
            .first()
        )
        if message is None:
            return False
        if message.status in (Status.DELIVERED, Status.FAILED) and message.provider_status in (
            PROVIDER_DELIVERED | PROVIDER_FAILED
        ):
            return True  # a final status already arrived; callbacks may come out of order
        message.provider_status = provider_status
        message.provider_status_at = timezone.now()
        if provider_status in PROVIDER_DELIVERED:
            message.status = Status.DELIVERED
        elif provider_status in PROVIDER_FAILED:
            message.status = Status.FAILED
            code = "".join(ch for ch in error_code if ch.isdigit())[:10]
            message.error = f"SMS: {provider_status}{f' código {code}' if code else ''}"
        message.save(update_fields=["provider_status", "provider_status_at", "status", "error"])
    logger.info("notification status id=%s provider_status=%s", message.pk, provider_status)
    return True
