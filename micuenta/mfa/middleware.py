"""Once a second factor is enabled, a password alone opens nothing but the verification page."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from micuenta.core.actors import Actor
from micuenta.mfa.current import current_actor
from micuenta.mfa.session import session_enrolled

# Reachable before the second step: the verification itself (and its help page), the passkey sign-in
# ceremony and the library's translations, signing out, the session's idle check, static files, health.
ALLOWED_PREFIXES = (
    "/verificacion/",
    "/webauthn/authentication/",
    "/webauthn/jsi18n/",
    "/cerrar-sesion/",
    "/sesion/",
    "/static/",
    "/salud/",
)


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_actor.set(Actor.of_request(request))
        try:
            refused = self._refuse(request)
            return refused if refused is not None else self.get_response(request)
        finally:
            current_actor.reset(token)

    def _refuse(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(ALLOWED_PREFIXES):
            return None
        # is_verified() reads the session (OTPMiddleware); the flag spares the device queries for the many
        # accounts without a second factor.
        if user.is_verified() or not session_enrolled(request):
            return None
        if request.headers.get("accept", "").startswith("application/json"):
            return JsonResponse({"detail": "Falta la verificación en dos pasos."}, status=403)
        target = reverse("mfa:verify")
        if request.method in ("GET", "HEAD"):
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        return redirect(target)
