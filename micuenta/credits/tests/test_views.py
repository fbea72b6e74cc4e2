"""Mi crédito as the borrower sees it: what they owe and how to pay it, the simulator, the monthly statements (page
and PDF), the history (page, CSV, PDF), the choice among several credits, and the same queries for any history."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from micuenta.core.identifiers import validate_clabe
from micuenta.core.money import format_pesos
from micuenta.core.tests.queries import count_queries
from micuenta.credits import schedule
from micuenta.credits.allocation import PaymentIn
from micuenta.credits.models import Credit, CreditStatus, Instalment, PaymentSource, Regime, Statement, UnitUpdate
from micuenta.credits.payment_channels import FUND_CLABE, FUND_REFERENCE, STORE_MINIMUM
from micuenta.credits.tests.factories import CreditFactory, accrue, originate, payments_post
from micuenta.identity.models import User
from micuenta.identity.tests.factories import UserFactory
from micuenta.identity.tests.signin import sign_in
from micuenta.people.models import WorkerStatus
from micuenta.people.tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db

# The factory's credit (364,582.34 at 3.5 % for 360 months, REA), granted 14/03/2025; April and May issued.
INTEREST = Decimal("1063.37")
INSURANCE = Decimal("75.95")
CAPITAL_DUE = Decimal("573.77")
MENSUALIDAD = INTEREST + INSURANCE + CAPITAL_DUE  # 1,713.09: April's, paid on 20/04/2025
GRANTED = Decimal("364582.34")
APRIL_CLOSING = GRANTED + INTEREST + INSURANCE - MENSUALIDAD  # 364,008.57
BALANCE = APRIL_CLOSING + INTEREST + INSURANCE  # 365,147.89 with May charged and not paid


CENT = Decimal("0.01")
TODAY = date(2025, 5, 26)  # April's mensualidad is due (30/04) and May's is not yet (31/05)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The pages read "today" from timezone.localdate(): the figures below are those of TODAY."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


def borrower(
    *, months: int = 2, paid: int | None = None, origination: date = date(2025, 3, 14), **credit: object
) -> tuple[User, Credit]:
    """A signed-up borrower whose credit has `months` mensualidades issued, the first `paid` of them (all but the
    last unless said) paid on the 20th of their month."""
    made = originate(CreditFactory.create(**{"origination_date": origination, "regime": Regime.REA, **credit}))
    first = schedule.add_months(origination, 1)
    last = schedule.add_months(first, months - 1)
    accrue(month=last, credit_ids=[made.pk])
    payments = [
        PaymentIn(made.pk, f"v:{made.pk}:{k}", MENSUALIDAD, schedule.add_months(first, k).replace(day=20))
        for k in range(months - 1 if paid is None else paid)
    ]
    if payments:
        payments_post(payments)
    made.refresh_from_db()
    return UserFactory.create(worker=made.worker), made


@pytest.fixture
def signed_in(client):
    user, credit = borrower()
    sign_in(client, user)
    return credit


def page(client, name: str, *args: str, **params: str) -> str:
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200, name
    return response.content.decode()


def test_the_balance_page_shows_what_is_owed_and_the_four_payment_options(client, signed_in):
    html = page(client, "credits:balance")

    assert signed_in.numero_credito in html
    assert "Crédito Infonavit" in html and "Vigente: lo estás pagando." in html
    assert "Pagas tú directamente cada mes" in html  # the régimen in plain words
    assert f'<dd class="total-amount">{format_pesos(BALANCE)}</dd>' in html
    assert "Saldo para liquidar al 26/05/2025" in html
    assert format_pesos(Decimal("1637.14") + INSURANCE) in html  # the mensualidad
    assert "<dd>31/05/2025</dd>" in html  # May's, the next one
    assert "Tienes 1 mensualidad" not in html
    for option in ("Saldo a liquidar", "Pago para estar al corriente", "Pago de mi mensualidad", "Otro"):
        assert f"<h3>{option}</h3>" in html
    assert "Estás al corriente: no tienes mensualidades atrasadas." in html  # nothing overdue: $0.00 to pay
    assert "desde $50.00." in html
    assert 'href="/mi-credito/como-pagar/"' in html
    assert "tarjeta" not in html  # online card payment is offered only once it exists
    assert 'id="grafica-credito"' in html and "Ver los datos de la gráfica en una tabla" in html
    assert "Saldo a favor" not in html


def test_the_payoff_counts_the_whole_months_interest_by_default_and_says_so(client, signed_in, settings):
    settings.MICUENTA_PAYOFF_INTEREST = "mes_completo"
    html = page(client, "credits:balance")
    # On 26/05/2025 May's interest (1,063.37) was charged whole on 01/05: all of it is in the payoff.
    assert f'<dd class="total-amount">{format_pesos(BALANCE)}</dd>' in html
    assert "Incluye los intereses de todo el mes, que se cargan completos el día 1." in html


def test_the_payoff_to_the_day_leaves_out_the_interest_of_the_days_to_come(client, signed_in, settings):
    settings.MICUENTA_PAYOFF_INTEREST = "al_dia"
    html = page(client, "credits:balance")
    # By hand: May has 31 days; a payoff on the 26th counts the 25 days before it, so the 6 days left (26–31) of
    # May's 1,063.37 are not owed: 1,063.37 × 6 / 31 = 205.8135… → 205.81.
    assert f'<dd class="total-amount">{format_pesos(BALANCE - Decimal("205.81"))}</dd>' in html
    assert "Cuenta los intereses de este mes solo por 25 días: del día 1 a ayer." in html
    assert (
        f'<h3>Saldo a liquidar</h3>\n      <p class="pocket-amount">{format_pesos(BALANCE - Decimal("205.81"))}' in html
    )
    assert f"<dt>Saldo actual</dt><dd>{format_pesos(BALANCE)}</dd>" in html  # what is on the books is unchanged


def test_an_unknown_payoff_policy_is_refused(client, signed_in, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.MICUENTA_PAYOFF_INTEREST = "quincenal"
    with pytest.raises(ImproperlyConfigured):
        client.get(reverse("credits:balance"))


def test_a_borrower_in_arrears_sees_what_puts_them_al_corriente(client):
    user, credit = borrower(months=2, paid=0)
    sign_in(client, user)

    html = page(client, "credits:balance")

    # What puts the borrower al corriente leads, with its date and how to pay exactly that amount.
    box = html[html.index('class="total-box arrears-box"') : html.index("</section>")]
    assert "Para ponerte al corriente hoy, 26/05/2025" in box
    assert f'<p class="total-amount">{format_pesos(MENSUALIDAD)}</p>' in box  # April's, 1,713.09, due 30/04/2025
    assert "Cubre tu mensualidad atrasada; la más antigua venció el <strong>30/04/2025</strong>" in box
    assert f"<dt>Cantidad</dt><dd><strong>{format_pesos(MENSUALIDAD)}</strong></dd>" in box
    assert f"<dd>{FUND_CLABE}</dd>" in box and f"<dd>{FUND_REFERENCE}</dd>" in box
    assert f"<dt>Concepto</dt><dd>{credit.numero_credito} " in box
    # The payoff is still there, but after it and not as the big figure.
    payoff = GRANTED + 2 * (INTEREST + INSURANCE)
    assert html.index("Para ponerte al corriente") < html.index("Saldo para liquidar al 26/05/2025")
    assert f"<dt>Saldo para liquidar al 26/05/2025</dt><dd>{format_pesos(payoff)}</dd>" in html
    assert f'<dd class="total-amount">{format_pesos(payoff)}</dd>' not in html
    for option in ("Saldo a liquidar", "Pago para estar al corriente", "Pago de mi mensualidad", "Otro"):
        assert f"<h3>{option}</h3>" in html


def test_two_mensualidades_behind_lead_with_both_and_the_oldest_date(client, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2025, 6, 26))
    user, _ = borrower(months=3, paid=0)
    sign_in(client, user)
    html = page(client, "credits:balance")
    # April's (due 30/04) and May's (due 31/05) are behind on 26/06/2025; June's is not due yet.
    assert "Para ponerte al corriente hoy, 26/06/2025" in html
    assert "Cubre tus 2 mensualidades atrasadas; la más antigua venció el <strong>30/04/2025</strong>" in html


def test_the_menu_and_the_subnav_mark_the_page(client, signed_in):
    html = page(client, "credits:history")
    assert f'<a href="{reverse("credits:balance")}" aria-current="true">Mi crédito</a>' in html
    assert f'<a href="{reverse("credits:history")}" aria-current="page">Estado de cuenta histórico</a>' in html


def test_a_saldo_a_favor_is_shown_with_its_refund(client):
    user, credit = borrower(months=1, amount_granted=Decimal("20000.00"), term_months=24)
    payments_post([PaymentIn(credit.pk, "todo", Decimal("25000.00"), date(2025, 4, 20))])
    sign_in(client, user)

    html = page(client, "credits:balance")

    owed = Decimal("20000.00") + Decimal("58.33") + Decimal("4.17")
    assert "Liquidado: ya lo pagaste por completo." in html
    assert format_pesos(Decimal("25000.00") - owed) in html and "puedes pedir que te lo devuelvan" in html
    assert "Pago de mi mensualidad" not in html and "¿Y si pago más?" not in html
    assert "terminaste de pagar el 20/04/2025" in html and "Mensualidades atrasadas" not in html


def test_a_paid_off_credit_is_told_what_comes_next_and_never_how_to_pay(client):
    user, credit = borrower(months=1, amount_granted=Decimal("20000.00"), term_months=24)
    payments_post([PaymentIn(credit.pk, "todo", Decimal("25000.00"), date(2025, 4, 20))])
    sign_in(client, user)
    excess = Decimal("25000.00") - (Decimal("20000.00") + Decimal("58.33") + Decimal("4.17"))

    for name in ("credits:balance", "credits:how_to_pay", "credits:statements", "credits:history"):
        html = page(client, name)
        assert FUND_CLABE not in html and "Cómo, cuándo y dónde pagar" not in html, name
        assert "¿Cuánto quieres pagar?" not in html and "Pago para estar al corriente" not in html, name
        assert ">Después de liquidar</a>" in html, name
    for name in ("credits:balance", "credits:how_to_pay"):
        html = page(client, name)
        assert "Ya terminaste de pagar: lo que sigue" in html
        assert "carta de instrucción de cancelación de hipoteca" in html and "notario" in html
        assert "180 días naturales" in html
        assert f"tu saldo a favor</strong> de {format_pesos(excess)}" in html
        assert "Aviso de Suspensión de Descuentos" not in html  # REA: no employer deducts


def test_a_paid_off_payroll_credit_is_told_to_stop_the_employers_deductions(client):
    user, credit = borrower(months=1, amount_granted=Decimal("20000.00"), term_months=24, regime=Regime.ROA)
    payments_post([PaymentIn(credit.pk, "todo", Decimal("20062.50"), date(2025, 4, 20))])
    sign_in(client, user)

    html = page(client, "credits:how_to_pay")

    assert "Después de liquidar tu crédito" in html and "Aviso de Suspensión de Descuentos" in html
    assert "saldo a favor</strong> de" not in html  # paid exactly what was owed


def test_a_vsm_credit_shows_its_balance_in_vsm(client):
    user, _ = borrower(months=1, vsm=True, origination=date(2025, 3, 14), amount_granted=Decimal("400000.00"))
    sign_in(client, user)

    html = page(client, "credits:balance")

    unit = (Decimal("400000.00") / Decimal("180.0000")).quantize(Decimal("0.0001"))  # no January since
    assert "Saldo en veces salario mínimo (VSM)" in html
    assert "2,222.22 pesos" in html and f"{unit:,.2f}" == "2,222.22"


def test_how_to_pay_gives_the_funds_account_and_the_borrowers_own_number(client, signed_in):
    html = page(client, "credits:how_to_pay")

    assert validate_clabe(FUND_CLABE) == FUND_CLABE == "021180550300050811"
    assert FUND_CLABE in html and f"<dd>{FUND_REFERENCE}</dd>" in html and "HSBC" in html
    assert f"<dd>{signed_in.numero_credito} (tu número de crédito" in html
    assert format_pesos(STORE_MINIMUM) in html and "no te cobran comisión" in html
    assert "último día de ese mes" in html
    assert "tarjeta" not in html


def test_how_to_pay_for_a_payroll_borrower_explains_the_employer_and_what_to_do_when_it_stops(client):
    user, _ = borrower(months=1)
    Credit.objects.filter(worker=user.worker).update(regime=Regime.ROA)
    sign_in(client, user)

    html = page(client, "credits:how_to_pay")

    assert "día 17 del mes siguiente al bimestre" in html
    assert "Aviso de Retención" in html and "mensualidades atrasadas" in html


def test_the_monthly_statement_and_its_pdf_show_the_same_figures(client, signed_in):
    months = page(client, "credits:statements")
    assert 'href="/mi-credito/estado-de-cuenta/2025-04/"' in months and "Abril de 2025" in months
    assert "<summary>2025</summary>" in months
    assert "2025-05" not in months  # the current month has not ended

    html = page(client, "credits:statement", "2025-04")

    for figure in (GRANTED, MENSUALIDAD, INTEREST, INSURANCE, CAPITAL_DUE, APRIL_CLOSING):
        assert format_pesos(figure) in html
    # The mensualidad is the sum of its parts, with one capital figure, its due date and the month's payment.
    parts = html[html.index("Tu mensualidad de abril de 2025") : html.index("Cifras del mes")]
    row = '<th scope="row">{}</th><td data-label="Importe" class="num">{}</td>'
    assert row.format("Capital: lo que baja tu deuda", format_pesos(CAPITAL_DUE)) in parts
    assert row.format("+ Intereses del mes", format_pesos(INTEREST)) in parts
    assert row.format("+ Seguros y cargos", format_pesos(INSURANCE)) in parts
    assert row.format("= Mensualidad a pagar", f"<strong>{format_pesos(Decimal('1713.09'))}</strong>") in parts
    assert "Fecha límite de pago: <strong>30/04/2025</strong>" in parts
    assert html.count("Capital") == 1 and "a capital" not in html
    assert "20/04/2025: $1,713.09 · Pago directo" in html
    assert "Actualización" not in html
    stored = Statement.objects.get(credit=signed_in, period=date(2025, 4, 1))
    assert stored.closing_balance == APRIL_CLOSING

    response = client.get(reverse("credits:statement_pdf", args=["2025-04"]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert f"Saldo final {format_pesos(APRIL_CLOSING)}" in text
    assert f"Capital: lo que baja tu deuda {format_pesos(CAPITAL_DUE)}" in text
    assert f"= Mensualidad a pagar {format_pesos(MENSUALIDAD)}" in text and "Fecha límite de pago: 30/04/2025" in text
    assert signed_in.numero_credito in text and signed_in.worker.nss not in text


def test_a_statement_links_the_months_before_and_after_it(client, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2025, 7, 10))
    user, _ = borrower(months=4)
    sign_in(client, user)

    first, middle, last = (page(client, "credits:statement", p) for p in ("2025-04", "2025-05", "2025-06"))

    assert '<nav class="actions pages" aria-label="Otros meses">' in middle
    assert 'href="/mi-credito/estado-de-cuenta/2025-04/">← Abril de 2025</a>' in middle
    assert 'href="/mi-credito/estado-de-cuenta/2025-06/">Junio de 2025 →</a>' in middle
    assert "← " not in first and "Mayo de 2025 →" in first  # nothing before the first statement
    assert "← Mayo de 2025" in last and " →</a>" not in last  # July has not ended


def test_two_payroll_deductions_in_one_month_are_listed_and_explained(client):
    user, credit = borrower(months=1, paid=0, regime=Regime.ROA)
    payments_post(
        [
            PaymentIn(credit.pk, "sua:1", Decimal("850.00"), date(2025, 4, 17), source=PaymentSource.NOMINA),
            PaymentIn(credit.pk, "sua:2", Decimal("863.09"), date(2025, 4, 28), source=PaymentSource.NOMINA),
        ]
    )
    sign_in(client, user)

    html = page(client, "credits:statement", "2025-04")

    assert "17/04/2025: $850.00 · Descuento de nómina" in html and "28/04/2025: $863.09 · Descuento de nómina" in html
    assert "Este mes llegaron <strong>2 descuentos de nómina</strong>" in html
    assert "un mes puede traer dos descuentos y otro ninguno" in html
    assert f'− Pagos recibidos</th><td data-label="Importe" class="num">{format_pesos(Decimal("1713.09"))}' in html


def test_one_employer_payment_of_two_months_deductions_is_explained(client):
    user, credit = borrower(months=2, paid=0, regime=Regime.ROA)
    # The bimestre March–April handed in on 17/04: two mensualidades' worth in one payment.
    payments_post([PaymentIn(credit.pk, "sua", 2 * MENSUALIDAD, date(2025, 4, 17), source=PaymentSource.NOMINA)])
    sign_in(client, user)

    html = page(client, "credits:statement", "2025-04")

    assert (
        f"El pago de tu patrón de {format_pesos(Decimal('3426.18'))} trae <strong>los descuentos de nómina de dos meses"
        in html
    )


def test_one_deduction_needs_no_explanation(client, signed_in):
    html = page(client, "credits:statement", "2025-04")
    assert "descuentos de nómina</strong>" not in html and "descuentos de nómina de dos meses" not in html


def test_a_paid_off_credit_gets_no_more_all_zero_statements(client, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2025, 10, 6))
    user, credit = borrower(months=1, amount_granted=Decimal("20000.00"), term_months=24)
    payments_post([PaymentIn(credit.pk, "todo", Decimal("20062.50"), date(2025, 4, 20))])
    sign_in(client, user)

    months = page(client, "credits:statements")
    assert "2025-04" in months and all(f"2025-{m:02d}" not in months for m in range(5, 10))
    assert client.get(reverse("credits:statement", args=["2025-06"])).status_code == 404

    # An employer that kept deducting: the month that money arrived in has its statement (a saldo a favor).
    payments_post([PaymentIn(credit.pk, "tarde", Decimal("500.00"), date(2025, 7, 17), source=PaymentSource.NOMINA)])
    months = page(client, "credits:statements")
    assert "2025-07" in months and "2025-06" not in months and "2025-08" not in months
    html = page(client, "credits:statement", "2025-07")
    assert f'Saldo a favor</th><td data-label="Importe" class="num">{format_pesos(Decimal("500.00"))}' in html
    assert "Tu mensualidad de" not in html  # nothing fell due


def _last_by_hand(principal: Decimal, rate: Decimal, months: int) -> tuple[Decimal, Decimal]:
    """The level payment (the annuity formula in floating point, then rounded) and the last month's capital and
    interest (each month's interest rounded half-up to centavos, the payment less it to capital), by hand."""
    r = float(rate) / 12
    level = Decimal(str(float(principal) * r / (1 - (1 + r) ** -months))).quantize(CENT, ROUND_HALF_UP)
    capital = principal
    for _ in range(months - 1):
        capital -= level - (capital * rate / 12).quantize(CENT, ROUND_HALF_UP)
    return level, capital + (capital * rate / 12).quantize(CENT, ROUND_HALF_UP)


def test_the_last_instalment_differs_from_the_level_payment_by_its_rounding():
    level, last = _last_by_hand(Decimal("1612263.25"), Decimal("0.1139"), 323)
    assert (level, last, last - level) == (Decimal("16062.75"), Decimal("16071.58"), Decimal("8.83"))


def test_the_statement_of_the_last_month_says_it_differs(client, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2026, 4, 10))
    granted, rate = Decimal("20000.37"), Decimal("0.1139")
    user, credit = borrower(months=1, paid=0, amount_granted=granted, annual_rate=rate, term_months=12)
    for k in range(12):  # each mensualidad paid in full on the 20th of its month
        month = schedule.add_months(date(2025, 4, 1), k)
        accrue(month=month, credit_ids=[credit.pk])
        due = Instalment.objects.get(credit=credit, period=month)
        payments_post([PaymentIn(credit.pk, f"m{k}", due.amount, month.replace(day=20))])
    sign_in(client, user)
    level, last = _last_by_hand(granted, rate, 12)  # 1,771.31 a month; the last 1,771.26
    assert last != level

    html = page(client, "credits:statement", "2026-03")
    earlier = page(client, "credits:statement", "2026-02")

    more = "más" if last > level else "menos"
    assert (
        f"Es tu última mensualidad: su capital e intereses suman {format_pesos(last)}, "
        f"{format_pesos(abs(last - level))} {more} que los {format_pesos(level)} de cada mes." in html
    )
    assert "Es tu última mensualidad" not in earlier


