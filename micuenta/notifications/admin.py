from django.contrib import admin

from micuenta.core.admin_helpers import ReadOnlyAdmin
from micuenta.notifications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """Read-only: staff see that a message went out, never its address or its content."""

    list_display = ("created_at", "channel", "template", "recipient_masked", "status", "attempts", "sent_at")
    list_filter = ("channel", "status", "template")
    fields = ("created_at", "channel", "template", "recipient_masked", "status", "attempts", "error", "sent_at")
    readonly_fields = fields
    date_hierarchy = "created_at"
