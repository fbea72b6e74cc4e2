"""Mi perfil → Seguridad: password, e-mail and mobile, security history ("No fui yo") and active sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from micuenta.core.privacy import mask_email, mask_phone
from micuenta.identity.forms_security import (
    CodeForm,
    CurrentPasswordMixin,
    EmailChangeForm,
    MobileChangeForm,
    PasswordChangeForm,
)
from micuenta.identity.models import (
    CodePurpose,
    ConfirmationCode,
    DeviceSession,
    SecurityEvent,
    SecurityEventKind,
    User,
)
from micuenta.identity.services import (
    IdentityError,
    account_security_lock,
    code_issue,
    code_resend_wait,
    code_verify,
    contact_change,
    lock_needs_cesi,
    password_set,
    security_event_record,
    session_end,
    session_rekey,
    sessions_active,
    sessions_end_all,
)

EVENTS_PER_PAGE = 20

# Wrong "Contraseña actual" on these pages: after REAUTH_LIMIT within REAUTH_WINDOW the forms wait.
REAUTH_LIMIT = 5
REAUTH_WINDOW = timedelta(minutes=15)
REAUTH_DETAIL = "Contraseña actual incorrecta en Mi perfil › Seguridad."

PENDING_KEY = "security_pending_contact"  # {"email": "...", "mobile": "..."}: the new value awaiting its code


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # every view here is behind login_required


# --- Re-authentication throttle ------------------------------------------------------------------------


def _reauth_locked_until(user: User) -> datetime | None:
    """When the password forms open again, or None when they are open."""
    since = timezone.now() - REAUTH_WINDOW
    failures = list(
        SecurityEvent.objects.filter(
            user=user, kind=SecurityEventKind.LOGIN_FAILED, detail=REAUTH_DETAIL, created_at__gte=since
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:REAUTH_LIMIT]
    )
    if len(failures) < REAUTH_LIMIT:
        return None
    return failures[-1] + REAUTH_WINDOW


def _reauth_locked_message(until: datetime) -> str:
    return (
        "Escribiste mal tu contraseña actual demasiadas veces. Por tu seguridad, podrás intentarlo de nuevo a las "
        f"{timezone.localtime(until):%H:%M} (hora del centro de México). Si no la recuerdas, cierra sesión y usa "
        "«Olvidé mi contraseña»."
    )


def _reauth_failed(request: HttpRequest, form: CurrentPasswordMixin) -> None:
    """Record a wrong current password and say how many tries are left."""
    user = _user(request)
    security_event_record(kind=SecurityEventKind.LOGIN_FAILED, user=user, request=request, detail=REAUTH_DETAIL)
    until = _reauth_locked_until(user)
    if until is not None:
        form.add_error(None, _reauth_locked_message(until))  # type: ignore[attr-defined]
        return
    since = timezone.now() - REAUTH_WINDOW
    used = SecurityEvent.objects.filter(
        user=user, kind=SecurityEventKind.LOGIN_FAILED, detail=REAUTH_DETAIL, created_at__gte=since
    ).count()
    left = max(REAUTH_LIMIT - used, 1)
    form.add_error(  # type: ignore[attr-defined]
        "current_password",
        f"Te {'queda' if left == 1 else 'quedan'} {left} {'intento' if left == 1 else 'intentos'} antes de que "
        "esta página se bloquee 15 minutos.",
    )


# --- Index ----------------------------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "identity/security/index.html",
        {"mobile_masked": mask_phone(user.mobile), "sessions_count": len(sessions_active(user))},
    )


# --- Password -------------------------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    locked_until = _reauth_locked_until(user)
    if request.method == "POST":
        form = PasswordChangeForm(user, request.POST)
        if locked_until is not None:
            form.is_valid()
            form.errors.clear()
            form.add_error(None, _reauth_locked_message(locked_until))
        elif form.is_valid():
            password_set(user, form.cleaned_data["new_password"], request=request, keep_session=True)
            old_key = request.session.session_key
            update_session_auth_hash(request, user)
            session_rekey(request, old_key)
            messages.success(
                request,
                "Listo: cambiaste tu contraseña. Cerramos tu sesión en los demás dispositivos y te avisamos por "
                "correo electrónico.",
            )
            return redirect("security:index")
        elif form.has_wrong_password():
            _reauth_failed(request, form)
    else:
        form = PasswordChangeForm(user)
    return render(
        request,
        "identity/security/password.html",
        {"form": form, "locked_message": _reauth_locked_message(locked_until) if locked_until else ""},
    )


# --- E-mail and mobile ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactKind:
    field: str  # "email" or "mobile"
    purpose: str
    channel: str
    what: str  # in the messages: "correo electrónico" / "número de celular"
    title: str
    form_class: type[EmailChangeForm] | type[MobileChangeForm]
    form_field: str

    def mask(self, value: str) -> str:
        return mask_email(value) if self.field == "email" else mask_phone(value)


EMAIL = ContactKind(
    "email",
    CodePurpose.CHANGE_EMAIL,
    "email",
    "correo electrónico",
    "Cambiar correo electrónico",
    EmailChangeForm,
    "new_email",
)
MOBILE = ContactKind(
    "mobile",
    CodePurpose.CHANGE_MOBILE,
    "sms",
    "número de celular",
    "Cambiar número de celular",
    MobileChangeForm,
    "new_mobile",
)


def _pending(request: HttpRequest, kind: ContactKind) -> str:
    return str((request.session.get(PENDING_KEY) or {}).get(kind.field) or "")


def _set_pending(request: HttpRequest, kind: ContactKind, value: str | None) -> None:
    pending = dict(request.session.get(PENDING_KEY) or {})
    if value is None:
        pending.pop(kind.field, None)
    else:
        pending[kind.field] = value
    request.session[PENDING_KEY] = pending


def _issue(user: User, kind: ContactKind, destination: str) -> ConfirmationCode:
    return code_issue(
        purpose=kind.purpose,
        subject=f"user:{user.pk}",
        channel=kind.channel,
        destination=destination,
        template="contact_code",
        context={"what": kind.what},
    )


def _contact_start(request: HttpRequest, kind: ContactKind) -> HttpResponse:
    user = _user(request)
    locked_until = _reauth_locked_until(user)
    if request.method == "POST":
        form = kind.form_class(user, request.POST)
        if locked_until is not None:
            form.is_valid()
            form.errors.clear()
            form.add_error(None, _reauth_locked_message(locked_until))
        elif form.is_valid():
            value = form.cleaned_data[kind.form_field]
            try:
                _issue(user, kind, value)
            except IdentityError as error:
                form.add_error(None, error.message)
            else:
                _set_pending(request, kind, value)
                return redirect(f"security:{kind.field}_confirm")
        elif form.has_wrong_password():
            _reauth_failed(request, form)
    else:
        form = kind.form_class(user)
    return render(
        request,
        "identity/security/contact.html",
        {
            "form": form,
            "kind": kind,
            "locked_message": _reauth_locked_message(locked_until) if locked_until else "",
            "current_masked": kind.mask(getattr(user, kind.field)),
        },
    )


def _contact_confirm(request: HttpRequest, kind: ContactKind) -> HttpResponse:
    user = _user(request)
    value = _pending(request, kind)
    subject = f"user:{user.pk}"
    form = CodeForm()
    resend_error = ""
    if value and request.method == "POST":
        if request.POST.get("accion") == "reenviar":
            try:
                _issue(user, kind, value)
            except IdentityError as error:
                resend_error = error.message
            else:
                messages.info(request, f"Te enviamos un código nuevo a {kind.mask(value)}.")
                return redirect(f"security:{kind.field}_confirm")
        else:
            form = CodeForm(request.POST)
            if form.is_valid():
                try:
                    code_verify(
                        purpose=kind.purpose, subject=subject, entered=form.cleaned_data["code"], destination=value
                    )
                    if kind.field == "email":
                        contact_change(user, email=value, request=request)
                    else:
                        contact_change(user, mobile=value, request=request)
                except IdentityError as error:
                    form.add_error("code", error.message)
                except ValidationError:
                    # The code is spent; the person starts again with another value (the form asks for it).
                    _set_pending(request, kind, None)
                    messages.error(request, "No podemos usar ese dato para tu cuenta. Escribe otro.")
                    return redirect(f"security:{kind.field}")
                else:
                    _set_pending(request, kind, None)
                    messages.success(
                        request,
                        f"Listo: tu {kind.what} ahora es {kind.mask(value)}. Avisamos del cambio al anterior.",
                    )
                    return redirect("security:index")
    row = ConfirmationCode.objects.filter(purpose=kind.purpose, subject=subject).first() if value else None
    return render(
        request,
        "identity/security/contact_confirm.html",
        {
            "form": form,
            "kind": kind,
            "pending_masked": kind.mask(value) if value else "",
            "resend_error": resend_error,
            "resend_wait": code_resend_wait(row) if row is not None else 0,
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def email(request: HttpRequest) -> HttpResponse:
    return _contact_start(request, EMAIL)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def email_confirm(request: HttpRequest) -> HttpResponse:
    return _contact_confirm(request, EMAIL)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mobile(request: HttpRequest) -> HttpResponse:
    return _contact_start(request, MOBILE)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mobile_confirm(request: HttpRequest) -> HttpResponse:
    return _contact_confirm(request, MOBILE)


# --- Actividad de seguridad and "No fui yo" -------------------------------------------------------------


@never_cache
@login_required
@require_GET
def activity(request: HttpRequest) -> HttpResponse:
    events = SecurityEvent.objects.filter(user=_user(request)).order_by("-created_at", "-pk")
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("pagina"))
    return render(request, "identity/security/activity.html", {"page": page})


def _event_when(event: SecurityEvent) -> str:
    return date_format(timezone.localtime(event.created_at), r"j \d\e F \d\e Y, H:i").lower()


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """GET, or POST from the list: what "No fui yo" does. POST with confirmar=1: lock the account."""
    user = _user(request)
    event = get_object_or_404(SecurityEvent, pk=pk, user=user)
    if request.method == "POST" and request.POST.get("confirmar") == "1" and event.reported_at is None:
        reason = f"La persona reportó «No fui yo»: {event.get_kind_display()} del {_event_when(event)}."
        with transaction.atomic():
            SecurityEvent.objects.filter(pk=event.pk).update(reported_at=timezone.now())
            security_event_record(
                kind=SecurityEventKind.REPORTED,
                user=user,
                request=request,
                detail=f"{event.get_kind_display()} del {_event_when(event)}.",
            )
            cesi_only = lock_needs_cesi(user, event)
            account_security_lock(user, reason=reason, request=request, cesi_only=cesi_only)
        logout(request)
        return redirect("security:locked_cesi" if cesi_only else "security:locked")
    return render(request, "identity/security/report.html", {"event": event, "when": _event_when(event)})


@never_cache
@require_GET
def locked(request: HttpRequest) -> HttpResponse:
    """Public: what to do after "No fui yo" locked the account."""
    return render(request, "identity/security/locked.html", {"cesi_only": False})


@never_cache
@require_GET
def locked_cesi(request: HttpRequest) -> HttpResponse:
    """Public: after "No fui yo" on a change of e-mail, mobile or second factor, only a CESI can unlock."""
    return render(request, "identity/security/locked.html", {"cesi_only": True})


# --- Sessions -------------------------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def sessions(request: HttpRequest) -> HttpResponse:
    current = request.session.session_key
    rows: list[dict[str, Any]] = [
        {"session": s, "current": s.session_key == current} for s in sessions_active(_user(request))
    ]
    rows.sort(key=lambda row: not row["current"])  # this one first
    return render(request, "identity/security/sessions.html", {"rows": rows})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def session_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: confirm; POST: end that session wherever it is."""
    user = _user(request)
    device_session = get_object_or_404(DeviceSession, pk=pk, user=user, ended_at__isnull=True)
    is_current = device_session.session_key == request.session.session_key
    if request.method == "POST":
        device = device_session.device or "un dispositivo"
        session_end(device_session)
        security_event_record(
            kind=SecurityEventKind.SESSION_ENDED,
            user=user,
            request=request,
            detail=f"Cerraste la sesión de {device} desde Mi perfil › Seguridad.",
        )
        if is_current:
            logout(request)
            messages.info(request, "Cerraste tu sesión. Vuelve a iniciar sesión cuando quieras.")
            return redirect(reverse("identity:login"))
        messages.success(request, f"Cerraste la sesión de {device}.")
        return redirect("security:sessions")
    return render(
        request, "identity/security/session_end.html", {"device_session": device_session, "is_current": is_current}
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def end_all(request: HttpRequest) -> HttpResponse:
    """GET: confirm; POST: end every session of the account, this one too, and go to the sign-in page."""
    user = _user(request)
    if request.method == "POST":
        ended = sessions_end_all(user)
        security_event_record(
            kind=SecurityEventKind.LOGOUT_ALL,
            user=user,
            request=request,
            detail=f"{ended} {'sesión cerrada' if ended == 1 else 'sesiones cerradas'}.",
        )
        logout(request)
        messages.success(
            request,
            "Cerramos tu sesión en todos los dispositivos, también en este. Vuelve a iniciar sesión cuando quieras.",
        )
        return redirect(reverse("identity:login"))
    return render(request, "identity/security/end_all.html")
