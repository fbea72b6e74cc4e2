"""Mi crédito → Avisos de suspensión, retención y modificación de descuentos: the person's own avisos, issued when
the credit's state calls for them (savings/avisos.py), each downloadable as signed at any time."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from micuenta.core.actors import Actor
from micuenta.credits.models import Credit
from micuenta.documents.services import document_pdf
from micuenta.savings.avisos import KINDS, SUBJECT, avisos_ensure, avisos_of_worker


@never_cache
@login_required
@require_GET
def avisos(request: HttpRequest) -> HttpResponse:
    worker = getattr(request.user, "worker", None)
    credits = list(Credit.objects.filter(worker=worker)) if worker is not None else []
    for credit in credits:
        avisos_ensure(actor=Actor.of_request(request), credit=credit)
    rows = avisos_of_worker(worker.pk) if worker is not None else []
    return render(
        request,
        "savings/avisos.html",
        {"rows": [(row, KINDS[row.kind]) for row in rows if row.kind in KINDS], "has_credit": bool(credits)},
    )


@never_cache
@login_required
@require_GET
def aviso_pdf(request: HttpRequest, folio: str) -> HttpResponse:
    worker = getattr(request.user, "worker", None)
    document = (
        None
        if worker is None
        else next((d for d in avisos_of_worker(worker.pk) if d.folio == folio and d.subject_type == SUBJECT), None)
    )
    if document is None:
        raise Http404("No tienes un aviso con ese folio.")
    response = HttpResponse(document_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.folio}.pdf"'
    return response