@pytest.mark.parametrize("periodo", ["2025-13", "2025-03", "2025-05", "abril", "2025-4", "0000-01", "2025-00"])
def test_a_month_without_a_statement_is_a_friendly_404(client, signed_in, periodo):
    for name in ("credits:statement", "credits:statement_pdf"):
        response = client.get(reverse(name, args=[periodo]))
        assert response.status_code == 404
        assert "No hay estado de cuenta de ese mes" in response.content.decode()


def test_the_history_pages_newest_first_with_the_running_balance(client):
    user, _ = borrower(months=20)
    sign_in(client, user)

    first = page(client, "credits:history")
    second = page(client, "credits:history", pagina="2")

    # 1 origination + 20 months' interest and seguro + 19 payments = 40 movements: 25 and 15.
    assert "40 movimientos en total" in first and "Página 1 de 2" in first
    assert first.index("Intereses y seguro de noviembre de 2026") < first.index("Intereses y seguro de octubre de 2026")
    assert "Otorgamiento del crédito" not in first
    assert "Otorgamiento del crédito" in second


def test_the_history_of_a_short_credit_reads_as_the_ledger(client, signed_in):
    html = page(client, "credits:history")
    assert "Pago directo (depósito en ventanilla bancaria)" in html
    for balance in (GRANTED, GRANTED + INTEREST + INSURANCE, APRIL_CLOSING, BALANCE):
        assert format_pesos(balance) in html


