from __future__ import annotations

from django_tasks import task

from micuenta.notifications.delivery import outbox_deliver


@task()
def deliver_message(message_id: int) -> str:
    """Deliver one outbox message; returns its final status."""
    return outbox_deliver(message_id=message_id).status
