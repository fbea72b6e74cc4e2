""" "Olvidé mi contraseña" and "No tengo acceso a mi correo" (delete the online account and register again).

Both answer the same words, with the same status and after the same time, whether or not an account exists.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import user_has_device

from micuenta.identity.forms import CodeForm, DeletionIdentityForm, ForgotPasswordForm, NewPasswordForm
from micuenta.identity.models import CodePurpose, ConfirmationCode, SecurityEvent, SecurityEventKind, User
from micuenta.identity.services import (
    IdentityError,
    account_delete,
    code_is_locked,
    code_issue,
    code_resend_wait,
    code_verify,
    notify_account,
    password_set,
    security_event_record,
    uniform_duration,
)
from micuenta.notifications.models import Channel
from micuenta.people.models import Worker

# --- Olvidé mi contraseña ----------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = ForgotPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with uniform_duration():
            user = User.objects.filter(worker__nss=form.cleaned_data["nss"], is_active=True).first()
            if user is not None and _reset_links_last_hour(user) < RESET_LINKS_PER_HOUR:
                uid = urlsafe_base64_encode(force_bytes(user.pk))
                token = default_token_generator.make_token(user)
                link = request.build_absolute_uri(
                    reverse("identity:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
                )
                security_event_record(kind=SecurityEventKind.PASSWORD_RESET_REQUESTED, user=user, request=request)
                notify_account(user, "password_reset", {"reset_url": link})
        return redirect("identity:password_reset_sent")
    return render(request, "identity/recovery/forgot.html", {"form": form})


RESET_LINKS_PER_HOUR = 3  # more requests get the same answer and no e-mail: a mailbox cannot be flooded


def _reset_links_last_hour(user: User) -> int:
    return SecurityEvent.objects.filter(
        user=user, kind=SecurityEventKind.PASSWORD_RESET_REQUESTED, created_at__gte=timezone.now() - timedelta(hours=1)
    ).count()


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
        user: User = self.user
        with transaction.atomic():
            password_set(user, form.cleaned_data["password1"], request=self.request, keep_session=False)
            if user.security_locked_at is not None and not user.security_lock_cesi_only:
                # A new password through the registered e-mail is proof enough to lift a "No fui yo" lock.
                User.objects.filter(pk=user.pk).update(security_locked_at=None, security_lock_reason="")
                security_event_record(
                    kind=SecurityEventKind.UNLOCKED,
                    user=user,
                    request=self.request,
                    detail="Desbloqueada al crear una contraseña nueva con el enlace enviado a su correo.",
                )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return redirect(self.get_success_url())


@require_http_methods(["GET"])
def password_reset_complete(request: HttpRequest) -> HttpResponse:
    return render(request, "identity/recovery/new_password_done.html")


# --- No tengo acceso a mi correo → Borrar mi cuenta e iniciar un nuevo registro ----------------------

DELETION_SESSION_KEY = "account_deletion_subject"
DELETION_REASON = (
    "La persona pidió borrar su cuenta en línea desde «No tengo acceso a mi correo», con su NSS, CURP, RFC y un "
    "código enviado a su celular registrado."
)


@require_http_methods(["GET"])
def lost_email(request: HttpRequest) -> HttpResponse:
    return render(request, "identity/recovery/lost_email.html")


@never_cache
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeletionIdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with uniform_duration():
            data = form.cleaned_data
            worker = Worker.objects.filter(nss=data["nss"], curp=data["curp"], rfc=data["rfc"]).first()
            user = User.objects.filter(worker=worker).first() if worker is not None else None
            if user is not None and _deletion_is_safe(user):
                subject = f"user:{user.pk}"
                destination: str | None = user.mobile
            else:
                # Nobody to send to, or not safe to: a code that is never sent keeps the answer the same. The
                # subject is fixed per NSS, CURP and RFC, so its wrong tries and sends count like an account's.
                triple = f"{data['nss']}|{data['curp']}|{data['rfc']}".encode()
                subject = f"nobody:{hmac.new(settings.SECRET_KEY.encode(), triple, hashlib.sha256).hexdigest()[:40]}"
                destination = None
            # A code sent a moment ago is still valid; over the limits the code page says so.
            with contextlib.suppress(IdentityError):
                code_issue(
                    purpose=CodePurpose.ACCOUNT_DELETION,
                    subject=subject,
                    channel=Channel.SMS,
                    destination=destination,
                    template="deletion_code",
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
            code_issue(
                purpose=CodePurpose.ACCOUNT_DELETION,
                subject=subject,
                channel=Channel.SMS,
                destination=_deletion_destination(subject),
                template="deletion_code",
            )
        except IdentityError as error:
            if error.code in {"code_locked", "code_daily_cap"}:
                return _to_cesi(request, error.message)
            messages.error(request, error.message)
        else:
            messages.success(request, "Si tus datos corresponden a una cuenta, te enviamos un código nuevo.")
        return redirect("identity:delete_account_code")
    user = _deletion_user(subject)
    if user is not None and not _deletion_is_safe(user):
        # Locked, or its mobile or second factor changed, since the code was sent.
        return _to_cesi(request, "Por seguridad ya no podemos borrar esta cuenta en línea.")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            code_verify(
                purpose=CodePurpose.ACCOUNT_DELETION,
                subject=subject,
                entered=form.cleaned_data["code"],
                destination=_deletion_destination(subject) or "",
            )
        except IdentityError as error:
            if error.code == "code_locked":
                return _to_cesi(request, error.message)
            form.add_error("code", error.message)
        else:
            if user is None:  # pragma: no cover - a code of nobody is never sent, so it is never right
                return _to_cesi(request, "")
            account_delete(user, reason=DELETION_REASON, request=request)
            request.session.pop(DELETION_SESSION_KEY, None)
            messages.success(
                request,
                "Borramos tu cuenta en línea. Tu ahorro, tu crédito y tu historial siguen igual. Ahora regístrate "
                "de nuevo con un correo al que sí tengas acceso.",
            )
            return redirect("identity:register")
    row = ConfirmationCode.objects.filter(purpose=CodePurpose.ACCOUNT_DELETION, subject=subject).first()
    if row is not None and code_is_locked(purpose=CodePurpose.ACCOUNT_DELETION, subject=subject):
        return _to_cesi(request, "")
    return render(
        request,
        "identity/recovery/delete_code.html",
        {"form": form, "resend_wait": code_resend_wait(row) if row else 0},
    )


def _deletion_user(subject: str) -> User | None:
    if not subject.startswith("user:"):
        return None
    return User.objects.filter(pk=subject.removeprefix("user:")).first()


def _deletion_is_safe(user: User) -> bool:
    """Self-service deletion needs the registered mobile, no security lock and no second factor: an account
    protected by an authenticator app or a passkey is not deleted on an SMS code alone (SIM swapping)."""
    return bool(user.mobile) and user.security_locked_at is None and not user_has_device(user)


def _deletion_destination(subject: str) -> str | None:
    user = _deletion_user(subject)
    if user is None or not _deletion_is_safe(user):
        return None
    return user.mobile


def _to_cesi(request: HttpRequest, message: str) -> HttpResponse:
    request.session.pop(DELETION_SESSION_KEY, None)
    if message:
        messages.error(request, message)
    return redirect("identity:cesi")
