"""Mi crédito: Saldos y movimientos (cuánto debo, cómo pagarlo, ¿y si pago más?), Cómo, cuándo y dónde pagar, the
monthly statements (page and PDF) and the estado de cuenta histórico (page, CSV, PDF).

No URL names a person: every page reads the signed-in person's own credits (`credits_of_worker`). With several
credits the newest is shown; ``?credito=<número de crédito>`` picks another, resolved only through
`credit_get_for_worker`, so a stranger's number is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from micuenta.core.actors import Actor
from micuenta.core.charts import BalancePoint, balance_chart, year_end_rows
from micuenta.core.identifiers import CURP_STATE_NAMES
from micuenta.core.money import format_pesos
from micuenta.core.periods import MONTH_NAMES, month_name
from micuenta.core.privacy import mask_nss
from micuenta.credits import schedule
from micuenta.credits.constancia import ConstanciaUnavailable, constancia_figures, constancia_years
from micuenta.credits.exports import history_csv_lines
from micuenta.credits.forms import ExtraPaymentForm
from micuenta.credits.models import Credit, CreditStatus, Denomination, Instalment, Regime
from micuenta.credits.payment_channels import FUND_BANK_NAME, FUND_CLABE, FUND_REFERENCE, STORE_MINIMUM
from micuenta.credits.rules import level_payment
from micuenta.credits.selectors import (
    Debt,
    balance_by_month,
    credit_debt,
    credit_get_for_worker,
    credit_history,
    credits_of_worker,
    statement_month,
    statement_periods,
)
from micuenta.credits.services.constancias import constancia_issue
from micuenta.credits.services.statements import statement_ensure
from micuenta.documents.pdf import pdf_from_html, render_pdf
from micuenta.documents.services import document_pdf
from micuenta.people.models import PensionRegime, Worker, WorkerStatus

PAGE_SIZE = 25
HISTORY_CSV = "estado-de-cuenta-historico.csv"
HISTORY_PDF = "estado-de-cuenta-historico.pdf"

STATUS_PLAIN = {
    CreditStatus.VIGENTE: "Vigente: lo estás pagando.",
    CreditStatus.PRORROGA: "En prórroga: por ahora no tienes que hacer pagos.",
    CreditStatus.FPP: "Protegido por el Fondo de Protección de Pagos mientras estás sin empleo.",
    CreditStatus.EN_COBRANZA: "En cobranza: tienes pagos atrasados que conviene ponerte al corriente.",
    CreditStatus.LIQUIDADO: "Liquidado: ya lo pagaste por completo.",
}

View = Callable[..., HttpResponseBase]


@dataclass(frozen=True)
class Chosen:
    """The credit a page shows and the worker's other credits, for the switcher."""

    worker: Worker
    credit: Credit
    credits: list[Credit]

    @property
    def query(self) -> str:
        """The query string that keeps this credit chosen across the pages (empty with one credit)."""
        return f"credito={self.credit.numero_credito}" if len(self.credits) > 1 else ""

    @property
    def paid_off(self) -> bool:
        """Liquidado: nothing more to pay, so no page tells the person how to pay it."""
        return self.credit.status == CreditStatus.LIQUIDADO

    @property
    def status_text(self) -> str:
        return STATUS_PLAIN.get(self.credit.status, self.credit.get_status_display())  # type: ignore[call-overload]


def _choose(request: HttpRequest, worker: Worker) -> Chosen | None:
    credits = list(credits_of_worker(worker))
    if not credits:
        return None
    numero = request.GET.get("credito", "").strip()
    credit = credit_get_for_worker(worker=worker, numero_credito=numero) if numero else credits[0]
    return Chosen(worker=worker, credit=credit, credits=credits)


def credit_page(*, missing_is_404: bool = False) -> Callable[[Callable[..., HttpResponseBase]], View]:
    """Signed in, GET only, never cached; the view gets the chosen credit. A person without a credit sees a kind
    page (or a 404, for the URLs that name a month of a credit)."""

    def decorator(view: Callable[..., HttpResponseBase]) -> View:
        @wraps(view)
        @never_cache
        @login_required
        @require_GET
        def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
            worker = getattr(request.user, "worker", None)
            chosen = _choose(request, worker) if worker is not None else None
            if chosen is None:
                if missing_is_404:
                    raise Http404("No tienes un crédito con ese estado de cuenta.")
                return render(request, "credits/no_credit.html", _no_credit_context(worker))
            return view(request, chosen, **kwargs)

        return wrapper

    return decorator


