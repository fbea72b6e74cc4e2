"""Shared pieces of the administration pages: read-only admins and money display.

The fund's records arrive from feeds and change through services only (DOMAIN.md §16.3), so most admin pages are
read-only: staff may look, never edit.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import admin
from django.http import HttpRequest

from micuenta.core.money import format_pesos


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
