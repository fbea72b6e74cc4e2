from __future__ import annotations

from django.db.models import QuerySet

from micuenta.notifications.models import OutboxMessage


def outbox_recent(*, limit: int = 50) -> QuerySet[OutboxMessage]:
    """The latest messages, newest first."""
    return OutboxMessage.objects.order_by("-created_at", "-id")[:limit]
