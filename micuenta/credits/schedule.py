"""The arithmetic of a credit, pure and exact (Decimal): the annuity, a month's interest, the mensualidad of a month,
the amortization schedule, and what an extra payment saves. No database here; the servicing engine and the pages
call these, and the tests check them against independent figures (docs/sources.md#mensualidad).

Rounding, documented once (docs/credits.md):
- the monthly payment (capital + interest) of a credit in pesos is the French annuity rounded half-up to centavos;
- a month's interest is the capital at the start of the month × annual rate / 12, rounded half-up to centavos;
- the capital of a mensualidad is the payment minus that interest; the last one is all the capital left, so the
  schedule ends at exactly 0.00;
- a credit in VSM keeps its payment in VSM (not rounded); in pesos it is that × the month's VSM value, rounded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

from micuenta.core.money import money

ZERO = Decimal("0.00")
TWELVE = Decimal(12)
UNIT_PLACES = Decimal("0.0001")


def monthly_rate(annual_rate: Decimal) -> Decimal:
    return annual_rate / TWELVE


def annuity_exact(principal: Decimal, annual_rate: Decimal, months: int) -> Decimal:
    """The level payment that repays `principal` in `months` at `annual_rate` / 12 a month, unrounded."""
    if months <= 0:
        raise ValueError("the term must be at least one month")
    with localcontext() as ctx:
        ctx.prec = 40
        r = monthly_rate(annual_rate)
        if r == 0:
            return principal / months
        return principal * r / (1 - (1 + r) ** -months)


def annuity(principal: Decimal, annual_rate: Decimal, months: int) -> Decimal:
    """The level monthly payment in pesos, rounded half-up to centavos: 364,582.34 at 3.5 % for 360 → 1,637.14."""
    return money(annuity_exact(principal, annual_rate, months))


def month_interest(capital: Decimal, annual_rate: Decimal) -> Decimal:
    """A month's interest: capital × annual rate / 12, rounded half-up to centavos."""
    if capital <= 0:
        return ZERO
    return money(capital * annual_rate / TWELVE)


def capital_due(*, capital_not_due: Decimal, payment: Decimal, interest: Decimal, number: int, term: int) -> Decimal:
    """The capital of mensualidad `number`: the payment less its interest, never more than what is left to fall
    due; the last mensualidad of the term takes all of it (it absorbs the rounding). After the term, nothing new
    falls due: the capital left is already due."""
    if capital_not_due <= 0:
        return ZERO
    if number >= term:
        return capital_not_due
    return min(capital_not_due, max(ZERO, payment - interest))


MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{2})")


def month_from_text(value: str) -> date | None:
    """The first day of the month written as AAAA-MM (year 0001 or later), or None when it is not one."""
    match = MONTH_RE.fullmatch(value)
    if match is None or int(match[1]) < 1 or not 1 <= int(match[2]) <= 12:
        return None
    return date(int(match[1]), int(match[2]), 1)


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> int:
    """How many month starts from the month of `start` to the month of `end`."""
    return (end.year - start.year) * 12 + end.month - start.month


@dataclass(frozen=True)
class ScheduleRow:
    number: int
    opening: Decimal
    interest: Decimal
    capital: Decimal
    payment: Decimal
    closing: Decimal


def schedule(
    principal: Decimal,
    annual_rate: Decimal,
    months: int,
    *,
    extra_monthly: Decimal = ZERO,
    payment: Decimal | None = None,
) -> Iterator[ScheduleRow]:
    """The amortization schedule of a credit in pesos paid on time, with `extra_monthly` more capital each month
    (the employer's 5 % of a ROA borrower, or a voluntary extra). Ends when the capital reaches exactly 0.00."""
    level = annuity(principal, annual_rate, months) if payment is None else payment
    capital = money(principal)
    number = 0
    while capital > 0:
        number += 1
        interest = month_interest(capital, annual_rate)
        due = capital_due(capital_not_due=capital, payment=level, interest=interest, number=number, term=months)
        extra = min(extra_monthly, capital - due)
        closing = capital - due - extra
        yield ScheduleRow(number, capital, interest, due + extra, interest + due + extra, closing)
        capital = closing


@dataclass(frozen=True)
class ExtraPaymentEffect:
    months_before: int
    months_after: int
    interest_before: Decimal
    interest_after: Decimal

    @property
    def months_saved(self) -> int:
        return self.months_before - self.months_after

    @property
    def interest_saved(self) -> Decimal:
        return self.interest_before - self.interest_after


def extra_payment_effect(
    *,
    capital: Decimal,
    annual_rate: Decimal,
    payment: Decimal,
    remaining_months: int,
    extra_once: Decimal = ZERO,
    extra_monthly: Decimal = ZERO,
) -> ExtraPaymentEffect:
    """What paying `extra_once` to capital today, and/or `extra_monthly` more each month, does to the months left
    and to the interest still to pay, with the same mensualidad (extra payments shorten the term)."""
    term = max(1, remaining_months)

    def run(start: Decimal, monthly: Decimal) -> tuple[int, Decimal]:
        rows = list(schedule(start, annual_rate, term, extra_monthly=monthly, payment=payment)) if start > 0 else []
        return len(rows), sum((row.interest for row in rows), ZERO)

    before = run(money(capital), ZERO)
    after = run(max(ZERO, money(capital) - money(extra_once)), money(extra_monthly))
    return ExtraPaymentEffect(before[0], after[0], before[1], after[1])


def vsm_unit_value(origination_value: Decimal, factors: list[Decimal]) -> Decimal:
    """The monthly value in pesos of one VSM of a credit: its value at origination grown by each January's factor
    since, to four places."""
    value = origination_value
    for factor in factors:
        value = value * (1 + factor)
    return value.quantize(UNIT_PLACES, ROUND_HALF_UP)