def test_the_history_csv_adds_up_and_the_pdf_ends_at_the_same_balance(client):
    user, _ = borrower(months=8)
    sign_in(client, user)

    response = client.get(reverse("credits:history_csv"))
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(content.lstrip("\ufeff"))))
    charges = sum(Decimal(r["cargo"]) for r in rows)
    payments = sum(Decimal(r["pago"]) for r in rows)
    assert len(rows) == 1 + 8 + 7
    assert charges - payments == Decimal(rows[-1]["saldo"])
    for before, row in pairwise(rows):
        assert Decimal(before["saldo"]) + Decimal(row["cargo"]) - Decimal(row["pago"]) == Decimal(row["saldo"])

    pdf = client.get(reverse("credits:history_pdf"))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert format_pesos(Decimal(rows[-1]["saldo"])) in text and "Estado de cuenta histórico" in text


def test_the_simulator_shows_months_and_interest_saved(client, signed_in):
    html = page(client, "credits:balance", una_vez="50000", cada_mes="500")

    effect = schedule.extra_payment_effect(
        capital=GRANTED - CAPITAL_DUE,
        annual_rate=Decimal("0.0350"),
        payment=Decimal("1637.14"),
        remaining_months=358,
        extra_once=Decimal("50000"),
        extra_monthly=Decimal("500"),
    )
    assert effect.months_saved > 100
    assert f"{effect.months_saved} meses antes" in html
    assert format_pesos(effect.interest_saved) in html


