"""Sending e-mail and SMS through the outbox: the message is recorded and its delivery queued (`delivery.py`
delivers it)."""

from __future__ import annotations

import logging
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import render_to_string

from micuenta.core.privacy import mask_email, mask_phone
from micuenta.notifications.models import Channel, OutboxMessage
from micuenta.notifications.tasks import deliver_message

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
