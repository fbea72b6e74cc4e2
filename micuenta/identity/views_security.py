"""Mi perfil → Seguridad: password, e-mail and mobile, security history ("No fui yo"), active sessions, and deleting
the online account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from micuenta.core.actors import Actor
from micuenta.core.privacy import mask_phone
from micuenta.identity.errors import CODE_TOO_MANY_FAILURES, IdentityCode, IdentityError
from micuenta.identity.forms_security import (
    WRONG_CURRENT_TEXT,
    CodeForm,
    CurrentPasswordMixin,
    DeletionPasswordForm,
    EmailChangeForm,
    MobileChangeForm,
    PasswordChangeForm,
)
from micuenta.identity.models import CodePurpose, DeviceSession, SecurityEvent, User
from micuenta.identity.selectors import (
    activity_line,
    code_is_locked,
    code_resend_wait,
    code_row,
    event_when,
    reauth_locked_until,
    reauth_tries_left,
    sessions_active,
)
from micuenta.identity.services.accounts import (
    CONTACTS,
    ContactKind,
    contact_change_confirm,
    contact_code_send,
    password_set,
    self_deletion_code_send,
    self_deletion_confirm,
)
from micuenta.identity.services.history import reauth_failure_record
from micuenta.identity.services.security import NOT_REPORTABLE_TEXT, security_event_report
from micuenta.identity.services.sessions import device_session_end, device_session_rekey, sessions_end_all

EVENTS_PER_PAGE = 20

PENDING_KEY = "security_pending_contact"  # {"email": "...", "mobile": "..."}: the new value awaiting its code


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # every view here is behind login_required


# --- Re-authentication throttle ------------------------------------------------------------------------


def _reauth_locked_message(until: datetime) -> str:
    return (
        "Escribiste mal tu contraseña actual demasiadas veces. Por tu seguridad, podrás intentarlo de nuevo a las "
        f"{timezone.localtime(until):%H:%M} (hora del centro de México). Si no la recuerdas, cierra sesión y usa "
        "«Olvidé mi contraseña»."
    )


def _reauth_failed(request: HttpRequest, form: CurrentPasswordMixin) -> None:
    """Record a wrong current password; the field's one message also says how many tries are left."""
    user = _user(request)
    reauth_failure_record(actor=Actor.of_request(request), user=user)
    until = reauth_locked_until(user)
    errors = form.errors  # type: ignore[attr-defined]
    if until is not None:
        errors.clear()  # the lock's message says it all
        form.add_error(None, _reauth_locked_message(until))  # type: ignore[attr-defined]
        return
    left = reauth_tries_left(user)
    errors.pop("current_password", None)
    form.add_error(  # type: ignore[attr-defined]
        "current_password",
        f"{WRONG_CURRENT_TEXT} Te {'queda' if left == 1 else 'quedan'} {left} "
        f"{'intento' if left == 1 else 'intentos'} antes de que esta página se bloquee 15 minutos.",
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
    locked_until = reauth_locked_until(user)
    if request.method == "POST":
        form = PasswordChangeForm(user, request.POST)
        if locked_until is not None:
            form.is_valid()
            form.errors.clear()
            form.add_error(None, _reauth_locked_message(locked_until))
        elif form.is_valid():
            actor = Actor.of_request(request)
            password_set(actor=actor, user=user, password=form.cleaned_data["new_password"], keep_session=True)
            update_session_auth_hash(request, user)
            device_session_rekey(actor=actor, old_key=actor.session_key, new_key=request.session.session_key)
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
class ContactPage:
    kind: ContactKind
    title: str
    form_class: type[EmailChangeForm] | type[MobileChangeForm]
    form_field: str

    @property
    def field(self) -> str:
        return self.kind.field

    @property
    def what(self) -> str:
        return self.kind.what

    def mask(self, value: str) -> str:
        return self.kind.mask(value)


EMAIL = ContactPage(CONTACTS["email"], "Cambiar correo electrónico", EmailChangeForm, "new_email")
MOBILE = ContactPage(CONTACTS["mobile"], "Cambiar número de celular", MobileChangeForm, "new_mobile")


def _pending(request: HttpRequest, page: ContactPage) -> str:
    return str((request.session.get(PENDING_KEY) or {}).get(page.field) or "")


def _set_pending(request: HttpRequest, page: ContactPage, value: str | None) -> None:
    pending = dict(request.session.get(PENDING_KEY) or {})
    if value is None:
        pending.pop(page.field, None)
    else:
        pending[page.field] = value
    request.session[PENDING_KEY] = pending


def _contact_start(request: HttpRequest, page: ContactPage) -> HttpResponse:
    user = _user(request)
    locked_until = reauth_locked_until(user)
    if request.method == "POST":
        form = page.form_class(user, request.POST)
        if locked_until is not None:
            form.is_valid()
            form.errors.clear()
            form.add_error(None, _reauth_locked_message(locked_until))
        elif form.is_valid():
            value = form.cleaned_data[page.form_field]
            try:
                contact_code_send(actor=Actor.of_request(request), user=user, field=page.kind.field, value=value)
            except IdentityError as error:
                form.add_error(None, error.message)
            else:
                _set_pending(request, page, value)
                return redirect(f"security:{page.field}_confirm")
        elif form.has_wrong_password():
            _reauth_failed(request, form)
    else:
        form = page.form_class(user)
    return render(
        request,
        "identity/security/contact.html",
        {
            "form": form,
            "kind": page,
            "locked_message": _reauth_locked_message(locked_until) if locked_until else "",
            "current_masked": page.mask(getattr(user, page.field)),
        },
    )


def _contact_confirm(request: HttpRequest, page: ContactPage) -> HttpResponse:
    user = _user(request)
    value = _pending(request, page)
    form = CodeForm()
    resend_error = ""
    if value and request.method == "POST":
        if request.POST.get("accion") == "reenviar":
            try:
                contact_code_send(actor=Actor.of_request(request), user=user, field=page.kind.field, value=value)
            except IdentityError as error:
                resend_error = error.message
            else:
                messages.info(request, f"Te enviamos un código nuevo a {page.mask(value)}.")
                return redirect(f"security:{page.field}_confirm")
        else:
            form = CodeForm(request.POST)
            if form.is_valid():
                try:
                    contact_change_confirm(
                        actor=Actor.of_request(request),
                        user=user,
                        field=page.kind.field,
                        value=value,
                        entered=form.cleaned_data["code"],
                    )
                except IdentityError as error:
                    if error.code != IdentityCode.CONTACT_REFUSED:
                        form.add_error("code", error.message)
                    else:
                        # The code is spent; the person starts again with another value (the form asks for it).
                        _set_pending(request, page, None)
                        messages.error(request, error.message)
                        return redirect(f"security:{page.field}")
                else:
                    _set_pending(request, page, None)
                    messages.success(
                        request,
                        f"Listo: tu {page.what} ahora es {page.mask(value)}. Avisamos del cambio al anterior.",
                    )
                    return redirect("security:index")
    row = code_row(purpose=page.kind.purpose, subject=f"user:{user.pk}") if value else None
    return render(
        request,
        "identity/security/contact_confirm.html",
        {
            "form": form,
            "kind": page,
            "pending_masked": page.mask(value) if value else "",
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
    lines = [activity_line(event) for event in page.object_list]
    return render(request, "identity/security/activity.html", {"page": page, "lines": lines})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """GET, or POST from the list: what "No fui yo" does. POST with confirmar=1: lock the account."""
    user = _user(request)
    event = get_object_or_404(SecurityEvent, pk=pk, user=user)
    line = activity_line(event)
    context = {"event": event, "line": line, "when": event_when(event)}
    if not line.reportable:  # the Institute's staff at work on a trámite: there is nothing to lock the account for
        context["refusal"] = NOT_REPORTABLE_TEXT
        return render(
            request, "identity/security/report.html", context, status=400 if request.method == "POST" else 200
        )
    if request.method == "POST" and request.POST.get("confirmar") == "1" and event.reported_at is None:
        try:
            cesi_only = security_event_report(actor=Actor.of_request(request), user=user, event=event)
        except IdentityError:
            pass  # reported meanwhile from another tab: the page below says so
        else:
            logout(request)
            return redirect("security:locked_cesi" if cesi_only else "security:locked")
        event.refresh_from_db()
    return render(request, "identity/security/report.html", context)


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
        device_session_end(actor=Actor.of_request(request), user=user, device_session=device_session)
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
        sessions_end_all(actor=Actor.of_request(request), user=user)
        logout(request)
        messages.success(
            request,
            "Cerramos tu sesión en todos los dispositivos, también en este. Vuelve a iniciar sesión cuando quieras.",
        )
        return redirect(reverse("identity:login"))
    return render(request, "identity/security/end_all.html")


# --- Eliminar mi cuenta en línea ------------------------------------------------------------------------

DELETION_PENDING_KEY = "security_deletion_pending"  # the account's id, once its password was right and a code sent
DELETED_KEY = "security_account_deleted"  # in the anonymous session left after the deletion: its confirmation page


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    """What deleting the online account does, and the current password; then a code goes to the mobile.

    An account with a second factor reaches this page only in a session verified with it (the second factor's
    middleware), so the deletion takes the second factor, the password and the code sent to the mobile."""
    user = _user(request)
    locked_until = reauth_locked_until(user)
    form = DeletionPasswordForm(user, request.POST) if request.method == "POST" else DeletionPasswordForm(user)
    if request.method == "POST":
        if locked_until is not None:
            form.is_valid()
            form.errors.clear()
            form.add_error(None, _reauth_locked_message(locked_until))
        elif form.is_valid():
            try:
                self_deletion_code_send(actor=Actor.of_request(request), user=user)
            except IdentityError as error:
                if error.code != IdentityCode.CODE_RESEND_TOO_SOON:
                    form.add_error(None, error.message)
                else:  # sent less than a minute ago (the page sent twice, or the person came back): still valid
                    request.session[DELETION_PENDING_KEY] = user.pk
                    messages.info(request, "Ya te enviamos un código hace un momento; sigue siendo válido.")
                    return redirect("security:delete_confirm")
            else:
                request.session[DELETION_PENDING_KEY] = user.pk
                return redirect("security:delete_confirm")
        elif form.has_wrong_password():
            _reauth_failed(request, form)
    return render(
        request,
        "identity/security/delete.html",
        {
            "form": form,
            "locked_message": _reauth_locked_message(locked_until) if locked_until else "",
            "mobile_masked": mask_phone(user.mobile),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_confirm(request: HttpRequest) -> HttpResponse:
    """The code sent by SMS, typed back: the online account is deleted and the person is signed out."""
    user = _user(request)
    pending = request.session.get(DELETION_PENDING_KEY) == user.pk
    form = CodeForm()
    resend_error = ""
    if pending and request.method == "POST":
        actor = Actor.of_request(request)
        if request.POST.get("accion") == "reenviar":
            try:
                self_deletion_code_send(actor=actor, user=user)
            except IdentityError as error:
                resend_error = error.message
            else:
                messages.info(request, f"Te enviamos un código nuevo a {mask_phone(user.mobile)}.")
                return redirect("security:delete_confirm")
        else:
            form = CodeForm(request.POST)
            if form.is_valid():
                try:
                    self_deletion_confirm(actor=actor, user=user, entered=form.cleaned_data["code"])
                except IdentityError as error:
                    form.add_error("code", error.message)
                else:
                    logout(request)
                    request.session[DELETED_KEY] = True
                    return redirect("security:deleted")
    row = code_row(purpose=CodePurpose.SELF_DELETION, subject=f"user:{user.pk}") if pending else None
    locked = row is not None and code_is_locked(purpose=CodePurpose.SELF_DELETION, subject=f"user:{user.pk}")
    return render(
        request,
        "identity/security/delete_confirm.html",
        {
            "form": form,
            "pending": pending,
            "locked_message": CODE_TOO_MANY_FAILURES if locked else "",
            "mobile_masked": mask_phone(user.mobile),
            "resend_error": resend_error,
            "resend_wait": code_resend_wait(row) if row is not None else 0,
        },
    )


@never_cache
@require_GET
def deleted(request: HttpRequest) -> HttpResponse:
    """Public: «Eliminamos tu cuenta en línea», in the browser that deleted it (elsewhere: the sign-in page)."""
    if not request.session.get(DELETED_KEY):
        return redirect("identity:login")
    return render(request, "identity/security/deleted.html")
