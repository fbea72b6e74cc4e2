"""Rendimientos: daily accrual on the balance, credited yearly or monthly from the rate table, idempotent."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from micuenta.ledger.models import Transaction
from micuenta.ledger.selectors import ledger_mismatches
from micuenta.savings.models import Pocket, SubaccountPocket, YieldRate
from micuenta.savings.tests.factories import ContributionFactory
from micuenta.savings.yields import accrued_yield


def test_a_whole_year_on_a_constant_balance_earns_the_annual_rate():
    amount = accrued_yield(
        opening=Decimal("10000.00"),
        changes=[],
        start=date(2022, 1, 1),
        end=date(2022, 12, 31),
        annual_rate=Decimal("0.0782"),
    )
    assert amount == Decimal("782.00")


def test_a_deposit_earns_from_its_own_day():
    # 1,000.00 deposited on 2 December 2022 earns 30 days: 1,000 × 7.82 % × 30 / 365 = 6.4274 → 6.43.
    amount = accrued_yield(
        opening=Decimal("0"),
        changes=[(date(2022, 12, 2), Decimal("1000.00"))],
        start=date(2022, 1, 1),
        end=date(2022, 12, 31),
        annual_rate=Decimal("0.0782"),
    )
    assert amount == Decimal("6.43")


def test_a_leap_year_divides_by_366():
    amount = accrued_yield(
        opening=Decimal("36600.00"),
        changes=[],
        start=date(2024, 2, 1),
        end=date(2024, 2, 29),
        annual_rate=Decimal("0.10"),
    )
    assert amount == Decimal("290.00")  # 36,600 × 10 % × 29 / 366


def post(year: int) -> str:
    out = io.StringIO()
    call_command("post_yields", "--year", str(year), "--no-progress", stdout=out)
    return out.getvalue()


def pocket(worker, which=Pocket.VIVIENDA_97):
    return SubaccountPocket.objects.select_related("account").get(subaccount__worker=worker, pocket=which).account


@pytest.mark.django_db
def test_post_yields_credits_each_earning_pocket_once(settings):
    settings.MICUENTA_YIELD_CREDITING = "anual"
    contribution = ContributionFactory.create(
        year=2022, bimestre=1, amount=Decimal("1475.00"), paid_on=date(2022, 3, 17)
    )

    output = post(2022)

    # 1,475.00 from 17 March to 31 December 2022: 290 days × 7.82 % / 365.
    expected = (Decimal("1475.00") * Decimal("0.0782") * 290 / 365).quantize(Decimal("0.01"))
    assert expected == Decimal("91.64")
    assert pocket(contribution.worker).natural_balance == Decimal("1475.00") + expected
    txn = Transaction.objects.get(kind="rendimiento")
    assert (txn.effective_date, txn.description) == (date(2022, 12, 31), "Rendimientos de 2022")
    assert "1 abonos nuevos por $91.64" in output
    assert pocket(contribution.worker, Pocket.FONDO_72_92).natural_balance == Decimal("0.00")

    again = post(2022)

    assert "0 abonos nuevos por $0.00, 1 ya abonados antes" in again
    assert Transaction.objects.filter(kind="rendimiento").count() == 1
    assert ledger_mismatches() == []


@pytest.mark.django_db
def test_the_fondo_72_92_earns_no_yield(settings):
    settings.MICUENTA_YIELD_CREDITING = "anual"
    contribution = ContributionFactory.create(
        year=1990, bimestre=3, amount=Decimal("100.00"), paid_on=date(1990, 7, 17), pocket=Pocket.FONDO_72_92
    )

    post(2022)

    assert pocket(contribution.worker, Pocket.FONDO_72_92).natural_balance == Decimal("100.00")
    assert not Transaction.objects.filter(kind="rendimiento").exists()


@pytest.mark.django_db
def test_monthly_crediting_posts_each_month_and_compounds(settings):
    settings.MICUENTA_YIELD_CREDITING = "mensual"
    contribution = ContributionFactory.create(
        year=2021, bimestre=6, amount=Decimal("12000.00"), paid_on=date(2021, 12, 31)
    )

    post(2022)

    postings = list(Transaction.objects.filter(kind="rendimiento").order_by("effective_date"))
    assert len(postings) == 12
    assert postings[0].effective_date == date(2022, 1, 31)
    assert postings[0].description == "Rendimientos de enero de 2022"
    january = (Decimal("12000.00") * Decimal("0.0782") * 31 / 365).quantize(Decimal("0.01"))
    assert pocket(contribution.worker).natural_balance > Decimal("12000.00") + Decimal("938.40")  # more than simple
    assert postings[0].postings.get(amount__lt=0).amount == -january


@pytest.mark.django_db
def test_a_year_without_a_rate_is_refused_with_what_to_do(settings):
    settings.MICUENTA_YIELD_CREDITING = "anual"
    YieldRate.objects.filter(valid_from__year=2025).delete()

    with pytest.raises(CommandError, match=r"No hay tasa de rendimiento para 2025\. Captúrala en la administración"):
        post(2025)


@pytest.mark.django_db
def test_a_year_not_yet_ended_is_refused(settings):
    settings.MICUENTA_YIELD_CREDITING = "anual"

    with pytest.raises(CommandError, match="Ningún periodo de 2099 ha terminado"):
        post(2099)


@pytest.mark.django_db
def test_yields_the_population_already_credited_are_not_credited_again(settings):
    from micuenta.demo.people import demo_people_load

    settings.MICUENTA_YIELD_CREDITING = "anual"
    demo_people_load()
    before = Transaction.objects.count()

    output = post(2022)

    assert "0 abonos nuevos por $0.00" in output
    assert Transaction.objects.count() == before
    assert ledger_mismatches() == []


@pytest.mark.django_db
def test_an_unconfirmed_rate_needs_to_be_allowed(settings):
    settings.MICUENTA_YIELD_CREDITING = "anual"
    ContributionFactory.create(year=2024, bimestre=1, amount=Decimal("1000.00"), paid_on=date(2024, 3, 18))

    with pytest.raises(CommandError, match=r"La tasa de 2024 \(4\.21 %\) no está confirmada"):
        post(2024)
    assert not Transaction.objects.filter(kind="rendimiento").exists()

    out = io.StringIO()
    call_command("post_yields", "--year", "2024", "--no-progress", "--allow-unconfirmed", stdout=out)

    assert "Tasa de 2024: 4.21 % anual (sin confirmar" in out.getvalue()
    assert Transaction.objects.filter(kind="rendimiento").count() == 1


@pytest.mark.django_db
def test_a_year_credited_yearly_is_not_credited_again_monthly(settings):
    settings.MICUENTA_YIELD_CREDITING = "anual"
    contribution = ContributionFactory.create(
        year=2021, bimestre=6, amount=Decimal("12000.00"), paid_on=date(2021, 12, 31)
    )
    post(2022)
    balance = pocket(contribution.worker).natural_balance

    settings.MICUENTA_YIELD_CREDITING = "mensual"
    with pytest.raises(CommandError, match="ya se abonaron con otro modo"):
        post(2022)

    assert pocket(contribution.worker).natural_balance == balance
