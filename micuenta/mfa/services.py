"""The second factor: enrolment, verification, recovery codes and removal.

Factors are django-otp devices: a TOTP device (the authenticator app), WebAuthn credentials (passkeys) and one
static device that holds the recovery codes. Recovery codes only exist while a primary factor exists.
"""

from __future__ import annotations

import secrets
import time
from base64 import b32encode
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import segno
from django.contrib.auth import logout as auth_logout
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import escape
from django_otp import device_classes, devices_for_user
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from micuenta.identity.models import SecurityEventKind, User
from micuenta.identity.services import notify_account, security_event_record

# Session key: does the signed-in account have a confirmed second factor? Set at sign-in, kept in step with
# every change of factors, so that most requests need no device query.
# Session key: recovery codes just generated, shown once.
SESSION_NEW_CODES = "_micuenta_mfa_new_codes"

TOTP_NAME = "Aplicación de autenticación"
STATIC_NAME = "Códigos de recuperación"
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
RECOVERY_CODE_LENGTH = 10

KIND_TOTP = "Aplicación de autenticación"
KIND_PASSKEY = "Llave de acceso"
KIND_RECOVERY = "Códigos de recuperación"

# The request being served, so that a change of factors made by a third-party view (the passkey ceremony)
# or seen through a model signal also updates the session that made it. Set by the middleware.
current_request: ContextVar[HttpRequest | None] = ContextVar("mfa_current_request", default=None)


class SecondFactorError(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# --- What the account has ------------------------------------------------------------------------------


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


def primary_factors(user: User) -> list[Factor]:
    """The confirmed authenticator apps and passkeys, oldest first."""
    devices: list[Device] = [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *WebAuthnCredential.objects.filter(user=user, confirmed=True),
    ]
    factors = [
        Factor(
            persistent_id=device.persistent_id,
            kind=KIND_PASSKEY if isinstance(device, WebAuthnCredential) else KIND_TOTP,
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


# --- The session flag -----------------------------------------------------------------------------------


def session_enrolled(request: HttpRequest) -> bool:
    """Whether the signed-in account has a confirmed factor: the account's own flag, read with the account on
    every request (no session copy that a concurrent request could overwrite)."""
    return bool(getattr(request.user, "mfa_enabled", False))


def factors_changed(user_id: int) -> None:
    """Keep the account's flag in step with its confirmed factors (called on every change, by signal too)."""
    enrolled = any(model.objects.filter(user_id=user_id, confirmed=True).exists() for model in device_classes())
    User.objects.filter(pk=user_id).update(mfa_enabled=enrolled)
    request = current_request.get()
    if request is not None and getattr(request, "user", None) is not None and request.user.pk == user_id:
        request.user.mfa_enabled = enrolled


# --- Authenticator app (TOTP) ------------------------------------------------------------------------------


def totp_pending(user: User) -> TOTPDevice:
    """The account's unconfirmed authenticator app, made on first use; confirmed only with a valid code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


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


def totp_confirm(request: HttpRequest, device: TOTPDevice, code: str) -> bool:
    """Confirm the pending app with a code it shows now. Returns whether it was confirmed."""
    user: User = request.user  # type: ignore[assignment]
    code = normalize_code(code)
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, info = locked.verify_is_allowed()
        if not allowed:
            raise SecondFactorError(throttled_message(info), "throttled")
        if not (code.isdigit() and locked.verify_token(code)):
            return False
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
    first = not _other_factors(user, exclude=locked)
    _enabled(request, user, locked, KIND_TOTP, first=first)
    return True


# --- Passkeys ----------------------------------------------------------------------------------------------


def passkey_registered(credential: WebAuthnCredential) -> None:
    """A passkey was registered through the ceremony: history, notice, session flags."""
    request = current_request.get()
    user: User = credential.user
    security_event_record(kind=SecurityEventKind.MFA_ENABLED, user=user, request=request, detail=KIND_PASSKEY)
    notify_account(user, "mfa_enabled", {"what": "una llave de acceso"})
    factors_changed(user.pk)


# --- Recovery codes ----------------------------------------------------------------------------------------


def normalize_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def format_recovery_code(code: str) -> str:
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def recovery_codes_generate(request: HttpRequest, user: User) -> list[str]:
    """Replace the account's recovery codes with ten new ones; they are shown once (kept in the session)."""
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH)) for _ in range(10)]
    with transaction.atomic():
        device = recovery_device(user)
        if device is None:
            device = StaticDevice.objects.create(user=user, name=STATIC_NAME, confirmed=True)
        else:
            device.token_set.all().delete()
            device.throttle_reset()
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    shown = [format_recovery_code(code) for code in codes]
    request.session[SESSION_NEW_CODES] = {"codes": shown, "until": time.time() + NEW_CODES_SHOWN_FOR}
    return shown


