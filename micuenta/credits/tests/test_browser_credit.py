"""Mi crédito in a real browser, as the three demo borrowers: what each owes (or no longer owes), what is overdue,
where to pay, and a monthly statement whose PDF carries the figures of its page.

The expected figures come from the database, not from the page's selector: the balance is the sum of the credit's
capital, interest and charges accounts; what is overdue, the mensualidades due before today with something unpaid.
The mensualidades up to today are issued first (`credits_accrue`), so the page adds nothing not yet on the books.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import BrowserContext, Locator, Page, expect
from pypdf import PdfReader

from micuenta.core.money import format_pesos
from micuenta.core.tests.browser import assert_accessible, assert_no_sideways_scroll
from micuenta.credits.accrual import credit_pending
from micuenta.credits.models import Credit, CreditPayment, Instalment
from micuenta.credits.tests.factories import accrue
from micuenta.demo.accounts import DEMO_PASSWORD
from micuenta.demo.services import demo_data_load
from micuenta.ledger.models import Account
from micuenta.people.models import Worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BRUNO = "bruno.demo@micuenta.test"  # ROA, al corriente
CARLA = "carla.demo@micuenta.test"  # REA, atrasada
DIEGO = "diego.demo@micuenta.test"  # VSM, liquidado con saldo a favor
ELENA = "elena.demo@micuenta.test"  # pensionada, sin crédito
SHOTS = Path(tempfile.gettempdir()) / "credit-shots"  # screenshots for a person to look at
MONTHS = ("Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio", "Julio", "Agosto", "Septiembre", "Octubre",
          "Noviembre", "Diciembre")  # fmt: skip


@dataclass(frozen=True)
class Expected:
    """A borrower's credit as the database has it today."""

    credit: Credit
    balance: Decimal  # capital + interest + charges owed, from the ledger
    overdue: list[Instalment]

    @property
    def overdue_amount(self) -> Decimal:
        return sum(
            (
                (i.capital_due + i.interest + i.insurance + i.fees)
                - (i.paid_capital + i.paid_interest + i.paid_charges)
                for i in self.overdue
            ),
            Decimal("0.00"),
        )


def expected_for(email: str, today: date) -> Expected:
    worker = Worker.objects.get(account__email=email)
    credit = Credit.objects.get(worker=worker)
    assert credit_pending(credit, through=today) == [], "a mensualidad up to today is still to be issued"
    owed = [credit.account_id, credit.interest_account_id, credit.charges_account_id]
    balance = sum(Account.objects.filter(pk__in=[a for a in owed if a]).values_list("balance", flat=True), Decimal(0))
    overdue = [
        i
        for i in Instalment.objects.filter(credit=credit, due_date__lt=today).order_by("period")
        if i.paid_capital + i.paid_interest + i.paid_charges < i.capital_due + i.interest + i.insurance + i.fees
    ]
    return Expected(credit=credit, balance=balance, overdue=overdue)


@pytest.fixture
def demo(live_server, settings) -> str:
    """The demo data, with every mensualidad up to this month issued; the live server's URL."""
    settings.MICUENTA_DEMO = True
    demo_data_load()
    accrue(month=timezone.localdate(), allow_unconfirmed=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    return live_server.url


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}{reverse('identity:login')}")
    page.get_by_label("Correo electrónico o NSS").fill(email)
    page.get_by_label("Contraseña").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Iniciar sesión").click()
    expect(page).to_have_url(f"{base}{reverse('core:dashboard')}")


def open_balance(page: Page, base: str) -> None:
    page.get_by_role("navigation", name="Menú principal").get_by_role("link", name="Mi crédito").click()
    expect(page).to_have_url(f"{base}{reverse('credits:balance')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Saldos y movimientos")


def fact(page: Page, term: str, *, prefix: bool = False) -> Locator:
    """The <dd> after the <dt> that reads `term` (or starts with it)."""
    name = re.compile(rf"^{re.escape(term)}{'' if prefix else '$'}")
    return page.get_by_role("main").locator("dt", has_text=name).locator("xpath=following-sibling::dd[1]")


def shoot(page: Page, name: str) -> None:
    """The page at a phone's width and a desktop's, for a person to look at (not asserted)."""
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def assert_readable(page: Page) -> None:
    """axe finds nothing serious at a phone's width and a desktop's, and nothing scrolls sideways on the phone."""
    page.set_viewport_size({"width": 390, "height": 900})
    assert_accessible(page)
    assert_no_sideways_scroll(page, 390)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page)


def pdf_text(path: Path) -> str:
    return " ".join(p.extract_text() for p in PdfReader(path).pages)