def _no_credit_context(worker: Worker | None) -> dict[str, Any]:
    """A pensioner can no longer ask for a credit (it needs a current job) but can ask for the savings back."""
    pensioner = worker is not None and worker.status == WorkerStatus.PENSIONADO
    return {
        "has_worker": worker is not None,
        "pensioner": pensioner,
        "ley_73": pensioner and worker is not None and worker.pension_regime == PensionRegime.LEY_73,
    }


def _render(request: HttpRequest, template: str, chosen: Chosen, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"chosen": chosen, "credit": chosen.credit, **context})


# --- Saldos y movimientos ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentOption:
    label: str
    amount: Decimal | None  # None: any amount from the minimum
    note: str


def _payment_options(debt: Debt) -> list[PaymentOption]:
    """The four amounts of the real portal (docs/sources.md#payment-options)."""
    options = [PaymentOption("Saldo a liquidar", debt.payoff, "Pagas todo tu crédito hoy.")]
    behind = (
        "Cubre tus mensualidades atrasadas."
        if debt.overdue_count
        else "Estás al corriente: no tienes mensualidades atrasadas."
    )
    options.append(PaymentOption("Pago para estar al corriente", debt.overdue_amount, behind))
    if debt.next_instalment_amount:
        options.append(PaymentOption("Pago de mi mensualidad", debt.next_instalment_amount, "Tu siguiente pago."))
    options.append(PaymentOption("Otro", None, f"La cantidad que tú elijas, desde {format_pesos(STORE_MINIMUM)}."))
    return options


@dataclass(frozen=True)
class ExtraEffect:
    once: Decimal
    monthly: Decimal
    months_saved: int
    months_after: int
    interest_saved: Decimal

    @property
    def years_saved(self) -> tuple[int, int]:
        return divmod(self.months_saved, 12)


def _simulate(request: HttpRequest, credit: Credit, debt: Debt) -> tuple[ExtraPaymentForm, ExtraEffect | None]:
    bound = any(request.GET.get(name) for name in ("una_vez", "cada_mes")) or "simular" in request.GET
    form = ExtraPaymentForm(request.GET if bound else None, capital=debt.capital)
    if not bound or not form.is_valid():
        return form, None
    once, monthly = form.amounts()
    effect = schedule.extra_payment_effect(
        capital=debt.capital,
        annual_rate=credit.annual_rate,
        payment=level_payment(credit, debt.unit_value),
        remaining_months=debt.months_left,
        extra_once=once,
        extra_monthly=monthly,
    )
    return form, ExtraEffect(once, monthly, effect.months_saved, effect.months_after, effect.interest_saved)


def _pay_channels(credit: Credit) -> dict[str, Any]:
    """What `credits/_pay_directly.html` shows: the fund's account, the reference and the store minimum."""
    return {"clabe": FUND_CLABE, "bank": FUND_BANK_NAME, "reference": FUND_REFERENCE, "minimum": STORE_MINIMUM}


def _chart_points(credit: Credit) -> list[BalancePoint]:
    return [BalancePoint(month=month, balance=value) for month, value in balance_by_month(credit)]


@credit_page()
def balance(request: HttpRequest, chosen: Chosen) -> HttpResponse:
    credit = chosen.credit
    today = timezone.localdate()
    debt = credit_debt(credit, today=today)
    paid_off = chosen.paid_off
    form, effect = (None, None) if paid_off or debt.capital <= 0 else _simulate(request, credit, debt)
    points = _chart_points(credit)
    return _render(
        request,
        "credits/balance.html",
        chosen,
        {
            "debt": debt,
            "today": today,
            "paid_off": paid_off,
            "is_vsm": credit.denomination == Denomination.VSM,
            "options": [] if paid_off else _payment_options(debt),
            "form": form,
            "effect": effect,
            "chart": balance_chart(points, chart_id="grafica-credito", title="Lo que debes, mes a mes"),
            "chart_rows": year_end_rows(points),
            "arrears": bool(debt.overdue_count) and not paid_off,
            "is_roa": credit.regime == Regime.ROA,
            **_pay_channels(credit),
        },
    )


