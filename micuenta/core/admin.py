"""Reference data and the audit trail in the administration, read-only: reference data changes only by migration
from `core/data/`, and the audit trail is append-only."""

from django.contrib import admin

from micuenta.core.admin_helpers import ReadOnlyAdmin
from micuenta.core.models import AuditEvent, Holiday, Inpc, MinimumWage, Udi, Uma, Umi


@admin.register(Uma)
class UmaAdmin(ReadOnlyAdmin):
    list_display = ("year", "valid_from", "daily", "monthly", "annual", "source")
    search_fields = ("year",)


@admin.register(MinimumWage)
class MinimumWageAdmin(ReadOnlyAdmin):
    list_display = ("valid_from", "general", "zlfn", "source")


@admin.register(Umi)
class UmiAdmin(ReadOnlyAdmin):
    list_display = ("valid_from", "daily", "monthly", "annual", "source")


@admin.register(Inpc)
class InpcAdmin(ReadOnlyAdmin):
    list_display = ("year", "month", "value", "source")
    list_filter = ("year",)
    search_fields = ("year",)


@admin.register(Udi)
class UdiAdmin(ReadOnlyAdmin):
    list_display = ("date", "value", "source")
    search_fields = ("date",)  # e.g. 2025-01 lists January 2025
    show_full_result_count = False  # about 11,000 rows: no second COUNT(*)


@admin.register(Holiday)
class HolidayAdmin(ReadOnlyAdmin):
    list_display = ("date", "name", "kind", "source")
    list_filter = ("kind",)
    search_fields = ("name", "date")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Who changed what, before → after, and why: the change of a person's data, a status or money."""

    list_display = ("created_at", "action", "actor_kind", "actor_user_id", "actor_job", "subject_type", "subject_id",
                    "worker_id")  # fmt: skip
    list_filter = ("action", "actor_kind", "subject_type")
    search_fields = ("=subject_id", "=worker_id", "=actor_user_id", "actor_job")
    date_hierarchy = "created_at"
    show_full_result_count = False  # the trail grows with every change: no second COUNT(*)
