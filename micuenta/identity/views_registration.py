""" "Quiero una cuenta" in four steps: identity, contact, the two codes, password and terms.

The registration in progress is a row named by a random token kept in the person's session; no identifier
ever travels in a URL. A mismatch and an existing account get the same answer, in the same time.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from micuenta.core.actors import Actor
from micuenta.core.privacy import mask_email, mask_phone
from micuenta.identity.errors import IdentityCode, IdentityError
from micuenta.identity.forms import (
    CodeForm,
    RegistrationContactForm,
    RegistrationIdentityForm,
    RegistrationPasswordForm,
)
from micuenta.identity.models import CodePurpose, Registration
from micuenta.identity.selectors import (
    code_resend_wait,
    code_row,
    registration_account,
    registration_code_subject,
    registration_current,
    terms_current,
)
from micuenta.identity.services.registration import (
    registration_code_confirm,
    registration_code_send,
    registration_complete,
    registration_contact_set,
    registration_start,
)
from micuenta.identity.services.sessions import device_session_rekey

SESSION_KEY = "registration_token"
STEPS = 4


def _current(request: HttpRequest) -> Registration | None:
    registration = registration_current(request.session.get(SESSION_KEY))
    if registration is None:
        request.session.pop(SESSION_KEY, None)
    return registration


def _restart(request: HttpRequest) -> HttpResponse:
    messages.warning(
        request,
        "Tu registro no está en curso o venció (dura 24 horas). Empieza de nuevo con tu NSS, CURP y RFC.",
    )
    return redirect("identity:register")


@never_cache
@require_http_methods(["GET", "POST"])
def identity_step(request: HttpRequest) -> HttpResponse:
    """Paso 1 de 4: NSS, CURP, RFC and the security challenge."""
    form = RegistrationIdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        registration = registration_start(
            actor=Actor.of_request(request),
            nss=form.cleaned_data["nss"],
            curp=form.cleaned_data["curp"],
            rfc=form.cleaned_data["rfc"],
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
        if registration is None:
            return redirect("identity:register_mismatch")
        old_key = request.session.session_key
        request.session.cycle_key()
        device_session_rekey(actor=Actor.of_request(request), old_key=old_key, new_key=request.session.session_key)
        request.session[SESSION_KEY] = registration.token
        return redirect("identity:register_contact")
    return render(request, "identity/register/identity.html", {"form": form, "step": 1, "steps": STEPS})


@require_http_methods(["GET"])
def mismatch(request: HttpRequest) -> HttpResponse:
    return render(request, "identity/register/mismatch.html", {"step": 1, "steps": STEPS})


@never_cache
@require_http_methods(["GET", "POST"])
def contact_step(request: HttpRequest) -> HttpResponse:
    """Paso 2 de 4: e-mail and mobile; a code goes to each."""
    registration = _current(request)
    if registration is None:
        return _restart(request)
    initial = {"email": registration.email, "mobile": registration.mobile}
    form = RegistrationContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            registration_contact_set(
                actor=Actor.of_request(request),
                registration=registration,
                email=form.cleaned_data["email"],
                mobile=form.cleaned_data["mobile"],
            )
        except IdentityError as error:
            form.add_error(None, error.message)
        else:
            return redirect(_next_step(registration))
    return render(request, "identity/register/contact.html", {"form": form, "step": 2, "steps": STEPS})


def _next_step(registration: Registration) -> str:
    if registration.email_confirmed_at is None:
        return "identity:register_confirm_email"
    if registration.mobile_confirmed_at is None:
        return "identity:register_confirm_mobile"
    return "identity:register_password"


CONFIRM_PAGES: dict[str, dict[str, Any]] = {
    CodePurpose.REGISTRATION_EMAIL: {
        "what": "correo electrónico",
        "title": "Confirma tu correo electrónico",
        "next": "identity:register_confirm_mobile",
    },
    CodePurpose.REGISTRATION_MOBILE: {
        "what": "celular",
        "title": "Confirma tu número de celular",
        "next": "identity:register_password",
    },
}


def _confirm(request: HttpRequest, purpose: str) -> HttpResponse:
    registration = _current(request)
    if registration is None:
        return _restart(request)
    page = CONFIRM_PAGES[purpose]
    if purpose == CodePurpose.REGISTRATION_MOBILE and registration.email_confirmed_at is None:
        return redirect("identity:register_confirm_email")
    if not registration.email:
        return redirect("identity:register_contact")
    form = CodeForm(request.POST if request.method == "POST" and "resend" not in request.POST else None)
    if request.method == "POST" and "resend" in request.POST:
        try:
            registration_code_send(actor=Actor.of_request(request), registration=registration, purpose=purpose)
        except IdentityError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Te enviamos un código nuevo. El anterior ya no sirve.")
        return redirect(request.path)
    if request.method == "POST" and form.is_valid():
        try:
            registration_code_confirm(
                actor=Actor.of_request(request),
                registration=registration,
                purpose=purpose,
                entered=form.cleaned_data["code"],
            )
        except IdentityError as error:
            form.add_error("code", error.message)
        else:
            return redirect(page["next"])
    row = code_row(purpose=purpose, subject=registration_code_subject(registration))
    destination = (
        mask_email(registration.email) if purpose == CodePurpose.REGISTRATION_EMAIL else mask_phone(registration.mobile)
    )
    return render(
        request,
        "identity/register/confirm.html",
        {
            "form": form,
            "page": page,
            "destination": destination,
            "resend_wait": code_resend_wait(row) if row else 0,
            "step": 3,
            "steps": STEPS,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_email_step(request: HttpRequest) -> HttpResponse:
    """Paso 3 de 4 (correo): the code sent by e-mail."""
    return _confirm(request, CodePurpose.REGISTRATION_EMAIL)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_mobile_step(request: HttpRequest) -> HttpResponse:
    """Paso 3 de 4 (celular): the code sent by SMS."""
    return _confirm(request, CodePurpose.REGISTRATION_MOBILE)


@never_cache
@require_http_methods(["GET", "POST"])
def password_step(request: HttpRequest) -> HttpResponse:
    """Paso 4 de 4: password and terms; then the account exists."""
    registration = _current(request)
    if registration is None:
        return _restart(request)
    if registration.email_confirmed_at is None or registration.mobile_confirmed_at is None:
        return redirect("identity:register_confirm_email")
    form = RegistrationPasswordForm(request.POST or None, account=registration_account(registration))
    terms = terms_current()
    if request.method == "POST" and form.is_valid():
        try:
            account = registration_complete(
                actor=Actor.of_request(request), registration=registration, password=form.cleaned_data["password1"]
            )
        except IdentityError as error:
            request.session.pop(SESSION_KEY, None)
            if error.code != IdentityCode.ACCOUNT_TAKEN:  # pragma: no cover - the steps above are checked first
                return _restart(request)
            messages.error(request, error.message)
            return redirect("identity:login")
        request.session.pop(SESSION_KEY, None)
        request.session["registration_done"] = account.short_name
        return redirect("identity:register_done")
    return render(
        request,
        "identity/register/password.html",
        {"form": form, "terms": terms, "step": 4, "steps": STEPS},
    )


@never_cache
@require_http_methods(["GET"])
def done(request: HttpRequest) -> HttpResponse:
    name = request.session.pop("registration_done", None)
    if name is None:
        return redirect("identity:login")
    return render(request, "identity/register/done.html", {"name": name, "login_url": reverse("identity:login")})
