"""Feed reports in the administration, read-only: they are written by the import commands only."""

from __future__ import annotations

from django.contrib import admin

from micuenta.core.admin_helpers import ReadOnlyAdmin, ReadOnlyTabularInline
from micuenta.feeds.models import ImportRun, QuarantinedLine


class QuarantinedLineInline(ReadOnlyTabularInline):
    model = QuarantinedLine
    fields = ("line_number", "code", "reason", "raw")
    readonly_fields = fields
    show_change_link = False


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = (
        "started_at", "kind", "file_name", "status", "lines", "posted", "duplicates", "repeated_in_file", "quarantined",
    )  # fmt: skip
    list_filter = ("kind", "status")
    search_fields = ("file_name", "=file_sha256")
    ordering = ("-started_at",)
    inlines = (QuarantinedLineInline,)