def bruno_roa_al_corriente_and_a_monthly_statement_with_its_pdf(page: Page, base: str, tmp_path: Path) -> None:
    today = timezone.localdate()
    want = expected_for(BRUNO, today)
    assert want.balance > 0
    assert want.overdue == []
    this_month = Instalment.objects.get(credit=want.credit, period=today.replace(day=1))

    open_balance(page, base)
    main = page.get_by_role("main")
    expect(fact(page, "Número de crédito")).to_have_text(want.credit.numero_credito)
    expect(fact(page, "Forma de pago")).to_contain_text("Tu patrón descuenta los pagos de tu salario")
    expect(fact(page, "Forma de pago")).to_contain_text("ROA")
    expect(fact(page, "Estado")).to_contain_text("Vigente")
    expect(fact(page, "Saldo para liquidar al", prefix=True)).to_have_text(format_pesos(want.balance))
    expect(main.get_by_text(f"Saldo para liquidar al {today:%d/%m/%Y}")).to_be_visible()
    expect(fact(page, "Saldo actual")).to_have_text(format_pesos(want.balance))
    expect(fact(page, "Mensualidad")).to_have_text(format_pesos(this_month.amount))
    expect(fact(page, "Mensualidades atrasadas")).to_have_text("0")
    expect(main.get_by_text(re.compile("mensualidades? atrasadas? por"))).to_have_count(0)
    al_corriente = main.locator(".payment-options li").filter(
        has=page.get_by_role("heading", name="Pago para estar al corriente")
    )
    expect(al_corriente.locator(".pocket-amount")).to_have_text("$0.00")  # nothing overdue
    expect(al_corriente).to_contain_text("Estás al corriente")
    expect(fact(page, "Saldo a favor")).to_have_count(0)
    assert_readable(page)
    shoot(page, "bruno")

    # The last month that has ended with a payment in it: its statement, on the page and in the PDF.
    paid = (
        CreditPayment.objects.filter(credit=want.credit, paid_on__lt=today.replace(day=1)).order_by("-paid_on").first()
    )
    assert paid is not None
    month = paid.paid_on.replace(day=1)
    sub = page.get_by_role("navigation", name="Mi crédito")
    sub.get_by_role("link", name="Estado de cuenta mensual").click()
    expect(page).to_have_url(f"{base}{reverse('credits:statements')}")
    assert_accessible(page)
    year = page.locator("details.statement-year").filter(has=page.locator("summary", has_text=str(month.year)))
    if year.get_attribute("open") is None:
        year.locator("summary").click()
    year.get_by_role("link", name=f"{MONTHS[month.month - 1]} de {month.year}").click()
    periodo = f"{month:%Y-%m}"
    expect(page).to_have_url(f"{base}{reverse('credits:statement', args=[periodo])}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Estado de cuenta mensual")
    expect(main.get_by_text(want.credit.numero_credito, exact=False).first).to_be_visible()
    figures = page.get_by_role("region", name="Cifras del mes")

    def figure(label: str) -> str:
        return figures.locator("tr", has=page.locator("th", has_text=label)).locator("td").inner_text().strip()

    opening, payments, closing = figure("Saldo inicial"), figure("Pagos recibidos"), figure("Saldo final")
    assert payments != format_pesos(Decimal(0)), f"no payment shown for {periodo}"
    assert all(re.fullmatch(r"\$[\d,]+\.\d\d", f) for f in (opening, payments, closing)), (opening, payments, closing)
    parts = page.get_by_role("region", name=f"Tu mensualidad de {MONTHS[month.month - 1].lower()} de {month.year}")
    if parts.count():  # the month had a mensualidad: its parts add up to it
        cells = [Decimal(re.sub(r"[$,]", "", c)) for c in parts.locator("td").all_inner_texts()]
        assert sum(cells[:-1]) == cells[-1], cells
    assert_readable(page)
    shoot(page, "statement")

    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar PDF").click()
    assert download.value.suggested_filename == f"estado-de-cuenta-{periodo}.pdf"
    pdf_path = tmp_path / "estado.pdf"
    download.value.save_as(pdf_path)
    text = pdf_text(pdf_path)
    assert want.credit.numero_credito in text
    for label, value in (("Saldo inicial", opening), ("Pagos recibidos", payments), ("Saldo final", closing)):
        assert re.search(rf"{label}\s*{re.escape(value)}", text), f"{label} {value} not in the PDF:\n{text}"

    # The estado de cuenta histórico ends at the balance of the ledger.
    sub.get_by_role("link", name="Estado de cuenta histórico").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Estado de cuenta histórico")
    expect(main.get_by_text("Saldo después del último movimiento")).to_contain_text(format_pesos(want.balance))
    assert_accessible(page)


