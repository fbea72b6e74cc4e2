"""Mi ahorro: Cuánto ahorro tengo, Resumen de movimientos (page, CSV, PDF) and Relaciones laborales.

No URL names a person: every page reads the signed-in person's own worker. An account without one (staff)
sees a short explanation instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from micuenta.core.charts import balance_chart, year_end_rows
from micuenta.core.periods import BIMESTRE_MONTHS, ORDINALS, bimestre_label
from micuenta.core.privacy import mask_nss
from micuenta.documents.pdf import render_pdf
from micuenta.people.models import Worker
from micuenta.savings.exports import csv_lines, movement_lines
from micuenta.savings.forms import MovementFilterForm
from micuenta.savings.models import Pocket
from micuenta.savings.selectors import (
    MOVEMENT_TYPES,
    ContributionRow,
    JobGap,
    JobRow,
    MovementFilter,
    MovementTotals,
    SavingsSummary,
    balance_before,
    balance_series,
    contribution_notices,
    data_cut,
    employment_history,
    explain_movements,
    gaps_by_employer,
    latest_contributions,
    movement_totals,
    movements_queryset,
    savings_summary,
)

PAGE_SIZE = 25
# The order a person reads the pockets in: the one that receives today's contributions first.
POCKET_ORDER = (Pocket.VIVIENDA_97, Pocket.VIVIENDA_92, Pocket.FONDO_72_92, Pocket.SOLO_INFONAVIT)
POCKET_NOTES = {
    Pocket.VIVIENDA_97: "Las aportaciones de tu patrón desde julio de 1997: el 5 % de tu salario. Genera rendimientos.",
    Pocket.VIVIENDA_92: "Las aportaciones de marzo de 1992 a junio de 1997. Genera rendimientos.",
    Pocket.FONDO_72_92: (
        "Las aportaciones de mayo de 1972 a febrero de 1992. No genera rendimientos: así lo disponía la ley de "
        "entonces."
    ),
    Pocket.SOLO_INFONAVIT: "Aportaciones extraordinarias que hiciste por tu cuenta. Genera rendimientos.",
}
CSV_FILENAME = "resumen-de-movimientos.csv"
PDF_FILENAME = "resumen-de-movimientos.pdf"

View = Callable[..., HttpResponseBase]


def savings_page(view: Callable[[HttpRequest, Worker], HttpResponseBase]) -> View:
    """Signed in, GET only, never cached; the view gets the person's own worker, or they see why there is none."""

    @wraps(view)
    @never_cache
    @login_required
    @require_GET
    def wrapper(request: HttpRequest) -> HttpResponseBase:
        worker = getattr(request.user, "worker", None)
        if worker is None:
            return render(request, "savings/no_subaccount.html")
        return view(request, worker)

    return wrapper


# --- Cuánto ahorro tengo ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PocketView:
    label: str
    balance: Decimal
    note: str


@dataclass(frozen=True)
class ContributionView:
    row: ContributionRow
    days_late: int

    @property
    def bimestre(self) -> str:
        """The bimestre and its months, as in "4º (julio–agosto)"."""
        return f"{ORDINALS[self.row.bimestre]} ({BIMESTRE_MONTHS[self.row.bimestre]})"


def _pockets(summary: SavingsSummary) -> list[PocketView]:
    by_pocket = {p.pocket: p for p in summary.pockets}
    return [
        PocketView(label=pocket.label, balance=by_pocket[pocket].balance, note=POCKET_NOTES[pocket])
        for pocket in POCKET_ORDER
        if pocket in by_pocket
    ]


@savings_page
def balance(request: HttpRequest, worker: Worker) -> HttpResponse:
    summary = savings_summary(worker=worker)
    cut = data_cut()
    notices = contribution_notices(worker=worker, today=timezone.localdate())
    contributions = latest_contributions(worker=worker)
    return render(
        request,
        "savings/balance.html",
        {
            "summary": summary,
            "pockets": _pockets(summary),
            "cut": cut,
            "contributions": [ContributionView(row, row.days_late) for row in contributions],
            "borrower_lines": any(row.deduction or row.to_credit for row in contributions),
            "notices": notices,
            "gap_groups": gaps_by_employer(notices),
        },
    )


# --- Resumen de movimientos -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """What the filter selects, summed, with the balance before and after the period."""

    filters: MovementFilter
    summary: SavingsSummary
    totals: MovementTotals
    opening: Decimal  # the balance the day before the period (zero before the first movement)
    closing: Decimal  # the balance at the close of the period's last day

    @property
    def period(self) -> str:
        start, end = self.filters.date_from, self.filters.date_to
        if start and end:
            return f"del {start:%d/%m/%Y} al {end:%d/%m/%Y}"
        if start:
            return f"del {start:%d/%m/%Y} a la fecha"
        if end:
            return f"desde el inicio hasta el {end:%d/%m/%Y}"
        return "todo el historial"

    @property
    def kind_label(self) -> str:
        return ", ".join(MOVEMENT_TYPES[k] for k in self.filters.kinds) or "Todos"


