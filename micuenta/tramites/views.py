"""Trámites for the signed-in person: what can be started, «Mis trámites», a case's page (timeline, documents,
messages, answer, cancel), its documents, and «Corregir mis datos».

No URL names a person: cases are found by folio among the signed-in person's own (`case_for_worker`), so a
stranger's folio answers 404, as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from micuenta.core.actors import Actor
from micuenta.core.errors import ApplicationError
from micuenta.people.models import Worker
from micuenta.tramites import selectors
from micuenta.tramites.errors import AlreadyOpen
from micuenta.tramites.forms import AnswerForm, CorrectionForm
from micuenta.tramites.kinds import correccion
from micuenta.tramites.models import Case, Status
from micuenta.tramites.registry import kind_get, kinds_all
from micuenta.tramites.services import Attachment, case_answer, case_file, case_withdraw
from micuenta.uploads.http import attachment_response

PAGE_SIZE = 20
View = Callable[..., HttpResponseBase]


def person_page(view: Callable[..., HttpResponseBase]) -> View:
    """Signed in, never cached; the view gets the person's own worker. An account without one (staff) is told
    why there is nothing here; on a page that names a case it gets 404, as anyone else's folio."""

    @wraps(view)
    @never_cache
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        worker = getattr(request.user, "worker", None)
        if worker is None:
            if "folio" in kwargs:
                raise Http404
            return render(request, "tramites/no_worker.html")
        return view(request, worker, *args, **kwargs)

    return wrapper


def _own_case(worker: Worker, folio: str) -> Case:
    case = selectors.case_for_worker(worker, folio)
    if case is None:
        raise Http404
    return case


@person_page
@require_GET
def index(request: HttpRequest, worker: Worker) -> HttpResponse:
    page = Paginator(selectors.cases_of_worker(worker), PAGE_SIZE).get_page(request.GET.get("pagina"))
    open_kinds = {case.kind: case for case in selectors.open_cases_of_worker(worker)}
    rows = [
        {
            "case": case,
            "what": kind_get(case.kind).describe(case),
            "status": selectors.PLAIN_STATUS[Status(case.status)],
            "next": selectors.NEXT_STEP[Status(case.status)],
        }
        for case in page.object_list
    ]
    available = [{"kind": kind, "open": open_kinds.get(kind.code)} for kind in kinds_all()]
    return render(request, "tramites/index.html", {"page": page, "rows": rows, "available": available})


@person_page
@require_GET
def case_detail(request: HttpRequest, worker: Worker, folio: str) -> HttpResponse:
    case = _own_case(worker, folio)
    return _case_page(request, case)


def _room(case: Case) -> int:
    """How many more files the case can hold."""
    return max(0, settings.MICUENTA_UPLOAD_MAX_FILES - case.documents.count())


def _case_page(
    request: HttpRequest, case: Case, *, answer_form: AnswerForm | None = None, status: int = 200
) -> HttpResponse:
    kind = kind_get(case.kind)
    actor = Actor.of_request(request)
    targets = kind.machine.targets(case.status, actor)
    context = {
        "case": case,
        "kind": kind,
        "what": kind.describe(case),
        "details": kind.details(case),
        "status_label": selectors.PLAIN_STATUS[Status(case.status)],
        "next_step": selectors.NEXT_STEP[Status(case.status)],
        "events": selectors.timeline(case),
        "documents": list(case.documents.all()),
        "messages_": list(case.messages.all()),
        "can_withdraw": Status.CANCELADA in targets,
        "can_answer": case.status == Status.INFO_REQUERIDA,
        "answer_form": answer_form or AnswerForm(room=_room(case)),
        "max_files": settings.MICUENTA_UPLOAD_MAX_FILES,
        "requirements": kind.requirements(case),
    }
    return render(request, "tramites/case.html", context, status=status)


