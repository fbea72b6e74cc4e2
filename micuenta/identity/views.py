"""Sign-in, sign-out, the session's clock, the profile and the terms."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from micuenta.core.actors import Actor
from micuenta.core.privacy import mask_phone
from micuenta.identity.auth import login_complete
from micuenta.identity.challenge import challenge_new
from micuenta.identity.clock import SESSION_LAST_ACTIVITY
from micuenta.identity.forms import LoginForm
from micuenta.identity.models import TermsVersion, User
from micuenta.identity.services.history import logout_record
from micuenta.identity.throttling import challenge_required, device_cookie_set, throttle_key

LOGGED_OUT_MESSAGE = "Cerraste sesión. Si usas una computadora compartida, cierra también el navegador."


class LoginView(auth_views.LoginView):
    template_name = "identity/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def _challenge_required(self) -> bool:
        return self.request.method == "POST" and challenge_required(self.request, throttle_key(self.request, None))

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["challenge_required"] = self._challenge_required()
        return kwargs

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        login_complete(self.request, user)
        response = HttpResponseRedirect(self.get_success_url())
        device_cookie_set(response, user)  # this browser is now one of its owner's known devices
        return response

    def form_invalid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        # The identifier the person typed is written back (it tells nothing they did not type, and the page is the
        # same for every wrong combination); the password and the used proof of work are not.
        data = dict(form.data.items())
        data["altcha"] = ""
        form.data = data
        context = self.get_context_data(form=form)
        if self._challenge_required():  # the next try on this account needs the proof of work
            context["challenge"] = challenge_new()
        return self.render_to_response(context)


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        signed_in = isinstance(request.user, User)
        if isinstance(request.user, User):
            logout_record(actor=Actor.of_request(request), user=request.user)
        response = super().post(request, *args, **kwargs)
        if signed_in:
            messages.success(request, LOGGED_OUT_MESSAGE)
        return response


@never_cache
@login_required
@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "identity/profile.html", {"mobile_masked": mask_phone(request.user.mobile)})  # type: ignore[union-attr]


def _seconds_left(request: HttpRequest) -> int:
    last = float(request.session.get(SESSION_LAST_ACTIVITY) or time.time())
    return max(0, int(settings.MICUENTA_SESSION_IDLE_SECONDS - (time.time() - last)))


@never_cache
@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """Seconds of inactivity left before the server closes the session; asking does not extend it."""
    if not request.user.is_authenticated:
        return JsonResponse({"active": False, "seconds_left": 0}, status=401)
    return JsonResponse({"active": True, "seconds_left": _seconds_left(request)})


@never_cache
@require_POST
def session_keepalive(request: HttpRequest) -> HttpResponse:
    """ "Seguir conectado": the idle clock starts again."""
    if not request.user.is_authenticated:
        if request.headers.get("accept", "").startswith("application/json"):
            return JsonResponse({"active": False, "seconds_left": 0}, status=401)
        return redirect(settings.LOGIN_URL_PATH)
    request.session[SESSION_LAST_ACTIVITY] = time.time()
    if request.headers.get("accept", "").startswith("application/json"):
        return JsonResponse({"active": True, "seconds_left": _seconds_left(request)})
    target = str(request.POST.get("next", ""))
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("core:dashboard")


@require_GET
def terms(request: HttpRequest) -> HttpResponse:
    current = TermsVersion.objects.filter(in_force_from__lte=timezone.localdate()).first()
    return render(request, "identity/terms.html", {"terms": current})


@require_GET
def cesi(request: HttpRequest) -> HttpResponse:
    """How to get help in person when self-service cannot be done safely."""
    return render(request, "identity/cesi.html")