@pytest.mark.parametrize(
    ("written", "plain"),
    [("1,000.50", "1000.50"), ("$1,000", "1000"), ("$ 12,500.00", "12500"), (" 1000.5 ", "1000.50")],
)
def test_the_simulator_reads_amounts_as_the_site_writes_them(client, signed_in, written, plain):
    html = page(client, "credits:balance", una_vez=written)
    assert 'aria-invalid="true"' not in html
    assert f"Con un pago extra de <strong>{format_pesos(Decimal(plain))}</strong>" in html


def test_less_than_a_month_saved_reads_as_such(client, signed_in):
    effect = schedule.extra_payment_effect(
        capital=GRANTED - CAPITAL_DUE,
        annual_rate=Decimal("0.0350"),
        payment=Decimal("1637.14"),
        remaining_months=358,
        extra_once=Decimal("1"),
        extra_monthly=Decimal("0"),
    )
    assert effect.months_saved == 0  # one peso does not shorten the credit by a whole month

    html = page(client, "credits:balance", una_vez="1")

    assert "menos de un mes antes" in html and "0 meses antes" not in html


@pytest.mark.parametrize(
    ("params", "error"),
    [
        (
            {"una_vez": "mucho"},
            "Escribe una cantidad en pesos con cifras del 0 al 9, por ejemplo 5000, 5,000.50 o $5,000.",
        ),
        ({"una_vez": "\u0661\u0660\u0660\u0660"}, "con cifras del 0 al 9"),  # Arabic-Indic 1000
        ({"una_vez": "\uff11\uff10\uff10\uff10"}, "con cifras del 0 al 9"),  # full-width 1000
        ({"cada_mes": "\u0969\u0966\u0966"}, "con cifras del 0 al 9"),  # Devanagari 300
        ({"una_vez": "1,00"}, "con cifras del 0 al 9"),  # not a thousands group
        ({"una_vez": "1.000,50"}, "con cifras del 0 al 9"),
        ({"cada_mes": "-100"}, "Escribe una cantidad mayor que cero."),
        ({"una_vez": "10.555"}, "Escribe como máximo dos decimales (centavos)."),
        ({"simular": "1"}, "Escribe cuánto pagarías de más: una vez, cada mes o ambas."),
        ({"una_vez": "400000"}, "cubrirías todo tu capital"),
    ],
)
def test_the_simulator_explains_bad_amounts_beside_the_field(client, signed_in, params, error):
    html = page(client, "credits:balance", **params)
    assert error in html
    assert 'aria-invalid="true"' in html and "meses antes" not in html


