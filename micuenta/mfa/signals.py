"""Keep the account's "has a second factor" flag right, whoever adds, confirms or removes a factor, and record a
passkey registered through the ceremony (a third party's view) as done by the actor of the request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from micuenta.core.actors import Actor
from micuenta.mfa import services
from micuenta.mfa.current import current_actor
from micuenta.mfa.session import new_codes_drop


@receiver(user_logged_in, dispatch_uid="mfa_flag_at_login")
def _flag_at_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        new_codes_drop(request)


@receiver(post_save, sender=WebAuthnCredential, dispatch_uid="mfa_passkey_registered")
def _passkey_registered(sender: Any, instance: WebAuthnCredential, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    if created:
        actor = current_actor.get() or Actor.system("mfa.passkey")
        services.passkey_registered(actor=actor, credential=instance)
    else:
        services.factors_changed(instance.user_id)


@receiver(post_save, sender=TOTPDevice, dispatch_uid="mfa_totp_saved")
@receiver(post_save, sender=StaticDevice, dispatch_uid="mfa_static_saved")
def _factor_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        services.factors_changed(instance.user_id)


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="mfa_totp_deleted")
@receiver(post_delete, sender=WebAuthnCredential, dispatch_uid="mfa_passkey_deleted")
@receiver(post_delete, sender=StaticDevice, dispatch_uid="mfa_static_deleted")
def _factor_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    services.factors_changed(instance.user_id)
