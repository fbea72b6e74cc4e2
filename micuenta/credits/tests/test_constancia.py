"""The Constancia de Intereses' figures against their oracles: the worked example of RLISR art. 257 (DOMAIN's
published figures, docs/sources.md#real-interest), hand computations, and for a credit with payments
spread over the year an independent computation from the instalments, the applied payments and the INPC file."""

from __future__ import annotations

import csv
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from micuenta.credits.allocation import PaymentIn
from micuenta.credits.constancia import ConstanciaUnavailable, InterestInputs, constancia_figures, real_interest_compute
from micuenta.credits.models import Instalment, Regime
from micuenta.credits.tests.factories import CreditFactory, accrue, originate, payments_post
from micuenta.ledger.models import Posting

INPC_FILE = Path(__file__).resolve().parents[2] / "core" / "data" / "inpc_monthly.csv"


def inputs(**changes) -> InterestInputs:
    base = {
        "year": 2025,
        "first_month": 1,
        "last_month": 12,
        "month_end_balances": (Decimal("500000.00"),) * 12,
        "nominal_accrued": Decimal("45000.00"),
        "nominal_paid": Decimal("45000.00"),
        "inpc_last": Decimal("143.042"),  # December 2025
        "inpc_before_first": Decimal("137.949"),  # December 2024
        "balance_at_start": Decimal("500000.00"),
        "udi_at_start": Decimal("8.340909"),  # 31/12/2024
    }
    return InterestInputs(**{**base, **changes})


def test_the_worked_example_of_rlisr_257():
    figures = real_interest_compute(inputs())
    assert figures.inflation_adjustment == Decimal("18459.72")
    assert figures.real_interest == Decimal("26540.28")
    assert figures.proportion is None


def test_interest_below_the_inflation_adjustment_deducts_nothing():
    assert real_interest_compute(inputs(nominal_paid=Decimal("18000.00"))).real_interest == Decimal("0.00")


def test_above_750000_udis_the_proportion_of_art_254_applies():
    # By hand: 750,000 × 8.000000 = 6,000,000.00; a balance of 7,500,000.00 → proportion 0.800000.
    # Adjustment 7,500,000 × (143.042 / 137.949 − 1) = 276,895.81; real (600,000 − 276,895.81) × 0.8 = 258,483.35.
    figures = real_interest_compute(
        inputs(
            month_end_balances=(Decimal("7500000.00"),) * 12,
            nominal_paid=Decimal("600000.00"),
            balance_at_start=Decimal("7500000.00"),
            udi_at_start=Decimal("8.000000"),
        )
    )
    assert figures.limit_pesos == Decimal("6000000.00")
    assert figures.proportion == Decimal("0.800000")
    assert figures.inflation_adjustment == Decimal("276895.81")
    assert figures.real_interest == Decimal("258483.35")


def inpc_from_file(year: int, month: int) -> Fraction:
    with INPC_FILE.open() as rows:
        for row in csv.DictReader(rows):
            if (int(row["year"]), int(row["month"])) == (year, month):
                return Fraction(row["inpc"])
    raise LookupError((year, month))


def cents(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.mark.django_db
def test_a_credit_with_payments_spread_over_the_year_matches_an_independent_computation():
    credit = originate(CreditFactory.create(origination_date=date(2024, 10, 14), regime=Regime.REA))
    accrue(month=date(2025, 12, 1), credit_ids=[credit.pk])
    paid_months = [(2024, 11), (2024, 12), (2025, 1), (2025, 2), (2025, 3), (2025, 5), (2025, 8), (2025, 9), (2025, 12)]
    planned = payments_post(
        [PaymentIn(credit.pk, f"c:{credit.pk}:{y}-{m}", Decimal("2500.00"), date(y, m, 20)) for y, m in paid_months]
    )
    credit.refresh_from_db()

    figures = constancia_figures(credit, 2025)

    # Independently: the interest issued for 2025's months, the interest part of the payments dated in 2025,
    # the capital at each month's end as the sum of its postings up to that day, the INPC from the data file.
    accrued = sum(i.interest for i in Instalment.objects.filter(credit=credit, period__year=2025))
    paid = sum(p.to_interest for p in planned if p.payment.paid_on.year == 2025)
    ends = [date(2025, m, 28 if m == 2 else 30 if m in (4, 6, 9, 11) else 31) for m in range(1, 13)]
    balances = [
        sum(
            Posting.objects.filter(account_id=credit.account_id, transaction__effective_date__lte=end).values_list(
                "amount", flat=True
            )
        )
        for end in ends
    ]
    average = Fraction(sum(Fraction(str(b)) for b in balances), 12)
    factor = inpc_from_file(2025, 12) / inpc_from_file(2024, 12) - 1
    adjustment = cents(average * factor)
    real = max(Decimal("0.00"), paid - adjustment)

    assert figures.nominal_accrued == accrued > 0
    assert figures.nominal_paid == paid > 0
    assert list(figures.inputs.month_end_balances) == balances
    assert figures.inflation_adjustment == adjustment
    assert figures.real_interest == real
    opening = Posting.objects.filter(account_id=credit.account_id, transaction__effective_date__lt=date(2025, 1, 1))
    assert figures.inputs.balance_at_start == sum(opening.values_list("amount", flat=True)) > 0


@pytest.mark.django_db
def test_a_year_before_the_credit_or_without_inpc_says_why():
    credit = originate(CreditFactory.create(origination_date=date(2025, 3, 14), regime=Regime.REA))
    accrue(month=date(2025, 12, 1), credit_ids=[credit.pk])
    credit.refresh_from_db()
    with pytest.raises(ConstanciaUnavailable, match="después de 2024"):
        constancia_figures(credit, 2024)
    with pytest.raises(ConstanciaUnavailable, match="INPC"):
        constancia_figures(credit, 2026)
