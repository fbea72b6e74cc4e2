"""The back office of trámites: the queues, a case with its documents, the decisions (four eyes), and the
supervisors' counts (docs/tramites.md).

Only staff in the groups «Analista de trámites» or «Supervisor de trámites» see any of it; to anyone else on
staff a case and its files answer 404, as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from micuenta.backoffice.views import _render
from micuenta.core.actors import Actor
from micuenta.core.errors import ApplicationError
from micuenta.core.privacy import mask_nss
from micuenta.tramites import selectors, services
from micuenta.tramites.forms import InformationRequestForm, ReassignForm, RejectForm, SendBackForm
from micuenta.tramites.models import Case, Status
from micuenta.tramites.registry import ROLE_SUPERVISOR, kind_get, kinds_all
from micuenta.tramites.roles import can_supervise, can_work, staff_roles
from micuenta.uploads.http import attachment_response

PAGE_SIZE = 25
View = Callable[..., HttpResponseBase]


def tramites_staff(view: View) -> View:
    """Signed in at the back office with a role of trámites and the second factor; without the role, 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('backoffice:login')}?next={request.path}")
        if not can_work(request.user):
            raise Http404
        if not request.user.is_verified():  # type: ignore[attr-defined]
            return redirect(f"{reverse('mfa:verify')}?next={request.path}")
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


def _actor(request: HttpRequest) -> Actor:
    return Actor.of_request(request, roles=staff_roles(request.user))


def _case(folio: str) -> Case:
    case = selectors.case_for_staff(folio)
    if case is None:
        raise Http404
    return case


@tramites_staff
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    kinds = kinds_all()
    codes = {kind.code for kind in kinds}
    filters = selectors.QueueFilter(
        kind=request.GET.get("tipo", "") if request.GET.get("tipo", "") in codes else "",
        status=request.GET.get("estado", "") if request.GET.get("estado", "") in Status.values else "",
        overdue=request.GET.get("vencidas") == "1",
        mine=request.GET.get("mias") == "1",
        unassigned=request.GET.get("sin_asignar") == "1",
    )
    page = Paginator(selectors.queue(filters, user_id=request.user.pk), PAGE_SIZE).get_page(request.GET.get("pagina"))
    today = timezone.localdate()
    rows = [
        {
            "case": case,
            "what": kind_get(case.kind).describe(case, for_staff=True),
            "status": selectors.PLAIN_STATUS[Status(case.status)],
            "overdue": case.closed_at is None and case.due_on < today,
            "nss": mask_nss(case.worker.nss),
        }
        for case in page.object_list
    ]
    query = urlencode({k: v for k, v in request.GET.items() if k != "pagina" and v})
    return _render(
        request,
        "backoffice/tramites/queue.html",
        {
            "rows": rows,
            "page": page,
            "query": query,
            "filters": filters,
            "kinds": kinds,
            "statuses": [(s.value, selectors.PLAIN_STATUS[s]) for s in Status],
            "supervisor": can_supervise(request.user),
        },
    )


def _may_read_documents(request: HttpRequest, case: Case) -> bool:
    """A person's papers are read by the member of staff working the case, and by supervisors (who confirm)."""
    return case.assigned_to_id == request.user.pk or can_supervise(request.user)


def _reassign_form(case: Case, data: Any = None) -> ReassignForm:
    people = [(u.pk, u.get_full_name() or u.email) for u in selectors.assignable_staff() if u.pk != case.assigned_to_id]
    return ReassignForm(data, prefix="reasignar", people=people)


def _case_page(request: HttpRequest, case: Case, *, status: int = 200, **forms: Any) -> HttpResponse:
    kind = kind_get(case.kind)
    actor = _actor(request)
    targets = set(kind.machine.targets(case.status, actor))
    mine = case.assigned_to_id == request.user.pk or ROLE_SUPERVISOR in actor.roles
    context = {
        "case": case,
        "kind": kind,
        "what": kind.describe(case, for_staff=True),
        "details": kind.details(case, for_staff=True),
        "status_label": selectors.PLAIN_STATUS[Status(case.status)],
        "nss": mask_nss(case.worker.nss),
        "events": selectors.timeline(case, for_staff=True),
        "documents": list(case.documents.all()),
        "may_read_documents": _may_read_documents(request, case),
        "messages_": list(case.messages.all()),
        "requirements": kind.requirements(case),
        "overdue": case.closed_at is None and case.due_on < timezone.localdate(),
        "can_take": Status.EN_REVISION in targets and case.status == Status.RECIBIDA,
        "can_decide": case.status == Status.EN_REVISION and mine and bool(targets),
        "can_confirm": Status.APROBADA in targets and case.status == Status.POR_CONFIRMAR,
        "own_decision": case.decided_by_id == request.user.pk,
        "info_form": forms.get("info_form") or InformationRequestForm(prefix="info"),
        "reject_form": forms.get("reject_form") or RejectForm(prefix="rechazo"),
        "back_form": forms.get("back_form") or SendBackForm(prefix="devolver"),
        "can_retract": case.status == Status.POR_CONFIRMAR and case.decided_by_id == request.user.pk,
        "can_reassign": ROLE_SUPERVISOR in actor.roles and case.status in (Status.EN_REVISION, Status.INFO_REQUERIDA),
        "reassign_form": forms.get("reassign_form") or _reassign_form(case),
    }
    return _render(request, "backoffice/tramites/case.html", context, status=status)


