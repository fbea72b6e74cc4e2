from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from micuenta.core.actors import Actor
from micuenta.identity.models import User
from micuenta.mfa import selectors, services, session
from micuenta.mfa.errors import SecondFactorCode, SecondFactorError
from micuenta.mfa.forms import CodeForm, PasswordForm, RemoveForm, TotpConfirmForm
from micuenta.mfa.middleware import is_staff_account
from micuenta.mfa.origin import passkey_address

View = Callable[..., HttpResponse]


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _passkey_address(request: HttpRequest) -> str:
    """Where to open the page for passkeys to work, when this address is not the one they are tied to; else ""."""
    return passkey_address(request.scheme or "http", request.get_host(), settings.OTP_WEBAUTHN_ALLOWED_ORIGINS)


def _signed_out(request: HttpRequest, exc: SecondFactorError) -> HttpResponse:
    logout(request)
    messages.error(request, exc.message)
    return redirect("identity:login")


def _count_password(request: HttpRequest, exc: SecondFactorError | None) -> None:
    """Keep the session's count of wrong passwords on these pages (the services end the session at five)."""
    wrong = exc is not None and exc.code == SecondFactorCode.WRONG_PASSWORD
    session.wrong_passwords_set(request, session.wrong_passwords(request) + 1 if wrong else 0)