def test_several_credits_the_newest_first_and_another_of_ones_own_by_number(client):
    user, older = borrower(months=1, origination=date(2020, 3, 14))
    newer = originate(CreditFactory.create(worker=user.worker, origination_date=date(2025, 3, 14)))
    _, stranger = borrower(months=1)
    sign_in(client, user)

    assert f"<dd>{newer.numero_credito}</dd>" in page(client, "credits:balance")
    chosen = page(client, "credits:balance", credito=older.numero_credito)
    assert f"<dd>{older.numero_credito}</dd>" in chosen and "Tienes 2 créditos" in chosen
    assert f'href="/mi-credito/historico/?credito={older.numero_credito}"' in chosen
    for name in ("credits:balance", "credits:how_to_pay", "credits:statements", "credits:history"):
        assert client.get(reverse(name), {"credito": stranger.numero_credito}).status_code == 404
    assert client.get(reverse("credits:history_csv"), {"credito": stranger.numero_credito}).status_code == 404
    statement = reverse("credits:statement", args=["2025-04"])
    assert client.get(statement, {"credito": stranger.numero_credito}).status_code == 404
    assert client.get(reverse("credits:balance"), {"credito": older.numero_credito + "\x00"}).status_code == 400


def test_a_worker_without_a_credit_is_pointed_to_precalificacion(client):
    sign_in(client, UserFactory.create(worker=WorkerFactory.create()))

    html = page(client, "credits:balance")

    assert "no tienes un crédito" in html and "precalificación" in html
    assert client.get(reverse("credits:statement", args=["2025-04"])).status_code == 404


