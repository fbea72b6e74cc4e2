""" "Olvidé mi contraseña" and "No tengo acceso a mi correo" (delete the online account and register again).

Both answer the same words, with the same status and after the same time, whether or not an account exists.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from micuenta.core.actors import Actor
from micuenta.identity.errors import IdentityCode, IdentityError
from micuenta.identity.forms import CodeForm, DeletionIdentityForm, ForgotPasswordForm, NewPasswordForm
from micuenta.identity.models import CodePurpose, User
from micuenta.identity.selectors import code_is_locked, code_resend_wait, code_row, deletion_refused
from micuenta.identity.services import recovery

# --- Olvidé mi contraseña ----------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = ForgotPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        recovery.password_reset_request(
            actor=Actor.of_request(request),
            nss=form.cleaned_data["nss"],
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
        return redirect("identity:password_reset_sent")
    return render(request, "identity/recovery/forgot.html", {"form": form})


@require_http_methods(["GET"])
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "identity/recovery/forgot_sent.html")


class ResetPasswordForm(NewPasswordForm):
    """Django's reset view hands the account over as `user`."""

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, account=user, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The single-use link (30 minutes). Django's token changes with the password, so it works once."""

    template_name = "identity/recovery/new_password.html"
    form_class = ResetPasswordForm
    success_url = reverse_lazy("identity:password_reset_complete")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        recovery.password_reset_complete(
            actor=Actor.of_request(self.request), user=self.user, password=form.cleaned_data["password1"]
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return redirect(self.get_success_url())


@require_http_methods(["GET"])
def password_reset_complete(request: HttpRequest) -> HttpResponse:
    return render(request, "identity/recovery/new_password_done.html")


# --- No tengo acceso a mi correo → Borrar mi cuenta e iniciar un nuevo registro ----------------------

DELETION_SESSION_KEY = "account_deletion_subject"
CESI_CODES = frozenset({IdentityCode.CODE_LOCKED, IdentityCode.CODE_DAILY_CAP})


@require_http_methods(["GET"])
def lost_email(request: HttpRequest) -> HttpResponse:
    return render(request, "identity/recovery/lost_email.html")


@never_cache
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeletionIdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        subject = recovery.account_deletion_start(
            actor=Actor.of_request(request), nss=data["nss"], curp=data["curp"], rfc=data["rfc"]
        )
        request.session.cycle_key()
        request.session[DELETION_SESSION_KEY] = subject
        return redirect("identity:delete_account_code")
    return render(request, "identity/recovery/delete.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def delete_account_code(request: HttpRequest) -> HttpResponse:
    subject = request.session.get(DELETION_SESSION_KEY)
    if not subject:
        return redirect("identity:delete_account")
    if request.method == "POST" and "resend" in request.POST:
        try:
            recovery.account_deletion_code_send(actor=Actor.of_request(request), subject=subject)
        except IdentityError as error:
            if error.code in CESI_CODES:
                return _to_cesi(request, error.message)
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                "Si tus datos corresponden a una cuenta que se puede borrar en línea, te enviamos un código nuevo.",
            )
        return redirect("identity:delete_account_code")
    if deletion_refused(subject):
        # Locked, or its mobile or second factor changed, since the code was sent.
        return _to_cesi(request, recovery.DELETION_UNSAFE)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recovery.account_deletion_confirm(
                actor=Actor.of_request(request), subject=subject, entered=form.cleaned_data["code"]
            )
        except IdentityError as error:
            if error.code in {IdentityCode.CODE_LOCKED, IdentityCode.DELETION_UNSAFE}:
                return _to_cesi(request, error.message)
            form.add_error("code", error.message)
        else:
            request.session.pop(DELETION_SESSION_KEY, None)
            messages.success(
                request,
                "Borramos tu cuenta en línea. Tu ahorro, tu crédito y tu historial siguen igual. Ahora regístrate "
                "de nuevo con un correo al que sí tengas acceso.",
            )
            return redirect("identity:register")
    row = code_row(purpose=CodePurpose.ACCOUNT_DELETION, subject=subject)
    if row is not None and code_is_locked(purpose=CodePurpose.ACCOUNT_DELETION, subject=subject):
        return _to_cesi(request, "")
    return render(
        request,
        "identity/recovery/delete_code.html",
        {"form": form, "resend_wait": code_resend_wait(row) if row else 0},
    )


def _to_cesi(request: HttpRequest, message: str) -> HttpResponse:
    request.session.pop(DELETION_SESSION_KEY, None)
    if message:
        messages.error(request, message)
    return redirect("identity:cesi")
