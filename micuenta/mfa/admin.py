"""The second factors in the administration: who has what, never a secret.

django-otp's own admin pages show the authenticator's key, its QR code and the recovery codes; staff must never
see those, so they are replaced by pages that only list. A person who lost their factors has them removed at a CESI
(`backoffice.services.staff_mfa_reset`), which checks their identity, tells them and records it.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

_password_only = admin.site.has_permission


def _staff_verified(request: HttpRequest) -> bool:
    """The administration opens only to staff whose session is verified with a second factor (the middleware also
    sends them to enrol or verify first; this holds even if a page were reached another way)."""
    return bool(_password_only(request) and request.user.is_verified())  # type: ignore[union-attr]


admin.site.has_permission = _staff_verified  # type: ignore[method-assign]

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class SecondFactorAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    raw_id_fields = ["user"]
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = ("user", "name", "confirmed", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(SecondFactorAdmin):
    pass


@admin.register(StaticDevice)
class StaticDeviceAdmin(SecondFactorAdmin):
    pass