@person_page
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, worker: Worker, folio: str) -> HttpResponse:
    case = _own_case(worker, folio)
    if request.method == "GET":  # the form lives on the case's page
        return _case_page(request, case)
    if case.status != Status.INFO_REQUERIDA:  # answered already (another tab, a second click), or decided
        messages.warning(
            request,
            "Esta solicitud ya no espera una respuesta, así que no enviamos lo que escribiste. Revisa aquí cómo va; "
            "si te falta mandar algo, te lo pediremos.",
        )
        return redirect("tramites:case", folio=case.folio)
    form = AnswerForm(request.POST, request.FILES, room=_room(case))
    if form.is_valid():
        try:
            case_answer(
                actor=Actor.of_request(request),
                case_id=case.pk,
                text=form.cleaned_data.get("text") or "",
                attachments=[Attachment(document) for document in form.cleaned_data.get("documents") or []],
            )
        except ApplicationError as error:
            case.refresh_from_db()
            if case.status != Status.INFO_REQUERIDA:
                messages.warning(request, error.message)
                return redirect("tramites:case", folio=case.folio)
            form.add_error(None, error.message)
        else:
            messages.success(request, "Enviamos tu respuesta. Tu solicitud volvió a revisión.")
            return redirect("tramites:case", folio=case.folio)
    case.refresh_from_db()
    return _case_page(request, case, answer_form=form, status=400)


@person_page
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, worker: Worker, folio: str) -> HttpResponse:
    case = _own_case(worker, folio)
    kind = kind_get(case.kind)
    error = ""
    if request.method == "POST":
        try:
            case_withdraw(actor=Actor.of_request(request), case_id=case.pk)
        except ApplicationError as refused:
            error = refused.message
        else:
            messages.success(request, format_html('Cancelaste tu solicitud <span class="folio">{}</span>.', case.folio))
            return redirect("tramites:case", folio=case.folio)
    can_withdraw = Status.CANCELADA in kind.machine.targets(case.status, Actor.of_request(request))
    if not error and not can_withdraw:
        error = (
            f"Esta solicitud ya terminó: está «{Status(case.status).label}», así que no hay nada que cancelar."
            if case.closed_at
            else "Tu solicitud ya fue aprobada y solo falta que se confirme: ya no puede cancelarse."
        )
    return render(
        request,
        "tramites/withdraw.html",
        {"case": case, "what": kind.describe(case), "error": error, "can_withdraw": can_withdraw},
        status=400 if request.method == "POST" and error else 200,
    )


@person_page
@require_GET
def document(request: HttpRequest, worker: Worker, folio: str, document_id: int) -> HttpResponseBase:
    found = selectors.document_for_worker(worker, folio, document_id)
    if found is None:
        raise Http404
    return attachment_response(found.storage_name, filename=found.name, content_type=found.content_type)


# --- Corregir mis datos ---------------------------------------------------------------------------------------


@person_page
@require_http_methods(["GET", "POST"])
def correction(request: HttpRequest, worker: Worker) -> HttpResponse:
    """Without ?dato= the choice (nombre, CURP, RFC); with it, that correction's form."""
    campo = request.GET.get("dato", "")
    open_case = selectors.open_case_of_kind(worker, correccion.CODE)
    if campo not in correccion.REQUIREMENTS or open_case is not None:
        return render(
            request,
            "tramites/correccion_start.html",
            {"worker": worker, "open_case": open_case, "choices": correccion.CHOICES},
        )
    form = CorrectionForm(campo, worker, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_file(
                actor=Actor.of_request(request),
                worker=worker,
                kind=correccion.KIND,
                data=form.request_data(),
                attachments=[Attachment(file, code) for file, code in form.attachments()],
            )
        except AlreadyOpen as error:
            messages.info(request, error.message)
            return redirect("tramites:case", folio=error.folio)
        except ApplicationError as error:  # a file the form let through (the count, a virus) or a rule of the record
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                format_html(
                    'Recibimos tu solicitud con folio <span class="folio">{}</span>. Te responderemos a más tardar '
                    "el {}; te avisaremos por correo.",
                    case.folio,
                    f"{case.due_on:%d/%m/%Y}",
                ),
            )
            return redirect("tramites:case", folio=case.folio)
    return render(
        request,
        "tramites/correccion.html",
        {"form": form, "worker": worker, "campo": campo, "label": correccion.FIELDS[campo]},
        status=400 if form.is_bound else 200,
    )