@pytest.mark.parametrize(
    ("first_contribution", "law_text"),
    [
        (date(1985, 2, 1), "recibes todo en un solo pago"),
        (date(1999, 2, 1), "pasa a tu Afore para pagar tu pensión"),
    ],
)
def test_a_pensioner_without_a_credit_is_told_the_savings_can_be_returned(client, first_contribution, law_text):
    worker = WorkerFactory.create(
        status=WorkerStatus.PENSIONADO, fecha_nacimiento=date(1958, 3, 9), first_contribution_on=first_contribution
    )
    sign_in(client, UserFactory.create(worker=worker))

    html = page(client, "credits:balance")

    assert "Pide la devolución de tu ahorro de vivienda" in html and law_text in html
    assert "resolución de pensión" in html and "e.firma" in html and "CLABE" in html
    assert "precalificación" not in html and "precalificar" not in html


def test_pages_answer_get_only(client, signed_in):
    assert client.post(reverse("credits:balance")).status_code == 405


@pytest.mark.parametrize("numero", ["abc", "12345", "1234567890123", "١٢٣٤٥٦٧٨٩٠"])
def test_a_credit_number_that_is_not_one_is_a_404(client, signed_in, numero):
    for name in ("credits:balance", "credits:history", "credits:history_csv"):
        assert client.get(reverse(name), {"credito": numero}).status_code == 404


