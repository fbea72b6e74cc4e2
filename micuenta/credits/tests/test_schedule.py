"""The arithmetic of credits against independent figures (docs/sources.md#mensualidad)."""

from __future__ import annotations

from decimal import Decimal

from micuenta.credits import schedule


def test_annuity_of_the_published_example():
    # docs/sources.md#mensualidad: 364,582.34 at 3.5 % over 360 months → 1,637.14 (the press printed 1,637.34).
    assert schedule.annuity(Decimal("364582.34"), Decimal("0.035"), 360) == Decimal("1637.14")


def test_full_schedule_ends_at_exactly_zero_and_the_last_payment_absorbs_the_rounding():
    rows = list(schedule.schedule(Decimal("364582.34"), Decimal("0.035"), 360))

    assert len(rows) == 360
    assert rows[-1].closing == Decimal("0.00")
    assert all(row.payment == Decimal("1637.14") for row in rows[:-1])
    assert rows[-1].payment != Decimal("1637.14")
    assert abs(rows[-1].payment - Decimal("1637.14")) < Decimal("2.00")  # centavos of rounding, compounded
    assert sum(row.capital for row in rows) == Decimal("364582.34")
    # The first month: 364,582.34 × 0.035 / 12 = 1,063.365… → 1,063.37 of interest, 573.77 of capital.
    assert (rows[0].interest, rows[0].capital) == (Decimal("1063.37"), Decimal("573.77"))


def test_employer_five_percent_to_capital_shortens_the_term_to_about_250_months():
    # docs/sources.md#mensualidad: 278.80 × 30.4 × 5 % = 423.78 a month more to capital → about 250 months.
    rows = list(schedule.schedule(Decimal("364582.34"), Decimal("0.035"), 360, extra_monthly=Decimal("423.78")))

    assert 245 <= len(rows) <= 255
    assert rows[-1].closing == Decimal("0.00")


def test_extra_payment_effect_saves_months_and_interest():
    effect = schedule.extra_payment_effect(
        capital=Decimal("364582.34"),
        annual_rate=Decimal("0.035"),
        payment=Decimal("1637.14"),
        remaining_months=360,
        extra_once=Decimal("50000.00"),
    )

    assert effect.months_before == 360
    assert effect.months_after < 360
    assert effect.interest_saved > Decimal("50000.00") * Decimal("0.035")