# --- Cómo, cuándo y dónde pagar -----------------------------------------------------------------------------------


@credit_page()
def how_to_pay(request: HttpRequest, chosen: Chosen) -> HttpResponse:
    return _render(
        request,
        "credits/how_to_pay.html",
        chosen,
        {
            "is_roa": chosen.credit.regime == Regime.ROA,
            "paid_off": chosen.paid_off,
            # Paid off: what comes next, with the saldo a favor to ask back.
            "debt": credit_debt(chosen.credit, today=timezone.localdate()) if chosen.paid_off else None,
            **_pay_channels(chosen.credit),
        },
    )


# --- Estado de cuenta mensual -------------------------------------------------------------------------------------


@credit_page()
def statements(request: HttpRequest, chosen: Chosen) -> HttpResponse:
    """The months with a statement, newest first, grouped by year."""
    years: dict[int, list[tuple[str, str]]] = {}
    for period in statement_periods(chosen.credit, today=timezone.localdate()):
        years.setdefault(period.year, []).append((f"{period:%Y-%m}", MONTH_NAMES[period.month - 1].capitalize()))
    first = schedule.add_months(chosen.credit.origination_date, 1)
    return _render(request, "credits/statements.html", chosen, {"years": list(years.items()), "first": first})


def _period(credit: Credit, value: str) -> date | None:
    """The month of `value` (AAAA-MM) when it is one of the credit's statements, else None."""
    period = schedule.month_from_text(value)
    return period if period in statement_periods(credit, today=timezone.localdate()) else None


def _missing_statement(request: HttpRequest, chosen: Chosen) -> HttpResponse:
    response = _render(request, "credits/statement_missing.html", chosen, {})
    response.status_code = 404
    return response


def _statement_context(chosen: Chosen, period: date) -> dict[str, Any] | None:
    """The figures of a month's statement, its mensualidad and payments, and the months before and after it that
    have one; None when the month has no statement."""
    periods = statement_periods(chosen.credit, today=timezone.localdate())  # newest first
    if period not in periods:
        return None
    at = periods.index(period)
    previous = periods[at + 1] if at + 1 < len(periods) else None
    following = periods[at - 1] if at > 0 else None
    details = statement_month(chosen.credit, period)
    instalment = details.instalment
    return {
        "st": statement_ensure(credit=chosen.credit, period=period),
        "month": month_name(period),
        "periodo": f"{period:%Y-%m}",
        "details": details,
        "due_date": instalment.due_date if instalment else None,
        "last_instalment": _last_instalment(chosen.credit, instalment),
        "is_roa": chosen.credit.regime == Regime.ROA,
        "previous": (f"{previous:%Y-%m}", month_name(previous)) if previous else None,
        "following": (f"{following:%Y-%m}", month_name(following)) if following else None,
    }


@dataclass(frozen=True)
class LastInstalment:
    """The last mensualidad's capital and interest against the level payment of every other month."""

    amount: Decimal
    level: Decimal

    @property
    def difference(self) -> Decimal:
        return abs(self.amount - self.level)


def _last_instalment(credit: Credit, instalment: Instalment | None) -> LastInstalment | None:
    """The last mensualidad of the term takes all the capital left, so the centavos rounded month by month make it
    differ from the level payment (docs/credits.md#last-instalment)."""
    if instalment is None or instalment.number != credit.term_months:
        return None
    return LastInstalment(instalment.capital_due + instalment.interest, level_payment(credit, instalment.unit_value))


@credit_page(missing_is_404=True)
def statement(request: HttpRequest, chosen: Chosen, periodo: str) -> HttpResponse:
    period = schedule.month_from_text(periodo)
    context = _statement_context(chosen, period) if period else None
    if context is None:
        return _missing_statement(request, chosen)
    return _render(request, "credits/statement.html", chosen, context)


@credit_page(missing_is_404=True)
def statement_pdf(request: HttpRequest, chosen: Chosen, periodo: str) -> HttpResponse:
    period = _period(chosen.credit, periodo)
    if period is None:
        return _missing_statement(request, chosen)
    return _attachment(pdf_from_html(statement_pdf_html(chosen, period)), f"estado-de-cuenta-{periodo}.pdf")


