""" "Quiero una cuenta" in four steps: identity, contact, the two codes, password and terms.

The registration in progress is a row named by a random token kept in the person's session; no identifier
ever travels in a URL. A mismatch and an existing account get the same answer, in the same time.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from micuenta.core.privacy import mask_email, mask_phone
from micuenta.identity.forms import (
    CodeForm,
    RegistrationContactForm,
    RegistrationIdentityForm,
    RegistrationPasswordForm,
)
from micuenta.identity.models import (
    CodePurpose,
    ConfirmationCode,
    Registration,
    SecurityEventKind,
    TermsAcceptance,
    TermsVersion,
    User,
)
from micuenta.identity.services import (
    IdentityError,
    code_issue,
    code_resend_wait,
    code_verify,
    notify_account,
    security_event_record,
    session_rekey,
    uniform_duration,
)
from micuenta.notifications.models import Channel
from micuenta.notifications.services import notification_send
from micuenta.people.models import Worker, WorkerStatus

SESSION_KEY = "registration_token"
STEPS = 4


def _current(request: HttpRequest) -> Registration | None:
    token = request.session.get(SESSION_KEY)
    if not token:
        return None
    registration = Registration.objects.select_related("worker").filter(token=token, completed_at=None).first()
    if registration is None or registration.is_expired:
        request.session.pop(SESSION_KEY, None)
        return None
    return registration


def _restart(request: HttpRequest) -> HttpResponse:
    messages.warning(
        request,
        "Tu registro no está en curso o venció (dura 24 horas). Empieza de nuevo con tu NSS, CURP y RFC.",
    )
    return redirect("identity:register")


def _subject(registration: Registration) -> str:
    # By worker, not by registration: starting over does not reset wrong tries or the day's sends.
    return f"worker:{registration.worker_id}"


@never_cache
@require_http_methods(["GET", "POST"])
def identity_step(request: HttpRequest) -> HttpResponse:
    """Paso 1 de 4: NSS, CURP, RFC and the security challenge."""
    form = RegistrationIdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with uniform_duration():
            nss, curp, rfc = form.cleaned_data["nss"], form.cleaned_data["curp"], form.cleaned_data["rfc"]
            worker = Worker.objects.filter(nss=nss).first()
            matches = (
                worker is not None
                and worker.curp == curp
                and worker.rfc == rfc
                and worker.status != WorkerStatus.FALLECIDO
            )
            account = User.objects.filter(worker=worker).first() if matches else None
            if worker is not None and matches and account is None:
                now = timezone.now()
                registration = Registration.objects.create(
                    token=secrets.token_urlsafe(32),
                    worker=worker,
                    created_at=now,
                    expires_at=now + timedelta(seconds=settings.MICUENTA_REGISTRATION_TTL_SECONDS),
                )
                old_key = request.session.session_key
                request.session.cycle_key()
                session_rekey(request, old_key)
                request.session[SESSION_KEY] = registration.token
                return redirect("identity:register_contact")
            if account is not None:
                # The owner hears of it; the person at the keyboard gets the answer everyone gets.
                security_event_record(kind=SecurityEventKind.REGISTRATION_REFUSED, user=account, request=request)
                notify_account(
                    account,
                    "registration_attempt",
                    {"base_url": request.build_absolute_uri("/").rstrip("/")},
                )
        return redirect("identity:register_mismatch")
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
        email, mobile = form.cleaned_data["email"], form.cleaned_data["mobile"]
        email_changed = email != registration.email
        mobile_changed = mobile != registration.mobile
        try:
            with transaction.atomic():
                registration.email, registration.mobile = email, mobile
                # Only what changed needs a new code: the other stays confirmed, or keeps its code.
                if email_changed:
                    registration.email_confirmed_at = None
                if mobile_changed:
                    registration.mobile_confirmed_at = None
                registration.save()
                if email_changed:
                    _send(registration, CodePurpose.REGISTRATION_EMAIL)
                if mobile_changed:
                    _send(registration, CodePurpose.REGISTRATION_MOBILE)
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


def _send(registration: Registration, purpose: str) -> ConfirmationCode:
    """Send the step's code. An address that already belongs to an account gets a notice instead of a code, and
    the person registering sees the same page as anyone else (no code arrives; they can change the address)."""
    by_email = purpose == CodePurpose.REGISTRATION_EMAIL
    destination = registration.email if by_email else registration.mobile
    in_use = by_email and User.objects.by_email(destination).exists()
    row = code_issue(
        purpose=purpose,
        subject=_subject(registration),
        channel=Channel.EMAIL if by_email else Channel.SMS,
        destination=None if in_use else destination,
        template="registration_code",
    )
    if in_use:
        notification_send(channel=Channel.EMAIL, to=destination, template="email_in_use", context={})
    return row


CONFIRM_PAGES: dict[str, dict[str, Any]] = {
    CodePurpose.REGISTRATION_EMAIL: {
        "what": "correo electrónico",
        "title": "Confirma tu correo electrónico",
        "next": "identity:register_confirm_mobile",
        "field": "email_confirmed_at",
    },
    CodePurpose.REGISTRATION_MOBILE: {
        "what": "celular",
        "title": "Confirma tu número de celular",
        "next": "identity:register_password",
        "field": "mobile_confirmed_at",
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
            _send(registration, purpose)
        except IdentityError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Te enviamos un código nuevo. El anterior ya no sirve.")
        return redirect(request.path)
    if request.method == "POST" and form.is_valid():
        try:
            code_verify(
                purpose=purpose,
                subject=_subject(registration),
                entered=form.cleaned_data["code"],
                destination=registration.email if purpose == CodePurpose.REGISTRATION_EMAIL else registration.mobile,
            )
        except IdentityError as error:
            form.add_error("code", error.message)
        else:
            setattr(registration, page["field"], timezone.now())
            registration.save(update_fields=[page["field"]])
            return redirect(page["next"])
    row = ConfirmationCode.objects.filter(purpose=purpose, subject=_subject(registration)).first()
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


def _current_terms() -> TermsVersion:
    terms = TermsVersion.objects.filter(in_force_from__lte=timezone.localdate()).first()
    if terms is None:  # pragma: no cover - a migration loads the first version
        raise RuntimeError("No terms and conditions are in force")
    return terms


@never_cache
@require_http_methods(["GET", "POST"])
def password_step(request: HttpRequest) -> HttpResponse:
    """Paso 4 de 4: password and terms; then the account exists."""
    registration = _current(request)
    if registration is None:
        return _restart(request)
    if registration.email_confirmed_at is None or registration.mobile_confirmed_at is None:
        return redirect("identity:register_confirm_email")
    worker = registration.worker
    account = User(
        email=registration.email,
        first_name=worker.nombre,
        last_name=" ".join(p for p in (worker.primer_apellido, worker.segundo_apellido) if p),
        worker=worker,
    )
    form = RegistrationPasswordForm(request.POST or None, account=account)
    terms = _current_terms()
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            taken = (
                User.objects.select_for_update().filter(worker=worker).exists()
                or User.objects.by_email(registration.email).exists()
            )
            if taken:
                registration.delete()
                request.session.pop(SESSION_KEY, None)
                messages.error(
                    request,
                    "No pudimos crear la cuenta: ya existe una con estos datos o con este correo. Si es tuya, "
                    "inicia sesión o usa «Olvidé mi contraseña».",
                )
                return redirect("identity:login")
            account.mobile = registration.mobile
            account.set_password(form.cleaned_data["password1"])
            account.password_changed_at = timezone.now()
            account.full_clean(exclude=["password"])
            account.save()
            TermsAcceptance.objects.create(user=account, terms=terms)
            registration.completed_at = timezone.now()
            registration.save(update_fields=["completed_at"])
            security_event_record(kind=SecurityEventKind.ACCOUNT_CREATED, user=account, request=request)
            notification_send(
                channel=Channel.EMAIL, to=account.email, template="welcome", context={"name": account.short_name}
            )
            notification_send(channel=Channel.SMS, to=account.mobile, template="welcome", context={})
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
