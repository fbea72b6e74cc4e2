"""Rendimientos of the Subcuenta de Vivienda (docs/sources.md#yields).

The annual rate of each year is data (savings.YieldRate, set by the Consejo; staff enter it in the admin). Yields
accrue daily on the balance at the close of each day: rate × Σ balance ÷ days in the year, rounded half up to the
centavo once per pocket and period. The sources disagree on when they are credited (annually per the fund's
training page, monthly per a 2024 blog), so MICUENTA_YIELD_CREDITING chooses: "anual" (default) credits a year's
yield on 31 December; "mensual" credits each month's on its last day, so a month's yield earns in the next ones.
Only pockets that earn yields get them (not the Fondo de Ahorro 1972-1992). A pocket that already has a yield
posting inside the period is skipped, whoever posted it (this command, or the synthetic population), so posting a
period again adds nothing, and a year already credited under one mode is not credited again under the other;
each chunk of pockets is one ledger transaction, keyed by the period and the pockets it credits.
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings

from micuenta.core.money import money
from micuenta.core.periods import MONTH_NAMES
from micuenta.core.policies import PolicyMissing, in_force
from micuenta.ledger.kinds import LedgerKind
from micuenta.ledger.models import Account, Transaction
from micuenta.ledger.services import AccountRef, Entry, Line
from micuenta.savings.errors import YieldCode, YieldError
from micuenta.savings.models import YieldRate

ANNUAL, MONTHLY = "anual", "mensual"
CHUNK = 5000


@dataclass(frozen=True)
class YieldPeriod:
    key: str  # "2025" or "2025-03"
    start: date
    end: date
    label: str


def crediting() -> str:
    mode = str(settings.MICUENTA_YIELD_CREDITING)
    if mode not in (ANNUAL, MONTHLY):
        raise YieldError(
            YieldCode.INVALID_MODE, f"MICUENTA_YIELD_CREDITING debe ser «{ANNUAL}» o «{MONTHLY}», no «{mode}»."
        )
    return mode


def yield_periods(year: int, mode: str) -> list[YieldPeriod]:
    """The periods of `year` whose yields are credited separately."""
    if mode == ANNUAL:
        return [YieldPeriod(f"{year}", date(year, 1, 1), date(year, 12, 31), f"{year}")]
    return [
        YieldPeriod(
            f"{year}-{month:02d}",
            date(year, month, 1),
            date(year, month, calendar.monthrange(year, month)[1]),
            f"{MONTH_NAMES[month - 1]} de {year}",
        )
        for month in range(1, 13)
    ]


def yields_key(period: YieldPeriod, account_ids: Iterable[int]) -> str:
    """The key of one chunk's yield transaction: the period and a digest of the pockets it credits."""
    digest = hashlib.sha256(",".join(str(pk) for pk in sorted(account_ids)).encode()).hexdigest()[:20]
    return f"rendimientos:{period.key}:{digest}"


def yields_entry(*, period: YieldPeriod, expense: Account, amounts: dict[int, Decimal], key: str) -> Entry:
    """One transaction crediting each pocket's yield, charged to the fund's yield expense."""
    lines = [Line(expense, sum(amounts.values(), Decimal("0.00")))]
    lines += [Line(AccountRef(pk), -amount) for pk, amount in sorted(amounts.items())]
    return Entry(key, f"Rendimientos de {period.label}", period.end, tuple(lines), kind=LedgerKind.YIELD)


def accrued_yield(
    *, opening: Decimal, changes: Iterable[tuple[date, Decimal]], start: date, end: date, annual_rate: Decimal
) -> Decimal:
    """Yield of `start`..`end` on a balance of `opening` plus dated changes (a change earns from its own day)."""
    days_in_year = 366 if calendar.isleap(start.year) else 365
    balance_days = opening * ((end - start).days + 1)
    for day, amount in changes:
        if start <= day <= end:
            balance_days += amount * ((end - day).days + 1)
    if balance_days <= 0:
        return Decimal("0.00")
    return money(balance_days * annual_rate / days_in_year)


def crediting_conflict(year: int, mode: str) -> date | None:
    """The date of a yield of `year` credited under the other mode, if any (keys name the period: "2025" for a
    year, "2025-03" for a month, whoever posted them)."""
    other = f"rendimientos:{year}-" if mode == ANNUAL else f"rendimientos:{year}:"
    return (
        Transaction.objects.filter(kind=LedgerKind.YIELD, effective_date__year=year, idempotency_key__contains=other)
        .values_list("effective_date", flat=True)
        .first()
    )


def rate_for(year: int) -> YieldRate:
    """The yield rate of `year`: the rule's row in force on 31 December, which must be that year's own (a year
    whose rate was not entered gets none, not the year before's)."""
    try:
        rate: YieldRate | None = in_force(YieldRate, date(year, 12, 31))
    except PolicyMissing:
        rate = None
    if rate is None or rate.year != year:
        raise YieldError(
            YieldCode.NO_RATE,
            f"No hay tasa de rendimiento para {year}. Captúrala en la administración (Tasas de rendimiento) con "
            "su fuente y vuelve a ejecutar.",
            details={"year": year},
        )
    return rate
