"""What an employer owes for a worker: 5 % of the SBC for each day of the relation (DOMAIN.md §3.1).

The SBC is capped at 25 UMA of the day (art. 29 fr. II Ley del Infonavit with the cap of the Ley del Seguro
Social; the 25-UMA figure is marked UNCONFIRMED in DOMAIN.md §3.1 and kept in one constant here). The UMA changes
on 1 February, so a span that crosses that day is priced in two parts. The total of a bimestre is rounded once,
half up, to the centavo.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from micuenta.core.money import money
from micuenta.core.reference import uma_on

FIVE_PERCENT = Decimal("0.05")
UMA_CAP = 25
# Before the UMA (28 January 2016) the cap was in salarios mínimos, not loaded in the reference data: no cap.
UMA_FIRST_DAY = date(2016, 1, 28)


@dataclass(frozen=True)
class SalarySpan:
    """Days `start`..`end` (both included) at one daily SBC."""

    start: date
    end: date
    sbc: Decimal

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def capped_sbc(sbc: Decimal, on: date) -> Decimal:
    """The SBC that counts for the contribution on `on`: at most 25 UMA."""
    if on < UMA_FIRST_DAY:
        return sbc
    return min(sbc, UMA_CAP * uma_on(on).daily)


def _uma_pieces(span: SalarySpan) -> Iterable[SalarySpan]:
    """The span cut on each 1 February, when a new UMA takes effect."""
    start = span.start
    while start <= span.end:
        next_change = date(start.year if start.month < 2 else start.year + 1, 2, 1)
        end = min(span.end, next_change - timedelta(days=1))
        yield SalarySpan(start, end, span.sbc)
        start = end + timedelta(days=1)


def contribution_due(spans: Iterable[SalarySpan]) -> Decimal:
    """5 % × capped SBC × days, summed over the spans and rounded once to the centavo."""
    total = Decimal("0")
    for span in spans:
        for piece in _uma_pieces(span):
            total += FIVE_PERCENT * capped_sbc(piece.sbc, piece.start) * piece.days
    return money(total)