NEW_CODES_SHOWN_FOR = 15 * 60  # seconds the new codes stay readable in the session, if not confirmed saved


def new_codes(request: HttpRequest) -> list[str]:
    """The recovery codes just generated, while they may still be shown; afterwards they leave the session."""
    held = request.session.get(SESSION_NEW_CODES)
    if not isinstance(held, dict) or time.time() > float(held.get("until", 0)):
        request.session.pop(SESSION_NEW_CODES, None)
        return []
    return list(held.get("codes") or [])


def recovery_codes_renew(request: HttpRequest, user: User, password: str) -> list[str]:
    password_check(request, user, password)
    shown = recovery_codes_generate(request, user)
    security_event_record(
        kind=SecurityEventKind.MFA_ENABLED, user=user, request=request, detail=f"{KIND_RECOVERY} nuevos"
    )
    notify_account(user, "mfa_recovery_codes")
    return shown


# --- Verification after the password ------------------------------------------------------------------------


def throttled_message(info: dict[str, Any] | None) -> str:
    until = (info or {}).get("locked_until")
    if until is None:
        return "Por seguridad, espera un momento antes de intentarlo otra vez."
    seconds = max(1, int((until - timezone.now()).total_seconds() + 0.999))
    if seconds < 60:
        wait = "1 segundo" if seconds == 1 else f"{seconds} segundos"
    else:
        minutes = (seconds + 59) // 60
        wait = "1 minuto" if minutes == 1 else f"{minutes} minutos"
    at = timezone.localtime(until).strftime("%H:%M:%S")
    return (
        "Escribiste varios códigos incorrectos. Por seguridad, podrás intentarlo de nuevo "
        f"en {wait}, a partir de las {at} (hora del centro de México)."
    )


@dataclass(frozen=True)
class VerifyResult:
    device: Device | None
    message: str = ""


def _candidate_model(code: str) -> Any:
    """A code of 6 digits is from the app; one of 10 letters and digits is a recovery code."""
    if code.isdigit() and len(code) == 6:
        return TOTPDevice
    if len(code) == RECOVERY_CODE_LENGTH:
        return StaticDevice
    return None


WRONG_CODE = (
    "El código no es correcto. Escribe los 6 números que muestra ahora tu aplicación de autenticación, "
    "o uno de tus códigos de recuperación."
)


def second_factor_verify(request: HttpRequest, entered: str) -> VerifyResult:
    """Check a code from the app or a recovery code; on success the session is verified.

    Uses django-otp's throttling: each wrong code doubles the wait before the next attempt on that device.
    """
    user: User = request.user  # type: ignore[assignment]
    code = normalize_code(entered)
    model = _candidate_model(code)
    devices: list[Any] = []
    verified: Any = None
    if model is not None:
        with transaction.atomic():
            devices = list(model.objects.devices_for_user(user, confirmed=True).select_for_update())
            for device in devices:
                allowed, info = device.verify_is_allowed()
                if not allowed:
                    return VerifyResult(None, throttled_message(info))
                if device.verify_token(code):
                    verified = device
                    break
    if verified is not None:
        otp_login(request, verified)
        if isinstance(verified, StaticDevice):
            notify_account(user, "mfa_recovery_code_used", {"left": verified.token_set.count()})
        return VerifyResult(verified)

    detail = KIND_TOTP if code.isdigit() else KIND_RECOVERY
    security_event_record(kind=SecurityEventKind.MFA_FAILED, user=user, request=request, detail=detail)
    # Say when the next attempt is possible once the wait has become noticeable.
    for device in devices:
        device.refresh_from_db()
        allowed, info = device.verify_is_allowed()
        if not allowed and device.throttling_failure_count >= 3:
            return VerifyResult(None, f"{WRONG_CODE} {throttled_message(info)}")
    return VerifyResult(None, WRONG_CODE)


