"""Codes as an authenticator app computes them, and an account with a second factor."""

from __future__ import annotations

import time
from typing import Any

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def totp_code_from_secret(secret_text: str, *, steps_ahead: int = 0) -> str:
    """What the app shows for a secret typed by hand (base32, spaces allowed)."""
    from base64 import b32decode

    raw = "".join(secret_text.split()).upper()
    key = b32decode(raw + "=" * (-len(raw) % 8))
    totp = TOTP(key, 30, 0, 6, 0)
    totp.time = time.time() + steps_ahead * 30
    return f"{totp.token():06d}"


def enrol_totp(client: Any) -> TOTPDevice:
    """Through the pages: open the setup, confirm with the current code. Returns the confirmed device."""
    client.get("/mi-perfil/seguridad/dos-pasos/aplicacion/")
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post("/mi-perfil/seguridad/dos-pasos/aplicacion/", {"code": totp_code(device)})
    assert response.status_code == 302, response.content.decode()[:2000]
    device.refresh_from_db()
    assert device.confirmed
    return device


def sign_in_verified(client: Any, user: Any) -> TOTPDevice:
    """Sign a member of staff in as the staff doors leave them: password given, an authenticator app enrolled and
    verified in this session (django-otp's session key, as `django_otp.login` sets it)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Aplicación de autenticación", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