def statement_pdf_html(chosen: Chosen, period: date) -> str:
    """The statement's PDF as HTML (what WeasyPrint renders)."""
    context = _statement_context(chosen, period)
    if context is None:
        raise Http404("No hay estado de cuenta de ese mes.")
    return render_to_string("credits/statement_pdf.html", {**_pdf_context(chosen), **context})


def _pdf_context(chosen: Chosen) -> dict[str, Any]:
    return {
        "worker": chosen.worker,
        "nss": mask_nss(chosen.worker.nss),
        "credit": chosen.credit,
        "issued": timezone.localdate(),
        "institution": settings.MICUENTA_INSTITUTION,
    }


def _attachment(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Estado de cuenta histórico -----------------------------------------------------------------------------------


@credit_page()
def history(request: HttpRequest, chosen: Chosen) -> HttpResponse:
    rows = credit_history(chosen.credit)
    rows.reverse()  # newest first: page 1 is the latest movements
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return _render(
        request,
        "credits/history.html",
        chosen,
        {"page": page, "count": len(rows), "current": rows[0] if rows else None},
    )


@credit_page()
def history_csv(request: HttpRequest, chosen: Chosen) -> HttpResponseBase:
    response = StreamingHttpResponse(
        history_csv_lines(credit_history(chosen.credit)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{HISTORY_CSV}"'
    return response


@credit_page()
def history_pdf(request: HttpRequest, chosen: Chosen) -> HttpResponse:
    rows = credit_history(chosen.credit)
    pdf = render_pdf(
        "credits/history_pdf.html", {**_pdf_context(chosen), "rows": rows, "last": rows[-1] if rows else None}
    )
    return _attachment(pdf, HISTORY_PDF)


# --- Constancia de Intereses --------------------------------------------------------------------------------------


@credit_page()
def constancia(request: HttpRequest, chosen: Chosen) -> HttpResponse:
    """Choose a closed fiscal year, «Consultar»: the figures, and the signed PDF to download (its holder only: a
    co-borrower sees the figures; the constancia is issued in the holder's name)."""
    today = timezone.localdate()
    years, without_inpc = constancia_years(chosen.credit, today)
    holder = chosen.credit.worker_id == chosen.worker.pk
    context: dict[str, Any] = {
        "years": years,
        "holder": holder,
        "rfc": chosen.worker.rfc,
        "pending_year": today.year - 1 if today.year - 1 in without_inpc else None,
        "earlier_missing": [y for y in without_inpc if y < today.year - 1],
    }
    status = 200
    asked = request.GET.get("ejercicio", "")
    if asked:
        year = int(asked) if len(asked) == 4 and asked.isascii() and asked.isdigit() else 0
        if year not in years:
            context["error"] = (
                "Elige un ejercicio de la lista: la constancia de un año se emite cuando el año terminó, desde el año "
                "en que se formalizó tu crédito."
            )
            status = 400
        else:
            context["year"] = year
            try:
                context["figures"] = constancia_figures(chosen.credit, year)
            except ConstanciaUnavailable as unavailable:
                context["error"] = unavailable.message
                status = 400
    return render(
        request,
        "credits/constancia.html",
        {
            "chosen": chosen,
            "credit": chosen.credit,
            "estado": CURP_STATE_NAMES.get(chosen.credit.estado, ""),
            **context,
        },
        status=status,
    )


@credit_page(missing_is_404=True)
def constancia_pdf(request: HttpRequest, chosen: Chosen, ejercicio: int) -> HttpResponse:
    """The signed PDF of that year: issued on the first request, the same stored bytes after (a new one, replacing
    it, when the holder's name, CURP or RFC was corrected since)."""
    if chosen.credit.worker_id != chosen.worker.pk:
        raise Http404("La constancia se expide a nombre del titular del crédito.")
    if ejercicio not in constancia_years(chosen.credit, timezone.localdate())[0]:
        raise Http404("No hay constancia de ese ejercicio para tu crédito.")
    try:
        document = constancia_issue(actor=Actor.of_request(request), credit=chosen.credit, year=ejercicio)
    except ConstanciaUnavailable as unavailable:
        raise Http404(unavailable.message) from None
    return _attachment(
        document_pdf(document), f"constancia-de-intereses-{ejercicio}-{chosen.credit.numero_credito}.pdf"
    )
