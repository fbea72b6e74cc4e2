"""Missing and short employer contributions: what the IMSS relations say is owed against what the SUA paid.

For each employment relation and each bimestre it covers, the expected contribution is 5 % × SBC × days with the
SBC capped at 25 UMA (savings.contributions). A bimestre is checked once its payment deadline (day 17 of the next
month, moved to a business day) has passed and the fund holds payments for it or a later bimestre (`through`), so
a bimestre is never called unpaid before the employers' file that would carry its payment has arrived. Bimestres before
MICUENTA_CONTRIBUTION_CHECKS_FROM came as migrated balances with nothing itemised to compare. A payment short of
the expected amount by less than MICUENTA_CONTRIBUTION_TOLERANCE (rounding in the SUA) is not flagged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings

from micuenta.core.money import money
from micuenta.core.periods import bimestre_end, bimestre_label, payment_deadline
from micuenta.savings.contributions import SalarySpan, contributions_by_bimestre

Period = tuple[int, int]  # (year, bimestre)


@dataclass(frozen=True)
class RelationHistory:
    """One employment relation as the contribution check needs it: its dates and its salary changes."""

    employer_id: int
    started_on: date
    ended_on: date | None
    salaries: tuple[tuple[date, Decimal], ...]  # (effective from, daily SBC), sorted, the first on `started_on`

    def spans(self, start: date, end: date) -> list[SalarySpan]:
        """The salary spans of the relation inside `start`..`end` (one pass over its salary changes)."""
        first = max(start, self.started_on)
        last = min(end, self.ended_on) if self.ended_on is not None else end
        spans = []
        count = len(self.salaries)
        for index, (since, sbc) in enumerate(self.salaries):
            until = self.salaries[index + 1][0] - timedelta(days=1) if index + 1 < count else last
            a, b = max(first, since), min(last, until)
            if a <= b:
                spans.append(SalarySpan(a, b, sbc))
        return spans


def relation_history(
    *,
    employer_id: int,
    started_on: date,
    ended_on: date | None,
    sbc: Decimal,
    changes: Iterable[tuple[date, Decimal]],
) -> RelationHistory:
    """Build the history from the relation and its movements' salaries (alta, reingreso, modificación)."""
    salaries = sorted((day, value) for day, value in changes if value is not None and day >= started_on)
    if not salaries or salaries[0][0] > started_on:
        salaries.insert(0, (started_on, salaries[0][1] if salaries else sbc))
    return RelationHistory(employer_id, started_on, ended_on, tuple(salaries))


@dataclass(frozen=True)
class Gap:
    employer_id: int
    year: int
    bimestre: int
    days: int
    expected: Decimal
    paid: Decimal

    @property
    def owed(self) -> Decimal:
        return money(self.expected - self.paid)

    @property
    def missing(self) -> bool:
        """Nothing at all was paid (as opposed to a short payment)."""
        return self.paid == 0

    @property
    def period_label(self) -> str:
        return bimestre_label(self.year, self.bimestre)

    @property
    def deadline(self) -> date:
        return payment_deadline(self.year, self.bimestre)


def checks_from() -> date:
    return date.fromisoformat(str(settings.MICUENTA_CONTRIBUTION_CHECKS_FROM))


def tolerance() -> Decimal:
    return Decimal(str(settings.MICUENTA_CONTRIBUTION_TOLERANCE))


def expected_by_period(
    relations: Iterable[RelationHistory], *, through: Period, today: date, since: date
) -> dict[tuple[int, int, int], tuple[int, Decimal]]:
    """(employer, year, bimestre) → (days, expected amount) for every checkable bimestre of the relations."""
    last = min(bimestre_end(*through), today)
    totals: dict[tuple[int, int, int], tuple[int, Decimal]] = {}
    for relation in relations:
        end = min(relation.ended_on or last, last)
        start = max(relation.started_on, since)
        if end < start:
            continue
        for (year, bim), (days, amount) in contributions_by_bimestre(relation.spans(start, end)).items():
            key = (relation.employer_id, year, bim)
            known = totals.get(key)
            totals[key] = (days, amount) if known is None else (known[0] + days, known[1] + amount)
    deadlines: dict[tuple[int, int], bool] = {}
    checkable = {}
    for key, (days, amount) in totals.items():
        period = (key[1], key[2])
        if period not in deadlines:
            deadlines[period] = payment_deadline(*period) < today
        if deadlines[period]:
            checkable[key] = (days, money(amount))
    return checkable


def contribution_gaps(
    relations: Iterable[RelationHistory],
    paid: Mapping[tuple[int, int, int], Decimal],
    *,
    through: Period | None,
    today: date,
    since: date | None = None,
    allowed: Decimal | None = None,
) -> list[Gap]:
    """Bimestres whose contribution is missing or short, oldest first; none before any payment data exists."""
    if through is None:
        return []
    since = since or checks_from()
    allowed = tolerance() if allowed is None else allowed
    gaps = []
    checkable = expected_by_period(relations, through=through, today=today, since=since)
    for (employer_id, year, bim), (days, expected) in checkable.items():
        got = paid.get((employer_id, year, bim), Decimal("0.00"))
        shortfall = expected - got
        if shortfall > 0 and shortfall >= allowed:
            gaps.append(Gap(employer_id, year, bim, days, expected, money(got)))
    return sorted(gaps, key=lambda g: (g.year, g.bimestre, g.employer_id))
