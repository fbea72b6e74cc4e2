"""Reads of the second factor: what the account has, and how an authenticator app is shown to be added."""

from __future__ import annotations

from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

import segno
from django.utils import timezone
from django.utils.html import escape
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from micuenta.identity.models import User

KIND_TOTP = "Aplicación de autenticación"
KIND_PASSKEY = "Llave de acceso"
KIND_RECOVERY = "Códigos de recuperación"


@dataclass(frozen=True)
class Factor:
    persistent_id: str
    kind: str  # KIND_*
    label: str
    created_at: datetime | None
    last_used_at: datetime | None


def _label(device: Device) -> str:
    if isinstance(device, WebAuthnCredential):
        when = timezone.localtime(device.created_at).strftime("%d/%m/%Y %H:%M") if device.created_at else ""
        return f"{KIND_PASSKEY} agregada el {when}" if when else KIND_PASSKEY
    return KIND_TOTP


def kind_of(device: Device) -> str:
    return KIND_PASSKEY if isinstance(device, WebAuthnCredential) else KIND_TOTP


def primary_factors(user: User) -> list[Factor]:
    """The confirmed authenticator apps and passkeys, oldest first."""
    devices: list[Device] = [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *WebAuthnCredential.objects.filter(user=user, confirmed=True),
    ]
    factors = [
        Factor(
            persistent_id=device.persistent_id,
            kind=kind_of(device),
            label=_label(device),
            created_at=getattr(device, "created_at", None),
            last_used_at=getattr(device, "last_used_at", None),
        )
        for device in devices
    ]
    return sorted(factors, key=lambda f: f.created_at or timezone.now())


def has_primary_factor(user: User) -> bool:
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )


def has_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def has_passkey(user: User) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def recovery_device(user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user: User) -> int:
    device = recovery_device(user)
    return device.token_set.count() if device else 0


def factor_of(user: User, persistent_id: str) -> Device | None:
    """The account's confirmed app or passkey with this id, or None."""
    device = Device.from_persistent_id(persistent_id)
    if device is None or device.user_id != user.pk or not device.confirmed:
        return None
    if not isinstance(device, TOTPDevice | WebAuthnCredential):
        return None
    return device


def other_factors(user: User, *, exclude: Device) -> list[Device]:
    """The account's confirmed apps and passkeys but this one."""
    return [
        d
        for d in devices_for_user(user, confirmed=True)
        if d.persistent_id != exclude.persistent_id and not isinstance(d, StaticDevice)
    ]


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing it into an app by hand."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (no external image, no data: URI)."""
    qr = segno.make(device.config_url, error="m")
    svg: str = qr.svg_inline(scale=1, border=2, svgclass="qr-code", lineclass="qr-line", omitsize=True)
    label = escape("Código QR para agregar Mi Cuenta a tu aplicación de autenticación")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
