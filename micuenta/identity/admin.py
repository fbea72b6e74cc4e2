"""Accounts in the administration.

A worker's online account is read-only here: it changes through the person's own pages and the CESI back office,
whose services tell the person and record each change. Staff accounts are managed here by administrators; every
addition, change and password change goes to the audit trail as well as to the admin's history.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from micuenta.core.admin_helpers import AuditedAdmin
from micuenta.identity.models import User


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active", "date_joined")
    list_select_related = ("worker",)
    list_filter = ("is_staff", "is_superuser", "is_active")
    search_fields = ("email", "first_name", "last_name")
    readonly_fields = ("last_login", "date_joined", "worker")
    filter_horizontal = ()  # plain multi-selects: the JavaScript widget fails axe (aria-prohibited-attr)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Datos personales", {"fields": ("first_name", "last_name", "worker")}),
        ("Permisos", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Fechas", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.worker_id is not None:
            return False  # a worker's account: Mi perfil and the CESI
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # an account is deleted by its owner or at a CESI, never from here

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        with transaction.atomic():  # the new password and its audit event commit together
            return super().user_change_password(request, id, form_url)
