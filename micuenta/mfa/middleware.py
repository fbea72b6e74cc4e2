"""Once a second factor is enabled, a password alone opens nothing but the verification page.

Staff (CESI roles, administration users) must have one: a member of staff without a confirmed factor is sent to
enrol (`mfa:staff_enrol`) before any other page opens, and then verifies it after the password like anyone else."""

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
    "/cesi/cerrar-sesion/",
    "/sesion/",
    "/static/",
    "/salud/",
)
# Also reachable by staff who have no factor yet: the pages and the passkey ceremony that add one.
STAFF_ENROLMENT_PREFIXES = (
    "/mi-perfil/seguridad/dos-pasos/",
    "/webauthn/registration/",
    "/webauthn/jsi18n/",
)


def is_staff_account(user: object) -> bool:
    """Every staff role: CESI staff and administration users (the flag, or superuser without it)."""
    return bool(getattr(user, "is_staff", False) or getattr(user, "is_superuser", False))


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
        if user.is_verified():
            return None
        if not session_enrolled(request):
            if not is_staff_account(user) or request.path.startswith(STAFF_ENROLMENT_PREFIXES):
                return None
            target = reverse("mfa:staff_enrol")
        else:
            target = reverse("mfa:verify")
        if request.headers.get("accept", "").startswith("application/json"):
            return JsonResponse({"detail": "Falta la verificación en dos pasos."}, status=403)
        if request.method in ("GET", "HEAD"):
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        return redirect(target)