def _statement(worker: Worker, filters: MovementFilter) -> Statement:
    summary = savings_summary(worker=worker)
    ids = summary.account_ids
    totals = movement_totals(account_ids=ids, filters=filters)
    opening = balance_before(account_ids=ids, day=filters.date_from) if filters.date_from else Decimal("0.00")
    if filters.date_to is not None:
        closing = balance_before(account_ids=ids, day=filters.date_to + timedelta(days=1))
    else:
        closing = summary.total  # the cached balances, which ledger_check proves equal to the postings
    return Statement(filters=filters, summary=summary, totals=totals, opening=opening, closing=closing)


def _filter_form(request: HttpRequest) -> MovementFilterForm:
    data = request.GET if any(request.GET.get(name) for name in ("tipo", "desde", "hasta")) else None
    return MovementFilterForm(data)


def _query(request: HttpRequest) -> str:
    """The current filters as a query string, without the page number."""
    query = request.GET.copy()
    query.pop("pagina", None)
    for name in list(query):
        if name not in ("tipo", "desde", "hasta") or not query.get(name):
            del query[name]
    return query.urlencode()


@savings_page
def movements(request: HttpRequest, worker: Worker) -> HttpResponse:
    form = _filter_form(request)
    context: dict[str, Any] = {"form": form, "query": _query(request)}
    if not form.is_bound or form.is_valid():
        filters = form.movement_filter() if form.is_bound else MovementFilter()
        statement = _statement(worker, filters)
        rows = movements_queryset(account_ids=statement.summary.account_ids, filters=filters)
        paginator = Paginator(rows, PAGE_SIZE)
        paginator.count = statement.totals.count  # already counted with the totals: one query less
        page = paginator.get_page(request.GET.get("pagina"))
        context.update(
            statement=statement, page=page, movements=explain_movements(worker=worker, postings=page.object_list)
        )
        account_ids = statement.summary.account_ids
    else:
        account_ids = savings_summary(worker=worker).account_ids
    series = balance_series(account_ids=account_ids)
    context["chart"] = balance_chart(series, chart_id="grafica-saldo", title="Tu saldo a lo largo del tiempo")
    context["chart_rows"] = year_end_rows(series)
    return render(request, "savings/movements.html", context)


def _file_filters(request: HttpRequest) -> MovementFilter | None:
    """The filters of a CSV or PDF request; None when they are not valid (the page shows them with the errors)."""
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        return None
    return form.movement_filter() if form.is_bound else MovementFilter()


def _back_to_form(request: HttpRequest) -> HttpResponse:
    """A file asked for with a filter that is not valid: the page shows the filter with its errors."""
    return redirect(f"{reverse('savings:movements')}?{_query(request)}")


@savings_page
def movements_csv(request: HttpRequest, worker: Worker) -> HttpResponseBase:
    filters = _file_filters(request)
    if filters is None:
        return _back_to_form(request)
    ids = savings_summary(worker=worker).account_ids
    response = StreamingHttpResponse(
        csv_lines(movements_queryset(account_ids=ids, filters=filters)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{CSV_FILENAME}"'
    return response


@savings_page
def movements_pdf(request: HttpRequest, worker: Worker) -> HttpResponse:
    filters = _file_filters(request)
    if filters is None:
        return _back_to_form(request)
    statement = _statement(worker, filters)
    pdf = render_pdf(
        "savings/movements_pdf.html",
        {
            "worker": worker,
            "nss": mask_nss(worker.nss),
            "statement": statement,
            "lines": movement_lines(movements_queryset(account_ids=statement.summary.account_ids, filters=filters)),
            "issued": timezone.localdate(),
            "cut": data_cut(),
            "institution": settings.MICUENTA_INSTITUTION,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{PDF_FILENAME}"'
    return response


# --- Relaciones laborales ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    job: JobRow | None = None
    gap: JobGap | None = None


def _interleave(jobs: list[JobRow], gaps: list[JobGap]) -> list[HistoryRow]:
    """Each gap just before the job that ended it (jobs and gaps are both in order)."""
    ending = {gap.hasta + timedelta(days=1): gap for gap in gaps}
    rows = []
    for job in jobs:
        gap = ending.pop(job.started_on, None)
        if gap is not None:
            rows.append(HistoryRow(gap=gap))
        rows.append(HistoryRow(job=job))
    return rows


@savings_page
def employment(request: HttpRequest, worker: Worker) -> HttpResponse:
    today = timezone.localdate()
    history = employment_history(worker=worker, today=today)
    rows = _interleave(history.jobs, history.gaps)
    since_last: date | None = None
    if history.jobs and not history.current:
        since_last = max(job.ended_on for job in history.jobs if job.ended_on is not None) + timedelta(days=1)
        if since_last > today:
            since_last = None
    run_since = None
    if history.run_since is not None:
        year, bimestre = history.run_since
        run_since = f"{bimestre_label(year, bimestre)} ({BIMESTRE_MONTHS[bimestre]})"
    return render(
        request,
        "savings/employment.html",
        {"history": history, "rows": rows, "since_last": since_last, "run_since": run_since, "today": today},
    )
