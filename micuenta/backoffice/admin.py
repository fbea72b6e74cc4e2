from django.contrib import admin

from micuenta.backoffice.models import IdCheck, StaffAction
from micuenta.core.admin_helpers import ReadOnlyAdmin


@admin.register(IdCheck)
class IdCheckAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "staff", "worker", "document_type", "number_masked")
    list_filter = ("document_type",)
    date_hierarchy = "created_at"
    exclude = ("number_hmac",)


@admin.register(StaffAction)
class StaffActionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "staff", "worker", "action", "detail")
    list_filter = ("action",)
    date_hierarchy = "created_at"