# --- Removal -----------------------------------------------------------------------------------------------


WRONG_PASSWORD_LIMIT = 5
SESSION_WRONG_PASSWORDS = "_micuenta_mfa_wrong_passwords"


def password_check(request: HttpRequest, user: User, password: str) -> None:
    """The password again before a change of factors. After five wrong ones in a session, the session ends."""
    if password and user.check_password(password):
        request.session.pop(SESSION_WRONG_PASSWORDS, None)
        return
    wrong = int(request.session.get(SESSION_WRONG_PASSWORDS, 0)) + 1
    request.session[SESSION_WRONG_PASSWORDS] = wrong
    if wrong >= WRONG_PASSWORD_LIMIT:
        security_event_record(
            kind=SecurityEventKind.LOGIN_FAILED, user=user, request=request, detail="Verificación en dos pasos"
        )
        auth_logout(request)
        raise SecondFactorError(
            "Por seguridad cerramos tu sesión: escribiste una contraseña incorrecta varias veces. "
            "Vuelve a iniciar sesión.",
            "signed_out",
        )
    raise SecondFactorError("La contraseña no es correcta. Escríbela de nuevo.", "wrong_password")


def device_of(user: User, persistent_id: str) -> Device | None:
    device = Device.from_persistent_id(persistent_id)
    if device is None or device.user_id != user.pk or not device.confirmed:
        return None
    if not isinstance(device, TOTPDevice | WebAuthnCredential):
        return None
    return device


def _other_factors(user: User, *, exclude: Device) -> list[Device]:
    return [
        d
        for d in devices_for_user(user, confirmed=True)
        if d.persistent_id != exclude.persistent_id and not isinstance(d, StaticDevice)
    ]


def factor_remove(request: HttpRequest, user: User, persistent_id: str, password: str) -> bool:
    """Remove an app or a passkey after checking the password. Returns whether recovery codes went too."""
    password_check(request, user, password)
    device = device_of(user, persistent_id)
    if device is None:
        raise SecondFactorError("Elige qué quieres quitar.", "unknown_factor")
    kind = KIND_PASSKEY if isinstance(device, WebAuthnCredential) else KIND_TOTP
    session_device = request.session.get("otp_device_id")
    remaining = _other_factors(user, exclude=device)
    codes_removed = False
    with transaction.atomic():
        device.delete()
        if not remaining:
            codes_removed = StaticDevice.objects.filter(user=user).delete()[0] > 0
            request.session.pop(SESSION_NEW_CODES, None)
    if session_device == device.persistent_id and remaining:
        # The session was verified with the factor just removed, by a person who also gave the password now:
        # keep it verified, on a factor that still exists.
        otp_login(request, remaining[0])
    security_event_record(kind=SecurityEventKind.MFA_DISABLED, user=user, request=request, detail=kind)
    notify_account(
        user,
        "mfa_disabled",
        {
            "what": "tu aplicación de autenticación" if kind == KIND_TOTP else "una llave de acceso",
            "off": not remaining,
        },
    )
    factors_changed(user.pk)
    return codes_removed


def _enabled(request: HttpRequest, user: User, device: Device, kind: str, *, first: bool) -> None:
    if not request.user.is_verified():  # type: ignore[union-attr]
        otp_login(request, device)
    security_event_record(kind=SecurityEventKind.MFA_ENABLED, user=user, request=request, detail=kind)
    notify_account(user, "mfa_enabled", {"what": "una aplicación de autenticación"})
    if first or recovery_device(user) is None:
        recovery_codes_generate(request, user)
    factors_changed(user.pk)


def factors_remove_all(user: User, *, reason: str, actor: User, request: HttpRequest | None = None) -> int:
    """Remove every second factor of the account (apps, passkeys, recovery codes), for a person who lost them
    and proved who they are at a CESI. Returns how many devices went; the sessions' flags follow by signal."""
    removed = 0
    with transaction.atomic():
        for model in (TOTPDevice, WebAuthnCredential, StaticDevice):
            for device in model.objects.filter(user=user):
                device.delete()
                removed += 1
        if not removed:
            return 0
        security_event_record(
            kind=SecurityEventKind.MFA_DISABLED, user=user, request=request, actor=actor, detail=reason[:300]
        )
        notify_account(user, "mfa_disabled", {"what": "todos los métodos", "off": True, "by_staff": True})
    return removed
