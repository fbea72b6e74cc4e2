"""The second factor: enrolment, verification, recovery codes and removal.

Factors are django-otp devices: a TOTP device (the authenticator app), WebAuthn credentials (passkeys) and one
static device that holds the recovery codes. Recovery codes only exist while a primary factor exists.

Services never touch the session: they return what the view needs to do there (`django_otp.login` with the
device verified, the new recovery codes to show once), and take the count of wrong passwords the view keeps.
Reads are in `mfa.selectors`, the session's part in `mfa.session`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_otp import device_classes
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from micuenta.core.actors import Actor
from micuenta.core.audit import audit_record
from micuenta.identity.models import SecurityEventKind, User
from micuenta.identity.services.history import login_failure_record, notify_account, security_event_record
from micuenta.mfa.audit import SecondFactorAction
from micuenta.mfa.errors import SecondFactorCode, SecondFactorError
from micuenta.mfa.selectors import (
    KIND_PASSKEY,
    KIND_RECOVERY,
    KIND_TOTP,
    factor_of,
    kind_of,
    other_factors,
    primary_factors,
    recovery_codes_left,
    recovery_device,
)

TOTP_NAME = "Aplicación de autenticación"
STATIC_NAME = "Códigos de recuperación"
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
RECOVERY_CODE_LENGTH = 10
WRONG_PASSWORD_LIMIT = 5  # wrong passwords in one session before the view signs the person out
# Wrong codes on a device before django-otp's growing wait applies: a typo must not hold up the right code typed
# straight after it. From the third wrong code on, each one doubles the wait (1 s, 2 s, 4 s…).
FREE_WRONG_CODES = 2


def _allowed(device: Any) -> tuple[bool, Any]:
    """django-otp's throttle, but the first FREE_WRONG_CODES wrong codes make no one wait.

    The device must be locked (select_for_update): the wait's start is cleared in memory only, so that
    `verify_token` (which checks the throttle itself) tries the code; a wrong one saves a fresh start."""
    if 0 < device.throttling_failure_count <= FREE_WRONG_CODES:
        device.throttling_failure_timestamp = None
    return device.verify_is_allowed()


# --- The account's flag ---------------------------------------------------------------------------------


def factors_changed(user_id: int) -> None:
    """Keep the account's "has a second factor" flag in step with its confirmed factors.

    Called on every change, by model signal too, whoever makes it: a derived column, not a change of the
    person's data."""
    enrolled = any(model.objects.filter(user_id=user_id, confirmed=True).exists() for model in device_classes())
    User.objects.filter(pk=user_id).update(mfa_enabled=enrolled)


def _audit(actor: Actor, user: User, action: SecondFactorAction, **values: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        subject=user,
        worker_id=user.worker_id,
        before=values.get("before"),
        after=values.get("after"),
        reason=values.get("reason", ""),
    )


# --- Recovery codes ----------------------------------------------------------------------------------------


def normalize_code(code: str) -> str:
    """`Ab3d-E5fg H` → `ab3de5fgh`: spaces, hyphens and capitals do not matter."""
    return "".join(code.split()).replace("-", "").lower()