@tramites_staff
@require_GET
def case_detail(request: HttpRequest, folio: str) -> HttpResponse:
    return _case_page(request, _case(folio))


@tramites_staff
@require_POST
def case_action(request: HttpRequest, folio: str, action: str) -> HttpResponse:
    case = _case(folio)
    actor = _actor(request)
    forms: dict[str, Any] = {}
    done = ""
    try:
        if action == "tomar":
            services.case_take(actor=actor, case_id=case.pk)
            done = format_html('Tomaste la solicitud <span class="folio">{}</span>: ahora está a tu cargo.', case.folio)
        elif action == "pedir-informacion":
            form: Any = InformationRequestForm(request.POST, prefix="info")
            forms["info_form"] = form
            if form.is_valid():
                services.case_request_information(actor=actor, case_id=case.pk, text=form.cleaned_data["text"])
                done = "Le pedimos a la persona la información; el plazo sigue corriendo."
        elif action == "aprobar":
            services.case_approve(actor=actor, case_id=case.pk)
            done = (
                "Aprobaste la solicitud. Ahora la confirma otra persona con rol de supervisión."
                if kind_get(case.kind).four_eyes
                else "Aprobaste la solicitud."
            )
        elif action == "rechazar":
            form = RejectForm(request.POST, prefix="rechazo")
            forms["reject_form"] = form
            if form.is_valid():
                services.case_reject(
                    actor=actor, case_id=case.pk, reason=form.cleaned_data["reason"], text=form.cleaned_data["text"]
                )
                done = "Rechazaste la solicitud; le dijimos a la persona el motivo."
        elif action == "confirmar":
            services.case_confirm(actor=actor, case_id=case.pk)
            done = "Confirmaste la aprobación: el cambio quedó hecho y la persona recibió el aviso."
        elif action == "reasignar":
            form = _reassign_form(case, request.POST)
            forms["reassign_form"] = form
            if form.is_valid():
                moved = services.case_reassign(actor=actor, case_id=case.pk, to_user_id=form.cleaned_data["assignee"])
                done = format_html(
                    'Pasaste la solicitud <span class="folio">{}</span> a {}.',
                    case.folio,
                    moved.assigned_to.get_full_name() if moved.assigned_to else "",
                )
        elif action == "devolver":
            form = SendBackForm(request.POST, prefix="devolver")
            forms["back_form"] = form
            if form.is_valid():
                own = case.decided_by_id == request.user.pk
                services.case_send_back(actor=actor, case_id=case.pk, reason=form.cleaned_data["text"])
                done = (
                    "Retiraste tu aprobación: la solicitud volvió a revisión, a tu cargo."
                    if own
                    else "Regresaste la solicitud a revisión."
                )
        else:
            raise Http404
    except ApplicationError as error:
        messages.error(request, error.message)
        case.refresh_from_db()
        return _case_page(request, case, status=400, **forms)
    if not done:  # a form with errors
        return _case_page(request, case, status=400, **forms)
    messages.success(request, done)
    return redirect("backoffice:tramites_case", folio=case.folio)


@tramites_staff
@require_GET
def document(request: HttpRequest, folio: str, document_id: int) -> HttpResponseBase:
    found = selectors.document_for_staff(folio, document_id)
    if found is None or not _may_read_documents(request, found.case):
        raise Http404
    services.document_download_record(actor=_actor(request), document=found)
    return attachment_response(found.storage_name, filename=found.name, content_type=found.content_type)


@tramites_staff
@require_GET
def indicators(request: HttpRequest) -> HttpResponse:
    if not can_supervise(request.user):
        raise Http404
    counts = selectors.counts_by_status()
    overdue = selectors.queue(selectors.QueueFilter(overdue=True), user_id=None)[:50]
    return _render(
        request,
        "backoffice/tramites/indicators.html",
        {
            "counts": [(selectors.PLAIN_STATUS[Status(k)], k, v) for k, v in counts.items()],
            "overdue": [{"case": c, "what": kind_get(c.kind).describe(c, for_staff=True)} for c in overdue],
            "overdue_total": selectors.overdue_count(),
        },
    )