def test_the_history_pdf_of_a_credit_without_movements_says_so(client):
    credit = CreditFactory.create(origination_date=date(2025, 3, 14), regime=Regime.REA)  # not yet in the ledger
    sign_in(client, UserFactory.create(worker=credit.worker))

    response = client.get(reverse("credits:history_pdf"))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "todavía no tiene movimientos" in text


def test_a_credit_en_prorroga_has_no_payment_falling_due(client):
    user, credit = borrower(months=2, paid=2)
    Credit.objects.filter(pk=credit.pk).update(status=CreditStatus.PRORROGA)
    sign_in(client, user)

    html = page(client, "credits:balance")

    assert "En prórroga: por ahora no tienes que hacer pagos." in html
    assert "<dd>Sin pagos pendientes</dd>" in html and "<h3>Pago de mi mensualidad</h3>" not in html


def test_a_vsm_credit_whose_january_factor_is_not_loaded_keeps_last_years_value(client):
    user, _ = borrower(months=12, vsm=True, origination=date(2024, 3, 14), amount_granted=Decimal("400000.00"))
    UnitUpdate.objects.filter(year=2025).delete()  # the Instituto has not published 2025's update yet
    sign_in(client, user)

    html = page(client, "credits:balance")

    assert "aún no publica la actualización de 2025" in html and "usan el valor de 2024" in html
    assert "2,222.22 pesos" in html  # the value of 2024: no January applied since the credit was granted