def carla_rea_atrasada_sees_what_is_overdue_and_where_to_pay(page: Page, base: str) -> None:
    today = timezone.localdate()
    want = expected_for(CARLA, today)
    count, amount = len(want.overdue), format_pesos(want.overdue_amount)
    assert count > 0

    open_balance(page, base)
    main = page.get_by_role("main")
    expect(fact(page, "Forma de pago")).to_contain_text("Pagas tú directamente cada mes")
    expect(fact(page, "Saldo para liquidar al", prefix=True)).to_have_text(format_pesos(want.balance))
    expect(fact(page, "Saldo actual")).to_have_text(format_pesos(want.balance))
    expect(fact(page, "Mensualidades atrasadas")).to_have_text(f"{count} ({amount})")
    # What puts her al corriente leads: the amount, today's date, the oldest due date and how to pay exactly it.
    lead = main.locator("section.arrears-box")
    expect(lead.get_by_role("heading", level=2)).to_have_text(f"Para ponerte al corriente hoy, {today:%d/%m/%Y}")
    expect(lead.locator(".total-amount")).to_have_text(amount)
    expect(lead).to_contain_text(f"la más antigua venció el {want.overdue[0].due_date:%d/%m/%Y}")
    expect(lead.locator("dt", has_text="Cantidad").locator("xpath=following-sibling::dd[1]")).to_have_text(amount)
    expect(lead.locator("dt", has_text="CLABE").locator("xpath=following-sibling::dd[1]")).to_have_text(
        "021180550300050811"
    )
    expect(lead.locator("dt", has_text="Referencia").locator("xpath=following-sibling::dd[1]")).to_have_text("5503")
    expect(lead.locator("dt", has_text="Concepto").locator("xpath=following-sibling::dd[1]")).to_contain_text(
        want.credit.numero_credito
    )
    assert main.locator(".total-amount").count() == 1  # the payoff is no longer the big figure
    option = main.locator(".payment-options li").filter(
        has=page.get_by_role("heading", name="Pago para estar al corriente")
    )
    expect(option).to_have_count(1)
    expect(option.locator(".pocket-amount")).to_have_text(amount)
    assert_readable(page)
    shoot(page, "carla")

    option.get_by_role("link", name="Cómo, cuándo y dónde pagar").click()
    expect(page).to_have_url(f"{base}{reverse('credits:how_to_pay')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cómo, cuándo y dónde pagar")
    expect(fact(page, "CLABE")).to_have_text("021180550300050811")
    expect(fact(page, "Referencia")).to_have_text("5503")
    expect(fact(page, "Concepto")).to_contain_text(want.credit.numero_credito)
    expect(main.locator("strong", has_text=want.credit.numero_credito)).to_be_visible()
    assert_accessible(page)


def diego_paid_off_sees_liquidado_and_his_saldo_a_favor(page: Page, base: str) -> None:
    today = timezone.localdate()
    want = expected_for(DIEGO, today)
    assert want.balance == 0
    assert want.credit.excess_account is not None
    excess = want.credit.excess_account.natural_balance
    assert excess > 0

    open_balance(page, base)
    main = page.get_by_role("main")
    expect(fact(page, "Estado")).to_contain_text("Liquidado")
    expect(fact(page, "Saldo para liquidar al", prefix=True)).to_have_text(format_pesos(want.balance))
    expect(fact(page, "Saldo a favor")).to_have_text(format_pesos(excess))
    expect(main.get_by_text("es tu saldo a favor")).to_contain_text(format_pesos(excess))
    expect(fact(page, "Mensualidades atrasadas")).to_have_count(0)
    expect(main.get_by_role("heading", name="¿Cuánto quieres pagar?")).to_have_count(0)
    expect(main.get_by_role("heading", name="Ya terminaste de pagar: lo que sigue")).to_be_visible()
    expect(main).to_contain_text("carta de instrucción de cancelación de hipoteca")
    expect(main.get_by_text("021180550300050811")).to_have_count(0)
    assert_readable(page)
    shoot(page, "diego")

    page.get_by_role("navigation", name="Mi crédito").get_by_role("link", name="Después de liquidar").click()
    expect(page).to_have_url(f"{base}{reverse('credits:how_to_pay')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Después de liquidar tu crédito")
    expect(main.get_by_text("021180550300050811")).to_have_count(0)
    expect(main).to_contain_text("notario")
    assert_readable(page)
    shoot(page, "diego-after")


def elena_pensioner_is_told_her_savings_can_be_returned(page: Page, base: str) -> None:
    page.get_by_role("navigation", name="Menú principal").get_by_role("link", name="Mi crédito").click()
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Pide la devolución de tu ahorro de vivienda")).to_be_visible()
    expect(main.get_by_text("precalificación")).to_have_count(0)
    assert_readable(page)
    shoot(page, "elena")


def test_the_three_demo_borrowers_read_mi_credito(
    demo: str, new_context: Callable[..., BrowserContext], tmp_path: Path
) -> None:
    """One load of the demo data; each borrower signs in through the login page in a browser context of their own."""

    def signed_in(email: str) -> Page:
        page = new_context().new_page()
        sign_in(page, demo, email)
        return page

    bruno_roa_al_corriente_and_a_monthly_statement_with_its_pdf(signed_in(BRUNO), demo, tmp_path)
    carla_rea_atrasada_sees_what_is_overdue_and_where_to_pay(signed_in(CARLA), demo)
    diego_paid_off_sees_liquidado_and_his_saldo_a_favor(signed_in(DIEGO), demo)
    elena_pensioner_is_told_her_savings_can_be_returned(signed_in(ELENA), demo)