def verified_if_enrolled(view: View) -> View:
    """Changing the second factor needs a session verified with it, once the account has one."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_verified() and session.session_enrolled(request):  # type: ignore[union-attr]
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
    enrolled = session.session_enrolled(request)
    form = CodeForm(request.POST or None)
    error = ""
    if enrolled and request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_verify(
                actor=Actor.of_request(request), user=user, entered=form.cleaned_data["code"]
            )
        except SecondFactorError as exc:
            error = exc.message
        else:
            otp_login(request, device)
            return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
        form = CodeForm()  # an empty field for the next try
        form.fields["code"].widget.attrs.update({"aria-invalid": "true", "aria-describedby": "id_code-ayuda errores"})
    context = {
        "form": form,
        "enrolled": enrolled,
        "error": error,
        "next": next_url,
        "has_totp": enrolled and selectors.has_totp(user),
        "has_passkey": enrolled and selectors.has_passkey(user),
        "passkey_address": _passkey_address(request),
        "has_codes": enrolled and selectors.recovery_codes_left(user) > 0,
        "nav_items": [],  # nothing else opens before this step
    }
    return render(request, "mfa/verify.html", context, status=200)


@require_http_methods(["GET"])
def lost(request: HttpRequest) -> HttpResponse:
    return render(request, "mfa/lost.html")


@never_cache
@login_required
@require_http_methods(["GET"])
def staff_enrol(request: HttpRequest) -> HttpResponse:
    """Where staff without a second factor land: every staff page needs one, added here first."""
    user: User = request.user  # type: ignore[assignment]
    next_url = _safe_next(request)
    if session.session_enrolled(request):
        return redirect(f"{reverse('mfa:verify')}?{urlencode({'next': next_url})}" if next_url else "mfa:verify")
    if next_url:
        request.session[session.SESSION_STAFF_NEXT] = next_url
    return render(request, "mfa/staff_enrol.html", {"nav_items": [], "staff": is_staff_account(user)})


# --- Management ------------------------------------------------------------------------------------------------


@never_cache
@login_required
@verified_if_enrolled
@require_http_methods(["GET"])
def manage(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    factors = selectors.primary_factors(user)
    context = {
        "factors": factors,
        "has_totp": any(f.kind == selectors.KIND_TOTP for f in factors),
        "codes_left": selectors.recovery_codes_left(user) if factors else 0,
    }
    return render(request, "mfa/manage.html", context)


@never_cache
@login_required
@verified_if_enrolled
@require_http_methods(["GET", "POST"])
def totp_setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if selectors.has_totp(user):
        messages.info(request, "Ya tienes una aplicación de autenticación activa. Para cambiarla, primero quítala.")
        return redirect("mfa:manage")
    actor = Actor.of_request(request)
    device = services.totp_pending(actor=actor, user=user)
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enabled = services.totp_confirm(actor=actor, user=user, device=device, code=form.cleaned_data["code"])
        except SecondFactorError as exc:
            form.add_error("code", exc.message)
        else:
            if not request.user.is_verified():  # type: ignore[union-attr]
                otp_login(request, enabled.device)
            messages.success(request, "Activaste la verificación en dos pasos con tu aplicación de autenticación.")
            if enabled.recovery_codes:
                session.new_codes_hold(request, enabled.recovery_codes)
            if session.new_codes(request):
                return redirect("mfa:recovery_codes")
            return redirect("mfa:manage")
    context = {
        "form": form,
        "qr_svg": selectors.totp_qr_svg(device),
        "secret": selectors.totp_secret_text(device),
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
        if not selectors.has_passkey(user):
            messages.error(request, "No se guardó ninguna llave de acceso. Inténtalo de nuevo.")
            return redirect("mfa:passkey_add")
        messages.success(request, "Agregaste una llave de acceso.")
        codes = services.passkey_codes_ensure(actor=Actor.of_request(request), user=user)
        if codes:
            session.new_codes_hold(request, codes)
            return redirect("mfa:recovery_codes")
        return redirect("mfa:manage")
    return render(request, "mfa/passkey_add.html", {"passkey_address": _passkey_address(request)})


@never_cache
@login_required
@verified_if_enrolled
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    new_codes: list[str] = session.new_codes(request)
    form = PasswordForm()
    if request.method == "POST":
        if request.POST.get("action") == "guardados":
            session.new_codes_drop(request)
            messages.success(request, "Listo. Guarda tus códigos de recuperación en un lugar seguro.")
            staff_next = request.session.pop(session.SESSION_STAFF_NEXT, "")
            return redirect(staff_next or "mfa:manage")
        form = PasswordForm(request.POST)
        if form.is_valid() and selectors.has_primary_factor(user):
            try:
                codes = services.recovery_codes_renew(
                    actor=Actor.of_request(request),
                    user=user,
                    password=form.cleaned_data["password"],
                    wrong_passwords=session.wrong_passwords(request),
                )
            except SecondFactorError as exc:
                if exc.code == SecondFactorCode.SIGNED_OUT:
                    return _signed_out(request, exc)
                _count_password(request, exc)
                form.add_error("password", exc.message)
            else:
                _count_password(request, None)
                session.new_codes_hold(request, codes)
                return redirect("mfa:recovery_codes")
    context = {
        "new_codes": new_codes,
        "form": form,
        "has_factor": selectors.has_primary_factor(user),
        "codes_left": selectors.recovery_codes_left(user),
    }
    return render(request, "mfa/recovery_codes.html", context)


@never_cache
@login_required
@verified_if_enrolled
@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    factors = selectors.primary_factors(user)
    choices = [(f.persistent_id, f.label) for f in factors]
    if request.method == "POST":
        form = RemoveForm(request.POST, choices=choices)
        if form.is_valid():
            try:
                removed = services.factor_remove(
                    actor=Actor.of_request(request),
                    user=user,
                    persistent_id=form.cleaned_data["factor"],
                    password=form.cleaned_data["password"],
                    wrong_passwords=session.wrong_passwords(request),
                )
            except SecondFactorError as exc:
                if exc.code == SecondFactorCode.SIGNED_OUT:
                    return _signed_out(request, exc)
                _count_password(request, exc)
                form.add_error("password" if exc.code == SecondFactorCode.WRONG_PASSWORD else "factor", exc.message)
            else:
                _count_password(request, None)
                if not removed.remaining:
                    session.new_codes_drop(request)
                elif request.session.get("otp_device_id") == removed.persistent_id:
                    # The session was verified with the factor just removed, by a person who also gave the password
                    # now: keep it verified, on a factor that still exists.
                    otp_login(request, removed.remaining[0])
                text = "Quitaste ese método de verificación."
                if removed.codes_removed:
                    text += (
                        " Ya no tienes la verificación en dos pasos activa; tus códigos de recuperación se borraron."
                    )
                messages.success(request, text)
                return redirect("mfa:manage")
    else:
        initial = request.GET.get("factor", "")
        form = RemoveForm(initial={"factor": initial} if initial in dict(choices) else None, choices=choices)
    return render(request, "mfa/remove.html", {"form": form, "factors": factors})
