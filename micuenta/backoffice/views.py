"""The CESI back office pages. No identifier of a worker ever travels in a URL: the worker found is kept in the
staff member's session, and every search and action is a POST."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from micuenta.backoffice import selectors, services
from micuenta.backoffice.errors import BackofficeCode, BackofficeError
from micuenta.backoffice.forms import (
    GENERIC_LOGIN_ERROR,
    AuditFilterForm,
    ContactChangeForm,
    DeleteAccountForm,
    IdCheckForm,
    LoginForm,
    MfaResetForm,
    UnlockForm,
    WorkerSearchForm,
)
from micuenta.backoffice.roles import ROLE_CESI_VALIDATE, can_audit, can_validate, can_view_feeds, is_cesi_staff
from micuenta.core.actors import Actor
from micuenta.identity.auth import login_complete
from micuenta.people.models import Worker
from micuenta.tramites.roles import can_supervise, can_work

logger = logging.getLogger(__name__)

SESSION_WORKER = "_cesi_worker_id"
AUDIT_PAGE_SIZE = 25
# Refusals shown above the worker's page rather than in the action's form.
PAGE_ERRORS = frozenset(
    {
        BackofficeCode.NO_ACCOUNT,
        BackofficeCode.ID_CHECK_REQUIRED,
        BackofficeCode.FORBIDDEN,
        BackofficeCode.NO_SECOND_FACTOR,
    }
)

View = Callable[..., HttpResponse]


def cesi_required(check: Callable[[Any], bool]) -> Callable[[View], View]:
    """Not signed in: to the CESI sign-in. Signed in without the role: 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect(f"{reverse('backoffice:login')}?next={request.path}")
            if not check(request.user):
                raise PermissionDenied
            if not request.user.is_verified():  # type: ignore[attr-defined]
                # The second-factor middleware sends staff to enrol or verify first; never a page without it.
                return redirect(f"{reverse('mfa:verify')}?next={request.path}")
            return view(request, *args, **kwargs)

        return never_cache(wrapper)

    return decorator


def staff_home(user: Any) -> str:
    """Where a member of staff lands: the search of a CESI, or the queue of trámites for who only works those."""
    return "backoffice:search" if can_validate(user) else "backoffice:tramites_queue"


def _validating(request: HttpRequest) -> Actor:
    """The member of staff behind a view that checked `can_validate`, acting in that role."""
    return Actor.of_request(request, roles=frozenset({ROLE_CESI_VALIDATE}))


def _nav(request: HttpRequest) -> list[dict[str, str]]:
    items = []
    if can_validate(request.user):
        items.append(
            {"label": "Buscar derechohabiente", "url": reverse("backoffice:search"), "url_name": "backoffice:search"}
        )
    if can_work(request.user):
        items.append(
            {"label": "Trámites", "url": reverse("backoffice:tramites_queue"), "url_name": "backoffice:tramites_queue"}
        )
    if can_supervise(request.user):
        items.append(
            {
                "label": "Indicadores de trámites",
                "url": reverse("backoffice:tramites_indicators"),
                "url_name": "backoffice:tramites_indicators",
            }
        )
    if can_audit(request.user):
        items.append({"label": "Bitácora", "url": reverse("backoffice:audit"), "url_name": "backoffice:audit"})
        items.append(
            {"label": "Consultas", "url": reverse("backoffice:audit_lookups"), "url_name": "backoffice:audit_lookups"}
        )
    if can_view_feeds(request.user):
        items.append(
            {"label": "Cargas de archivos", "url": reverse("backoffice:feed_runs"), "url_name": "backoffice:feed_runs"}
        )
        items.append(
            {
                "label": "Patrones con aportaciones omitidas",
                "url": reverse("backoffice:employers_owing"),
                "url_name": "backoffice:employers_owing",
            }
        )
    return items


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    # Notices are drawn by the back office's layout, each in its own box announced to screen readers.
    notices = list(messages.get_messages(request))
    return render(
        request, template, {"nav_items": _nav(request), "notices": notices, "messages": (), **context}, status=status
    )