def format_recovery_code(code: str) -> str:
    """`abcdefghjk` → `abcde-fghjk`."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def recovery_codes_generate(*, actor: Actor, user: User) -> list[str]:
    """Replace the account's recovery codes with ten new ones, and return them for the view to show once.

    The portal keeps them nowhere else in clear (django-otp stores its tokens)."""
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    with transaction.atomic():
        left = recovery_codes_left(user)
        device = recovery_device(user)
        if device is None:
            device = StaticDevice.objects.create(user=user, name=STATIC_NAME, confirmed=True)
        else:
            device.token_set.all().delete()
            device.throttle_reset()
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
        _audit(
            actor,
            user,
            SecondFactorAction.RECOVERY_CODES_GENERATED,
            before={"recovery_codes": left},
            after={"recovery_codes": len(codes)},
        )
    return [format_recovery_code(code) for code in codes]


def _password_refusal(actor: Actor, user: User, password: str, wrong_passwords: int) -> SecondFactorError | None:
    """The password again before a change of factors. The fifth wrong one in a session (the view keeps the count
    and signs the person out on SIGNED_OUT) is recorded as a failed sign-in."""
    if password and user.check_password(password):
        return None
    if wrong_passwords + 1 >= WRONG_PASSWORD_LIMIT:
        login_failure_record(actor=actor, user=user, detail="Verificación en dos pasos")
        return SecondFactorError(
            SecondFactorCode.SIGNED_OUT,
            "Por seguridad cerramos tu sesión: escribiste una contraseña incorrecta varias veces. "
            "Vuelve a iniciar sesión.",
        )
    return SecondFactorError(SecondFactorCode.WRONG_PASSWORD, "La contraseña no es correcta. Escríbela de nuevo.")


def recovery_codes_renew(*, actor: Actor, user: User, password: str, wrong_passwords: int = 0) -> list[str]:
    """ "Generar códigos nuevos": after the password, ten new codes replace the old ones; an e-mail says so."""
    shown: list[str] = []
    with transaction.atomic():
        refusal = _password_refusal(actor, user, password, wrong_passwords)
        if refusal is None:
            shown = recovery_codes_generate(actor=actor, user=user)
            security_event_record(
                actor=actor, kind=SecurityEventKind.MFA_ENABLED, user=user, detail=f"{KIND_RECOVERY} nuevos"
            )
            notify_account(user, "mfa_recovery_codes")
    if refusal is not None:
        raise refusal
    return shown


# --- Enrolment ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Enabled:
    """A factor just confirmed: the view verifies the session with `device` if it was not, and shows
    `recovery_codes` once when new ones were made."""

    device: Device
    recovery_codes: list[str] = field(default_factory=list)


def _enabled(actor: Actor, user: User, device: Device, kind: str, *, factors_before: int) -> Enabled:
    """What follows a new factor, in the caller's transaction: history, audit, e-mail, recovery codes, flag."""
    security_event_record(actor=actor, kind=SecurityEventKind.MFA_ENABLED, user=user, detail=kind)
    _audit(
        actor,
        user,
        SecondFactorAction.FACTOR_ADDED,
        before={"factors": factors_before},
        after={"factors": factors_before + 1, "factor": kind},
    )
    what = "una llave de acceso" if kind == KIND_PASSKEY else "una aplicación de autenticación"
    notify_account(user, "mfa_enabled", {"what": what})
    codes: list[str] = []
    if factors_before == 0 or recovery_device(user) is None:
        codes = recovery_codes_generate(actor=actor, user=user)
    factors_changed(user.pk)
    return Enabled(device=device, recovery_codes=codes)


def totp_pending(*, actor: Actor, user: User) -> TOTPDevice:
    """The account's unconfirmed authenticator app, made on first use; confirmed only with a valid code."""
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
        return device


TOTP_WRONG = (
    "El código no es correcto. Revisa que tu aplicación muestre «Mi Cuenta» y escribe el código que aparece ahora; "
    "cambia cada 30 segundos."
)


def totp_confirm(*, actor: Actor, user: User, device: TOTPDevice, code: str) -> Enabled:
    """Confirm the pending authenticator app with a code it shows now.

    A wrong code counts toward django-otp's wait and is refused (CODE_WRONG, or THROTTLED while the wait lasts)."""
    code = normalize_code(code)
    refusal: SecondFactorError | None = None
    enabled: Enabled | None = None
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        allowed, info = _allowed(locked)
        if not allowed:
            refusal = SecondFactorError(SecondFactorCode.THROTTLED, throttled_message(info))
        elif not (code.isdigit() and locked.verify_token(code)):
            refusal = SecondFactorError(SecondFactorCode.CODE_WRONG, TOTP_WRONG)
        else:
            factors_before = len(other_factors(user, exclude=locked))
            locked.confirmed = True
            locked.save(update_fields=["confirmed"])
            enabled = _enabled(actor, user, locked, KIND_TOTP, factors_before=factors_before)
    if enabled is None:
        raise refusal or SecondFactorError(SecondFactorCode.CODE_WRONG, TOTP_WRONG)
    return enabled


def passkey_registered(*, actor: Actor, credential: WebAuthnCredential) -> None:
    """Record a passkey registered through the ceremony: history, audit, e-mail, flag.

    django-otp-webauthn's views save it; the recovery codes come when the person is back on the portal's page
    (`passkey_codes_ensure`)."""
    user: User = credential.user
    with transaction.atomic():
        factors_before = sum(1 for f in primary_factors(user) if f.persistent_id != credential.persistent_id)
        security_event_record(actor=actor, kind=SecurityEventKind.MFA_ENABLED, user=user, detail=KIND_PASSKEY)
        _audit(
            actor,
            user,
            SecondFactorAction.FACTOR_ADDED,
            before={"factors": factors_before},
            after={"factors": factors_before + 1, "factor": KIND_PASSKEY},
        )
        notify_account(user, "mfa_enabled", {"what": "una llave de acceso"})
        factors_changed(user.pk)


def passkey_codes_ensure(*, actor: Actor, user: User) -> list[str]:
    """After a passkey was added: recovery codes if the account has none yet (returned, to show once)."""
    with transaction.atomic():
        if recovery_device(user) is not None:
            return []
        return recovery_codes_generate(actor=actor, user=user)


# --- Verification after the password ------------------------------------------------------------------------


def throttled_message(info: dict[str, Any] | None) -> str:
    """What to say while django-otp makes the person wait after wrong codes."""
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


