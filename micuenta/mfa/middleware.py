"""Once a second factor is enabled, a password alone opens nothing but the verification page."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django_otp import user_has_device

# Reachable before the second step: the verification itself, passkey ceremonies, signing out, static files.
ALLOWED_PREFIXES = ("/verificacion/", "/webauthn/", "/cerrar-sesion/", "/static/", "/salud/", "/sesion/")


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr]
            and not request.path.startswith(ALLOWED_PREFIXES)
            and user_has_device(user)
        ):
            try:
                target = reverse("mfa:verify")
            except NoReverseMatch:
                return self.get_response(request)
            return redirect(f"{target}?next={request.path}")
        return self.get_response(request)
