from django.contrib import admin

from micuenta.core.admin_helpers import ReadOnlyAdmin
from micuenta.notifications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """Read-only: staff see that a message went out, never its address or its content."""

    list_display = ("created_at", "channel", "template", "recipient_masked", "status", "error", "attempts", "sent_at")
    list_filter = ("channel", "status", "template")
    search_fields = ("provider_id",)
    fields = (
        "created_at",
        "channel",
        "template",
        "recipient_masked",
        "status",
        "attempts",
        "error",
        "sent_at",
        "provider_id",
        "provider_status",
        "provider_status_at",
    )
    readonly_fields = fields
    date_hierarchy = "created_at"
