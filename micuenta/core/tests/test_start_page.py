"""The signed-in start page: each demo person sees their own figures, their alerts and the way on, in few queries.

Expected figures come from the database (ledger accounts, instalments), not from the selectors the page uses.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from micuenta.core.money import format_pesos
from micuenta.core.periods import long_date
from micuenta.core.start import StartAlert, StartSection, Urgency, start_page_build, start_provider_register
from micuenta.core.tests.queries import count_queries
from micuenta.credits.models import Credit
from micuenta.credits.tests.factories import accrue
from micuenta.demo.services import demo_data_load
from micuenta.identity.models import User
from micuenta.savings.models import Contribution, SubaccountPocket

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.MICUENTA_DEMO = True
    demo_data_load()


def person(name: str) -> User:
    return User.objects.select_related("worker").get(email=f"{name}.demo@micuenta.test")


def page_text(client, name: str) -> str:
    client.force_login(person(name))
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def savings_total(user: User) -> Decimal:
    # The pockets are liabilities: what the fund owes is the negative of the debit-positive balance.
    rows = SubaccountPocket.objects.filter(subaccount__worker=user.worker).select_related("account")
    return sum((row.account.natural_balance for row in rows), Decimal("0.00"))


def test_the_saver_sees_her_savings_total_with_its_date(client, demo):
    html = page_text(client, "ana")
    ana = person("ana")
    total = savings_total(ana)
    assert total > 0
    assert format_pesos(total) in html
    # The savings are as of the latest employer payment the fund has received (not today, as the credit's are).
    latest = Contribution.objects.order_by("-paid_on").values_list("paid_on", flat=True).first()
    assert latest is not None
    assert f"<dt>Información al</dt><dd>{long_date(latest)}</dd>" in html
    assert reverse("savings:balance") in html
    assert "No tienes un crédito con el Instituto." in html


def test_a_borrower_in_arrears_sees_what_is_overdue_first_with_the_way_to_pay(client, demo):
    carla = person("carla")
    credit = Credit.objects.get(worker=carla.worker)
    accrue(month=timezone.localdate(), credit_ids=[credit.pk], allow_unconfirmed=True)
    today = timezone.localdate()
    overdue = [
        i.remaining
        for i in credit.instalments.filter(
            Q(paid_charges__lt=F("insurance") + F("fees"))
            | Q(paid_interest__lt=F("interest"))
            | Q(paid_capital__lt=F("capital_due"))
        )
        if i.due_date < today
    ]
    assert overdue
    html = page_text(client, "carla")
    assert 'data-alert="pagos_vencidos"' in html
    assert f"Tienes {len(overdue)} mensualidad" in html
    assert format_pesos(sum(overdue, Decimal("0.00"))) in html
    assert reverse("credits:how_to_pay") in html
    assert "Con pagos atrasados" in html
    # The alerts come before the cards.
    assert html.index('data-alert="pagos_vencidos"') < html.index("start-cards")


def test_a_paid_off_borrower_sees_liquidado_and_what_comes_next(client, demo):
    diego = person("diego")
    credit = Credit.objects.get(worker=diego.worker)
    html = page_text(client, "diego")
    assert "Liquidado" in html
    assert "carta de cancelación de hipoteca" in html
    assert credit.paid_off_on is not None
    assert long_date(credit.paid_off_on) in html
    assert "Saldo para liquidar" not in html


def test_a_pensioner_without_credit_is_told_her_savings_can_be_returned(client, demo):
    html = page_text(client, "elena")
    assert "devolución de tu ahorro" in html
    assert "precalifica" not in html.lower()
    assert "No tienes un crédito" not in html


def test_a_roa_borrower_up_to_date_sees_the_next_payment_and_no_overdue_alert(client, demo):
    bruno = person("bruno")
    credit = Credit.objects.get(worker=bruno.worker)
    accrue(month=timezone.localdate(), credit_ids=[credit.pk], allow_unconfirmed=True)
    html = page_text(client, "bruno")
    assert "Al corriente" in html
    assert "Próximo pago" in html
    assert "pagos_vencidos" not in html
    assert "Tu patrón descuenta los pagos de tu salario." in html


@pytest.mark.parametrize("name", ["ana", "bruno", "carla", "diego", "elena"])
def test_the_start_page_reads_a_bounded_number_of_queries(client, demo, name):
    client.force_login(person(name))
    # Session and user, the savings total, its date and the missing contributions, each credit's debt: the same
    # for a credit of 20 years as for one of a month.
    assert count_queries(client, reverse("core:dashboard")) <= 14


def test_a_new_kind_of_alert_plugs_in_and_the_most_urgent_comes_first(demo):
    def waiting(user, today: date) -> StartSection:
        return StartSection(
            alerts=(StartAlert(kind="prueba", message="Un aviso.", url="/", link_text="Ver", urgency=Urgency.INFO),)
        )

    start_provider_register("prueba", waiting)
    try:
        page = start_page_build(user=person("carla"), today=timezone.localdate())
    finally:
        from micuenta.core import start

        start._providers.pop("prueba")
    kinds = [alert.kind for alert in page.alerts]
    assert "prueba" in kinds
    assert kinds.index("pagos_vencidos") < kinds.index("prueba")