# --- Sign-in and sign-out ----------------------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if is_cesi_staff(request.user):
        return redirect(staff_home(request.user))
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not (
        next_url.startswith("/cesi/")
        and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=False)
    ):
        next_url = ""
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if user is not None and is_cesi_staff(user):
            login_complete(request, user)
            return redirect(next_url or staff_home(user))
        # Wrong password, unknown account, a worker's account or staff without the role: the same words.
        form.add_error(None, GENERIC_LOGIN_ERROR)
    return _render(request, "backoffice/login.html", {"form": form, "next": next_url, "nav_items": ()})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)  # its device row ends on the user_logged_out signal
    messages.info(request, "Cerraste sesión. Para volver a entrar al CESI, escribe tu correo y tu contraseña.")
    return redirect("backoffice:login")


# --- Finding a worker --------------------------------------------------------------------------------


FICHA_SALT = "micuenta.backoffice.ficha"
FICHA_MAX_AGE = 8 * 60 * 60  # a working day


def ficha_for(worker_pk: int) -> str:
    """A signed token of the worker on screen, carried by every form of the worker's page."""
    return signing.dumps(worker_pk, salt=FICHA_SALT)


def _ficha_matches(request: HttpRequest, found: Worker) -> bool:
    """The form was sent from the page of the worker now selected (not from a tab left on another worker)."""
    try:
        return signing.loads(str(request.POST.get("ficha", "")), salt=FICHA_SALT, max_age=FICHA_MAX_AGE) == found.pk
    except signing.BadSignature:
        return False


def _ficha_refused(request: HttpRequest) -> HttpResponse:
    messages.error(
        request,
        "La ficha cambió en otra pestaña: esta página mostraba a otro derechohabiente. Revisa la ficha de abajo "
        "y vuelve a hacer la acción si corresponde.",
    )
    return redirect("backoffice:worker")


def _selected_worker(request: HttpRequest) -> Worker | None:
    pk = request.session.get(SESSION_WORKER)
    if pk is None:
        return None
    return Worker.objects.filter(pk=pk).first()


@sensitive_post_parameters("identificador")
@cesi_required(can_validate)
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    form = WorkerSearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        worker = selectors.worker_find(form.cleaned_data["identificador"])
        if worker is not None:
            # Every look at a person's data is kept, and the person sees it in "Actividad de seguridad".
            services.worker_lookup_record(actor=_validating(request), worker=worker)
            request.session[SESSION_WORKER] = worker.pk
            return redirect("backoffice:worker")
        form.add_error("identificador", "No encontramos a ningún derechohabiente con ese NSS o CURP.")
    return _render(request, "backoffice/search.html", {"form": form})


@cesi_required(can_validate)
@require_GET
def worker(request: HttpRequest) -> HttpResponse:
    found = _selected_worker(request)
    if found is None:
        messages.info(request, "Primero busca al derechohabiente por su NSS o CURP.")
        return redirect("backoffice:search")
    return _worker_page(request, found)