def second_factor_verify(*, actor: Actor, user: User, entered: str) -> Device:
    """Check a code from the app or a recovery code, and return the device it matched.

    The view verifies the session with it (`django_otp.login`); a wrong code is recorded and refused. Uses
    django-otp's throttling: each wrong code doubles the wait before the next attempt on that device."""
    code = normalize_code(entered)
    model = _candidate_model(code)
    devices: list[Any] = []
    verified: Any = None
    refusal: SecondFactorError | None = None
    with transaction.atomic():
        if model is not None:
            devices = list(model.objects.devices_for_user(user, confirmed=True).select_for_update())
            for device in devices:
                allowed, info = _allowed(device)
                if not allowed:
                    refusal = SecondFactorError(SecondFactorCode.THROTTLED, throttled_message(info))
                    break
                if device.verify_token(code):
                    verified = device
                    break
        if verified is not None:
            if isinstance(verified, StaticDevice):
                left = verified.token_set.count()
                audit_record(
                    actor=actor,
                    action=SecondFactorAction.RECOVERY_CODE_USED,
                    subject=user,
                    worker_id=user.worker_id,
                    before={"recovery_codes": left + 1},
                    after={"recovery_codes": left},
                )
                notify_account(user, "mfa_recovery_code_used", {"left": left})
        elif refusal is None:
            detail = KIND_TOTP if code.isdigit() else KIND_RECOVERY
            security_event_record(actor=actor, kind=SecurityEventKind.MFA_FAILED, user=user, detail=detail)
            refusal = SecondFactorError(SecondFactorCode.CODE_WRONG, WRONG_CODE)
            # Say when the next attempt is possible once the wait has become noticeable.
            for device in devices:
                device.refresh_from_db()
                allowed, info = device.verify_is_allowed()
                if not allowed and device.throttling_failure_count >= 3:
                    refusal = SecondFactorError(SecondFactorCode.CODE_WRONG, f"{WRONG_CODE} {throttled_message(info)}")
                    break
    if refusal is not None:
        raise refusal
    return verified


# --- Removal -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Removed:
    """A factor removed: which, whether the recovery codes went with it, and the factors left (the view keeps the
    session verified on one of them if it was verified with the one removed)."""

    persistent_id: str
    codes_removed: bool
    remaining: list[Device]


def factor_remove(*, actor: Actor, user: User, persistent_id: str, password: str, wrong_passwords: int = 0) -> Removed:
    """Remove an app or a passkey after checking the password; the last one takes the recovery codes with it."""
    removed: Removed | None = None
    with transaction.atomic():
        refusal = _password_refusal(actor, user, password, wrong_passwords)
        device = factor_of(user, persistent_id) if refusal is None else None
        if refusal is None and device is None:
            refusal = SecondFactorError(SecondFactorCode.UNKNOWN_FACTOR, "Elige qué quieres quitar.")
        if device is not None:
            kind = kind_of(device)
            remaining = other_factors(user, exclude=device)
            device.delete()
            codes_removed = False
            if not remaining:
                codes_removed = StaticDevice.objects.filter(user=user).delete()[0] > 0
            security_event_record(actor=actor, kind=SecurityEventKind.MFA_DISABLED, user=user, detail=kind)
            _audit(
                actor,
                user,
                SecondFactorAction.FACTOR_REMOVED,
                before={"factors": len(remaining) + 1, "factor": kind},
                after={"factors": len(remaining), "recovery_codes_removed": codes_removed},
            )
            notify_account(
                user,
                "mfa_disabled",
                {
                    "what": "tu aplicación de autenticación" if kind == KIND_TOTP else "una llave de acceso",
                    "off": not remaining,
                },
            )
            factors_changed(user.pk)
            removed = Removed(persistent_id=persistent_id, codes_removed=codes_removed, remaining=remaining)
    if removed is None:
        raise refusal or SecondFactorError(SecondFactorCode.UNKNOWN_FACTOR, "Elige qué quieres quitar.")
    return removed


def factors_remove_all(*, actor: Actor, user: User, reason: str) -> int:
    """Remove every second factor of the account, for a person who proved who they are at a CESI.

    Apps, passkeys and recovery codes. Returns how many devices went; the sessions' flags follow by signal."""
    removed = 0
    with transaction.atomic():
        for model in (TOTPDevice, WebAuthnCredential, StaticDevice):
            for device in model.objects.filter(user=user):
                device.delete()
                removed += 1
        if not removed:
            return 0
        security_event_record(actor=actor, kind=SecurityEventKind.MFA_DISABLED, user=user, detail=reason[:300])
        _audit(
            actor,
            user,
            SecondFactorAction.RESET_BY_STAFF,
            before={"devices": removed},
            after={"devices": 0},
            reason=reason,
        )
        notify_account(user, "mfa_disabled", {"what": "todos los métodos", "off": True, "by_staff": True})
    return removed
