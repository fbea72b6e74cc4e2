"""The back office's reading of the data feeds: each file's report and quarantine, and employers who owe."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from micuenta.backoffice.roles import can_view_feeds
from micuenta.backoffice.views import AUDIT_PAGE_SIZE, _render, cesi_required
from micuenta.core.privacy import mask_nss
from micuenta.employment.models import Employer
from micuenta.feeds import selectors as feeds
from micuenta.feeds.models import FeedKind
from micuenta.savings import gaps

QUARANTINE_PAGE_SIZE = 50


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("pagina", None)
    return query.urlencode()


@cesi_required(can_view_feeds)
@require_GET
def feed_runs(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("archivo", "")
    if kind not in FeedKind.values:
        kind = ""
    page = Paginator(feeds.import_runs(kind=kind), AUDIT_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return _render(
        request,
        "backoffice/feed_runs.html",
        {"page": page, "kinds": FeedKind.choices, "kind": kind, "query": _query_without_page(request)},
    )


@cesi_required(can_view_feeds)
@require_GET
def feed_run(request: HttpRequest, run_id: int) -> HttpResponse:
    run = feeds.import_run_get(run_id=run_id)
    page = Paginator(feeds.quarantined_lines(run=run), QUARANTINE_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return _render(request, "backoffice/feed_run.html", {"run": run, "page": page, "query": ""})


@cesi_required(can_view_feeds)
@require_GET
def employers_owing(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("buscar", "").strip()[:200]
    page = Paginator(gaps.employers_with_gaps(search=search), AUDIT_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return _render(
        request,
        "backoffice/employers_owing.html",
        {"page": page, "search": search, "check": gaps.gaps_computed_at(), "query": _query_without_page(request)},
    )


@cesi_required(can_view_feeds)
@require_GET
def employer_owing(request: HttpRequest, registro_patronal: str) -> HttpResponse:
    employer = get_object_or_404(Employer, registro_patronal=registro_patronal)
    rows = gaps.employer_gaps(employer=employer)
    page = Paginator(rows, QUARANTINE_PAGE_SIZE).get_page(request.GET.get("pagina"))
    for gap in page.object_list:
        gap.nss_masked = mask_nss(gap.worker.nss)
    return _render(
        request,
        "backoffice/employer_owing.html",
        {"employer": employer, "page": page, "check": gaps.gaps_computed_at(), "query": ""},
    )