def test_a_paid_off_vsm_credit_needs_no_factor(client):
    user, credit = borrower(months=1, vsm=True, origination=date(2024, 3, 14), amount_granted=Decimal("20000.00"))
    payments_post([PaymentIn(credit.pk, "todo", Decimal("25000.00"), date(2024, 4, 20))])
    UnitUpdate.objects.filter(year=2025).delete()
    sign_in(client, user)

    html = page(client, "credits:balance")

    assert "Liquidado: ya lo pagaste por completo." in html


def test_a_payment_that_reaches_a_stated_month_renews_its_statement(client, signed_in):
    before = page(client, "credits:statement", "2025-04")
    assert format_pesos(APRIL_CLOSING) in before and Statement.objects.filter(credit=signed_in).count() == 1

    # The bank's file of the next day brings a deposit of 30/04/2025: April's statement must show it.
    payments_post([PaymentIn(signed_in.pk, "tardio", Decimal("1000.00"), date(2025, 4, 30))])
    after = page(client, "credits:statement", "2025-04")

    assert format_pesos(APRIL_CLOSING - Decimal("1000.00")) in after
    assert format_pesos(MENSUALIDAD + Decimal("1000.00")) in after  # the month's payments
    assert Statement.objects.get(credit=signed_in, period=date(2025, 4, 1)).closing_balance == APRIL_CLOSING - 1000


def test_a_statement_stored_before_its_months_accrual_is_renewed_by_the_accrual(client):
    credit = originate(CreditFactory.create(origination_date=date(2025, 3, 14), regime=Regime.REA))
    sign_in(client, UserFactory.create(worker=credit.worker))
    assert "<strong>$364,582.34</strong>" in page(client, "credits:statement", "2025-04")  # no mensualidad yet

    accrue(month=date(2025, 4, 1), credit_ids=[credit.pk])
    html = page(client, "credits:statement", "2025-04")

    assert format_pesos(MENSUALIDAD) in html and format_pesos(GRANTED + INTEREST + INSURANCE) in html


# --- queries ---------------------------------------------------------------------------------------------------

# Each count includes the session, the account and its worker, as on every signed-in page of a worker, and the
# worker's credits (with their accounts).
BASE = 4
QUERIES = {
    # the open mensualidades, the charge rates (an effective-dated rule), the credit's state for the months not yet
    # issued up to today, how many were issued; the ledger's postings and the payments for the history chart. (A
    # credit with months up to today that the accrual has not issued yet takes one query more, whatever their number.)
    "credits:balance": BASE + 6,
    "credits:how_to_pay": BASE,
    "credits:statements": BASE,
    # the stored statement; as it is missing, in a savepoint (SAVEPOINT … RELEASE): the credit's row lock and the
    # stored statement again (the batch may have stored it meanwhile), the month's figures (balances before and
    # after, mensualidad, payments) and the INSERT; the month's mensualidad (its due date) and its payments (listed)
    "credits:statement": BASE + 12,
    "credits:statement_pdf": BASE + 12,
    # the ledger's postings and the payments
    "credits:history": BASE + 2,
    "credits:history_csv": BASE + 2,
    "credits:history_pdf": BASE + 2,
}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_credit_pages_run_the_same_queries_for_a_short_or_a_long_history(client, name):
    # Both issued up to May 2025, the month of TODAY: 3 mensualidades, or 30 since December 2022.
    short, _ = borrower(months=3, origination=date(2025, 2, 14))
    long, _ = borrower(months=30, origination=date(2022, 11, 14))
    args = ["2025-04"] if name in ("credits:statement", "credits:statement_pdf") else []
    params = {"una_vez": "1000"} if name == "credits:balance" else {}
    counted = []
    for user in (short, long):
        sign_in(client, user)
        counted.append(count_queries(client, reverse(name, args=args), **params))
    assert counted == [QUERIES[name]] * 2
