"""What an employer owes for a worker: 5 % of the SBC for each day of the relation (Ley del Infonavit art. 29 fr. II).

The SBC is capped at 25 UMA of the day (art. 29 fr. II Ley del Infonavit with the cap of the Ley del Seguro
Social; the 25-UMA figure is unconfirmed (docs/sources.md#sbc-cap) and kept in one constant here). The UMA changes
on 1 February, so a span that crosses that day is priced in two parts; the first UMA took effect on 28 January 2016
(before, the cap was in salarios mínimos, not in the reference data), so a span across that day is cut there too.
The total of a bimestre is rounded once,
half up, to the centavo.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from micuenta.core.money import money
from micuenta.core.periods import bimestre_end
from micuenta.core.reference import uma_on

FIVE_PERCENT = Decimal("0.05")
UMA_CAP = 25
# Before the UMA (28 January 2016) the cap was in salarios mínimos, not loaded in the reference data: no cap.
UMA_FIRST_DAY = date(2016, 1, 28)
# 25 × the lowest UMA ever (73.04, 2016): a salary at or under it is never capped, no lookup needed.
LOWEST_CAP = UMA_CAP * Decimal("73.04")


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
    if on < UMA_FIRST_DAY or sbc <= LOWEST_CAP:
        return sbc
    return min(sbc, UMA_CAP * uma_on(on).daily)


def contributions_by_bimestre(spans: Iterable[SalarySpan]) -> dict[tuple[int, int], tuple[int, Decimal]]:
    """(year, bimestre) → (days, 5 % × capped SBC × days, not yet rounded) for every bimestre the spans touch.

    Each span is cut at the start of every bimestre, on 1 February (a new UMA) and on 28 January 2016 (the first
    UMA), in one pass.
    """
    out: dict[tuple[int, int], tuple[int, Decimal]] = {}
    for span in spans:
        day = span.start
        while day <= span.end:
            year, bim = day.year, (day.month + 1) // 2
            piece_end = min(span.end, bimestre_end(year, bim))
            if day.month == 1:
                piece_end = min(piece_end, date(year, 1, 31))
            if day < UMA_FIRST_DAY <= piece_end:
                piece_end = UMA_FIRST_DAY - timedelta(days=1)
            days = (piece_end - day).days + 1
            amount = FIVE_PERCENT * capped_sbc(span.sbc, day) * days
            known = out.get((year, bim))
            out[(year, bim)] = (days, amount) if known is None else (known[0] + days, known[1] + amount)
            day = piece_end + timedelta(days=1)
    return out


def contribution_due(spans: Iterable[SalarySpan]) -> Decimal:
    """5 % × capped SBC × days, summed over the spans and rounded once to the centavo."""
    return money(sum((amount for _, amount in contributions_by_bimestre(spans).values()), Decimal("0")))