def _worker_page(request: HttpRequest, found: Worker, status: int = 200, **forms: Any) -> HttpResponse:
    view = selectors.worker_view(found)
    context = {
        "w": view,
        "id_check": selectors.id_check_current(request.user, found),
        "id_check_form": forms.get("id_check_form") or IdCheckForm(),
        "unlock_form": forms.get("unlock_form") or UnlockForm(prefix="desbloqueo"),
        "contact_form": forms.get("contact_form") or ContactChangeForm(prefix="contacto", account=view.account),
        "delete_form": forms.get("delete_form") or DeleteAccountForm(prefix="baja"),
        "mfa_form": forms.get("mfa_form") or MfaResetForm(prefix="dos-pasos"),
        "valid_minutes": int(selectors.ID_CHECK_VALID_FOR.total_seconds() // 60),
        "ficha": ficha_for(found.pk),
    }
    return _render(request, "backoffice/worker.html", context, status=status)


@sensitive_post_parameters("number")
@cesi_required(can_validate)
@require_POST
def id_check(request: HttpRequest) -> HttpResponse:
    found = _selected_worker(request)
    if found is None:
        return redirect("backoffice:search")
    if not _ficha_matches(request, found):
        return _ficha_refused(request)
    form = IdCheckForm(request.POST)
    if not form.is_valid():
        return _worker_page(request, found, status=400, id_check_form=form)
    services.id_check_record(
        actor=_validating(request),
        worker=found,
        document_type=form.cleaned_data["document_type"],
        number=form.cleaned_data["number"],
    )
    messages.success(request, "Registraste la identificación revisada. Puedes actuar sobre la cuenta durante 2 horas.")
    return redirect("backoffice:worker")


def _action(
    request: HttpRequest,
    form_class: type[Any],
    prefix: str,
    form_key: str,
    perform: Callable[..., Any],
    done: str,
    **form_kwargs: Any,
) -> HttpResponse:
    found = _selected_worker(request)
    if found is None:
        return redirect("backoffice:search")
    if not _ficha_matches(request, found):
        return _ficha_refused(request)
    form = form_class(request.POST, prefix=prefix, **form_kwargs)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
        try:
            perform(actor=_validating(request), worker=found, **data)
        except BackofficeError as exc:
            if exc.code in PAGE_ERRORS:
                messages.error(request, exc.message)  # the action's form may not be on the page any more
            else:
                form.add_error(None, exc.message)
        else:
            messages.success(request, done)
            return redirect("backoffice:worker")
    return _worker_page(request, found, status=400, **{form_key: form})


@cesi_required(can_validate)
@require_POST
def unlock(request: HttpRequest) -> HttpResponse:
    return _action(
        request,
        UnlockForm,
        "desbloqueo",
        "unlock_form",
        services.staff_account_unlock,
        "Desbloqueaste la cuenta en línea. Avisamos a la persona por correo.",
    )


@cesi_required(can_validate)
@require_POST
def mfa_reset(request: HttpRequest) -> HttpResponse:
    return _action(
        request,
        MfaResetForm,
        "dos-pasos",
        "mfa_form",
        services.staff_mfa_reset,
        "Quitaste la verificación en dos pasos. Avisamos a la persona por correo; puede activarla de nuevo.",
    )


@cesi_required(can_validate)
@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    return _action(
        request,
        DeleteAccountForm,
        "baja",
        "delete_form",
        services.staff_account_delete,
        "Eliminaste la cuenta en línea. La persona ya puede registrarse de nuevo; sus datos en el Instituto no "
        "cambiaron.",
    )


@sensitive_post_parameters("contacto-email", "contacto-mobile")
@cesi_required(can_validate)
@require_POST
def change_contact(request: HttpRequest) -> HttpResponse:
    found = _selected_worker(request)
    account = selectors.account_of(found) if found is not None else None
    return _action(
        request,
        ContactChangeForm,
        "contacto",
        "contact_form",
        services.staff_contact_change,
        "Cambiaste los datos de contacto. Avisamos a la persona en el dato anterior y en el nuevo.",
        account=account,
    )


# --- Audit log ---------------------------------------------------------------------------------------


@cesi_required(can_audit)
@require_GET
def audit(request: HttpRequest) -> HttpResponse:
    return _log_page(request, selectors.audit_staff_choices(), selectors.audit_log, "backoffice/audit.html")


def _log_page(request: HttpRequest, staff_choices: Any, rows_for: Callable[..., Any], template: str) -> HttpResponse:
    """A log filtered by dates and member of staff (GET), a page at a time."""
    form = AuditFilterForm(request.GET or None, staff_choices=staff_choices)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {
            "date_from": form.cleaned_data.get("desde"),
            "date_to": form.cleaned_data.get("hasta"),
            "staff": form.cleaned_data.get("personal"),
        }
    rows = rows_for(**filters) if not form.is_bound or form.is_valid() else rows_for().none()
    page = Paginator(rows, AUDIT_PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return _render(request, template, {"form": form, "page": page, "query": query.urlencode()})


@cesi_required(can_audit)
@require_GET
def audit_lookups(request: HttpRequest) -> HttpResponse:
    """Who looked at whose data, and when: the searches, which need no reason but are all kept."""
    return _log_page(request, selectors.lookup_staff_choices(), selectors.lookup_log, "backoffice/audit_lookups.html")
