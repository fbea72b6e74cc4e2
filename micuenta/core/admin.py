"""Reference data in the administration: read-only, because it changes only by migration from `core/data/`."""

from django.contrib import admin

from micuenta.core.admin_helpers import ReadOnlyAdmin
from micuenta.core.models import Holiday, Inpc, MinimumWage, Udi, Uma, Umi


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
