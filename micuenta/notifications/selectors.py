from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from micuenta.notifications.models import Channel, OutboxMessage, Status


def outbox_recent(*, limit: int = 50) -> QuerySet[OutboxMessage]:
    """The latest messages, newest first."""
    return OutboxMessage.objects.order_by("-created_at", "-id")[:limit]


def sms_delivery_failed(*, recipient_masked: str, within_seconds: int) -> bool:
    """Whether the latest SMS to this masked number in the last `within_seconds` could not be sent."""
    if not recipient_masked:
        return False
    since = timezone.now() - timedelta(seconds=within_seconds)
    latest = (
        OutboxMessage.objects.filter(channel=Channel.SMS, recipient_masked=recipient_masked, created_at__gte=since)
        .order_by("-created_at", "-id")
        .values_list("status", flat=True)
        .first()
    )
    return latest == Status.FAILED
