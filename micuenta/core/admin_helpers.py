"""Shared pieces of the administration pages: read-only admins and money display.

The fund's records arrive from feeds and change through services only (docs/feeds.md), so most admin pages are
read-only: staff may look, never edit.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest

from micuenta.core.actors import ROLE_STAFF, Actor
from micuenta.core.money import format_pesos
from micuenta.core.services import (
    CORRECTABLE_WHEN_APPLIED,
    AdminAction,
    admin_change_record,
    rule_is_applied,
    rule_row_save,
)


def pesos(value: Decimal | None) -> str | None:
    """An amount as "$1,234.50": always two decimals, thousands grouped; None stays empty."""
    return None if value is None else format_pesos(value)


class ReadOnlyAdmin(admin.ModelAdmin):
    """No add, change or delete: the data comes from feeds, services and migrations, never from a form."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReadOnlyTabularInline(admin.TabularInline):
    """An inline that only lists: no extra rows, nothing to add, change or delete."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class RuleAdmin(admin.ModelAdmin):
    """A rule that staff keep (a rate, a factor), each row with its source: saved through `rule_row_save`, which
    records who changed what. Rows are never deleted: a rule that was applied stays as the record of what was
    charged or credited; a change takes effect with a new row. A row not used yet may be corrected; one already
    applied keeps its value (only its source and whether it is confirmed may be corrected)."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and rule_is_applied(obj):  # applied: only its source and confirmation may be corrected
            return [
                f.name
                for f in obj._meta.concrete_fields
                if not f.primary_key and f.name not in CORRECTABLE_WHEN_APPLIED
            ]
        return super().get_readonly_fields(request, obj)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None) -> Any:
        obj = self.get_object(request, object_id)
        if obj is not None and rule_is_applied(obj) and request.method == "GET":
            messages.info(
                request,
                "Esta regla ya se aplicó a cobros o abonos: su valor queda como constancia de lo que se cobró o "
                "abonó. Puedes corregir su fuente y si está confirmada; para cambiar el valor, agrega una fila nueva "
                "con la fecha desde la que rige.",
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        rule_row_save(actor=Actor.of_request(request, roles=frozenset({ROLE_STAFF})), row=obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class AuditedAdmin(admin.ModelAdmin):
    """An admin whose additions, changes and deletions also go to the audit trail (`admin_change_record`), with the
    member of staff who made them; the admin runs them in one transaction with the change."""

    def _record(self, request: HttpRequest, obj: models.Model, action: AdminAction, message: Any) -> None:
        text = message if isinstance(message, str) else str(message)
        admin_change_record(
            actor=Actor.of_request(request, roles=frozenset({ROLE_STAFF})), obj=obj, action=action, message=text
        )

    def log_addition(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        self._record(request, obj, AdminAction.ADDED, message)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        self._record(request, obj, AdminAction.CHANGED, message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            self._record(request, obj, AdminAction.DELETED, str(obj))
        return super().log_deletions(request, queryset)
