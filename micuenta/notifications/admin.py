from django.contrib import admin
from django.http import HttpRequest

from micuenta.notifications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: staff see that a message went out, never its address or its content."""

    list_display = ("created_at", "channel", "template", "recipient_masked", "status", "attempts", "sent_at")
    list_filter = ("channel", "status", "template")
    fields = ("created_at", "channel", "template", "recipient_masked", "status", "attempts", "error", "sent_at")
    readonly_fields = fields
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
