from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from micuenta.identity.models import User
from micuenta.mfa import services
from micuenta.mfa.forms import CodeForm, PasswordForm, RemoveForm, TotpConfirmForm
from micuenta.mfa.services import SecondFactorError

View = Callable[..., HttpResponse]


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _signed_out(request: HttpRequest, exc: SecondFactorError) -> HttpResponse:
    messages.error(request, exc.message)
    return redirect("identity:login")


def verified_if_enrolled(view: View) -> View:
    """Changing the second factor needs a session verified with it, once the account has one."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_verified() and services.session_enrolled(request):  # type: ignore[union-attr]
            return redirect(f"{reverse('mfa:verify')}?{urlencode({'next': request.path})}")
        return view(request, *args, **kwargs)

    return wrapper


# --- Verification after the password -------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    next_url = _safe_next(request)
    if request.user.is_verified():  # type: ignore[union-attr]
        return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    enrolled = services.session_enrolled(request)
    form = CodeForm(request.POST or None)
    error = ""
    if enrolled and request.method == "POST" and form.is_valid():
        result = services.second_factor_verify(request, form.cleaned_data["code"])
        if result.device is not None:
            return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
        error = result.message
        form = CodeForm()  # an empty field for the next try
        form.fields["code"].widget.attrs.update({"aria-invalid": "true", "aria-describedby": "id_code-ayuda errores"})
    context = {
        "form": form,
        "enrolled": enrolled,
        "error": error,
        "next": next_url,
        "has_totp": enrolled and services.has_totp(user),
        "has_passkey": enrolled and services.has_passkey(user),
        "has_codes": enrolled and services.recovery_codes_left(user) > 0,
        "nav_items": [],  # nothing else opens before this step
    }
    return render(request, "mfa/verify.html", context, status=200)


@require_http_methods(["GET"])
def lost(request: HttpRequest) -> HttpResponse:
    return render(request, "mfa/lost.html")


# --- Management ------------------------------------------------------------------------------------------------


@never_cache
@login_required
@verified_if_enrolled
@require_http_methods(["GET"])
def manage(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    factors = services.primary_factors(user)
    context = {
        "factors": factors,
        "has_totp": any(f.kind == services.KIND_TOTP for f in factors),
        "codes_left": services.recovery_codes_left(user) if factors else 0,
    }
    return render(request, "mfa/manage.html", context)


@never_cache
@login_required
@verified_if_enrolled
@require_http_methods(["GET", "POST"])
def totp_setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if services.has_totp(user):
        messages.info(request, "Ya tienes una aplicación de autenticación activa. Para cambiarla, primero quítala.")
        return redirect("mfa:manage")
    device = services.totp_pending(user)
    form = TotpConfirmForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = services.totp_confirm(request, device, form.cleaned_data["code"])
        except SecondFactorError as exc:
            error = exc.message
        else:
            if confirmed:
                messages.success(request, "Activaste la verificación en dos pasos con tu aplicación de autenticación.")
                if services.new_codes(request):
                    return redirect("mfa:recovery_codes")
                return redirect("mfa:manage")
            error = (
                "El código no es correcto. Revisa que tu aplicación muestre «Mi Cuenta» y escribe el código que "
                "aparece ahora; cambia cada 30 segundos."
            )
        if error:
            form.add_error("code", error)
    context = {
        "form": form,
        "qr_svg": services.totp_qr_svg(device),
        "secret": services.totp_secret_text(device),
    }
    return render(request, "mfa/totp_setup.html", context)


@never_cache
@login_required
@verified_if_enrolled
@require_http_methods(["GET", "POST"])
def passkey_add(request: HttpRequest) -> HttpResponse:
    """The page with the passkey button; the ceremony's script posts here once the passkey is saved."""
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        if not services.has_passkey(user):
            messages.error(request, "No se guardó ninguna llave de acceso. Inténtalo de nuevo.")
            return redirect("mfa:passkey_add")
        messages.success(request, "Agregaste una llave de acceso.")
        if services.recovery_device(user) is None:
            services.recovery_codes_generate(request, user)
            return redirect("mfa:recovery_codes")
        return redirect("mfa:manage")
    return render(request, "mfa/passkey_add.html")


@never_cache
@login_required
@verified_if_enrolled
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    new_codes: list[str] = services.new_codes(request)
    form = PasswordForm()
    if request.method == "POST":
        if request.POST.get("action") == "guardados":
            request.session.pop(services.SESSION_NEW_CODES, None)
            messages.success(request, "Listo. Guarda tus códigos de recuperación en un lugar seguro.")
            return redirect("mfa:manage")
        form = PasswordForm(request.POST)
        if form.is_valid() and services.has_primary_factor(user):
            try:
                services.recovery_codes_renew(request, user, form.cleaned_data["password"])
            except SecondFactorError as exc:
                if exc.code == "signed_out":
                    return _signed_out(request, exc)
                form.add_error("password", exc.message)
            else:
                return redirect("mfa:recovery_codes")
    context = {
        "new_codes": new_codes,
        "form": form,
        "has_factor": services.has_primary_factor(user),
        "codes_left": services.recovery_codes_left(user),
    }
    return render(request, "mfa/recovery_codes.html", context)


@never_cache
@login_required
@verified_if_enrolled
@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    factors = services.primary_factors(user)
    choices = [(f.persistent_id, f.label) for f in factors]
    if request.method == "POST":
        form = RemoveForm(request.POST, choices=choices)
        if form.is_valid():
            try:
                codes_removed = services.factor_remove(
                    request, user, form.cleaned_data["factor"], form.cleaned_data["password"]
                )
            except SecondFactorError as exc:
                if exc.code == "signed_out":
                    return _signed_out(request, exc)
                form.add_error("password" if exc.code == "wrong_password" else "factor", exc.message)
            else:
                text = "Quitaste ese método de verificación."
                if codes_removed:
                    text += (
                        " Ya no tienes la verificación en dos pasos activa; tus códigos de recuperación se borraron."
                    )
                messages.success(request, text)
                return redirect("mfa:manage")
    else:
        initial = request.GET.get("factor", "")
        form = RemoveForm(initial={"factor": initial} if initial in dict(choices) else None, choices=choices)
    return render(request, "mfa/remove.html", {"form": form, "factors": factors})
