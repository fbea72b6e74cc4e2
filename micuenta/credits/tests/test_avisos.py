"""The three discount forms of the avisos against their worked examples (derived from the avisos' own wording,
docs/documents.md) and hand computations; the minimum-wage cap."""

from __future__ import annotations

from decimal import Decimal

import pytest

from micuenta.credits.avisos import Bimester, bimester_discount, monthly_discount
from micuenta.credits.models import DiscountType

MARCH_APRIL = 61
JANUARY_FEBRUARY_2025 = 59
UMI_2024_2026 = Decimal("100.81")


def test_porcentaje_500_sdi_20_percent_61_days():
    assert bimester_discount(
        DiscountType.PORCENTAJE, Decimal("20"), Bimester(MARCH_APRIL, 61), daily_salary=Decimal("500.00")
    ) == Decimal("6100.00")


def test_cuota_fija_3000_a_month_45_of_61_days():
    # 3,000 × 2 ÷ 61 × 45 = 4,426.2295… → 4,426.23
    assert bimester_discount(DiscountType.CUOTA_FIJA, Decimal("3000.00"), Bimester(MARCH_APRIL, 45)) == Decimal(
        "4426.23"
    )


@pytest.mark.parametrize(("days", "expected"), [(59, Decimal("4480.48")), (30, Decimal("2278.21"))])
def test_factor_22_2224_times_the_umi(days, expected):
    assert monthly_discount(DiscountType.FACTOR, Decimal("22.2224"), unit_monthly=UMI_2024_2026) == Decimal("2240.24")
    assert (
        bimester_discount(
            DiscountType.FACTOR, Decimal("22.2224"), Bimester(JANUARY_FEBRUARY_2025, days), unit_monthly=UMI_2024_2026
        )
        == expected
    )


def test_a_minimum_wage_salary_has_at_most_20_percent_withheld():
    # 2025 minimum wage 278.80 a day: at most 55.76 a day; 30 % of it asked → capped; 61 days → 3,401.36
    amount = bimester_discount(
        DiscountType.PORCENTAJE,
        Decimal("30"),
        Bimester(MARCH_APRIL, 61),
        daily_salary=Decimal("278.80"),
        minimum_wage_daily=Decimal("278.80"),
    )
    assert amount == Decimal("3401.36")
    above = bimester_discount(
        DiscountType.PORCENTAJE,
        Decimal("30"),
        Bimester(MARCH_APRIL, 61),
        daily_salary=Decimal("400.00"),
        minimum_wage_daily=Decimal("278.80"),
    )
    assert above == Decimal("7320.00")


def test_days_out_of_the_bimestre_are_refused():
    with pytest.raises(ValueError):
        bimester_discount(DiscountType.CUOTA_FIJA, Decimal("3000"), Bimester(61, 62))
