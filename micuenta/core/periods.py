"""Calendar periods the fund counts in: months (their names in Spanish) and bimestres, the two-month periods of
employer contributions (docs/sources.md#bimestres), with their payment deadline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from micuenta.core.calendar import CalendarNotCovered, next_business_day

SATURDAY = 5  # date.weekday()

ORDINALS = {1: "1er", 2: "2º", 3: "3er", 4: "4º", 5: "5º", 6: "6º"}
BIMESTRE_MONTHS = {
    1: "enero–febrero",
    2: "marzo–abril",
    3: "mayo–junio",
    4: "julio–agosto",
    5: "septiembre–octubre",
    6: "noviembre–diciembre",
}


MONTH_NAMES = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip


def month_end(month: date) -> date:
    """The last day of the month of `month`."""
    following = date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)
    return following - timedelta(days=1)


def long_date(day: date) -> str:
    """'4 de diciembre de 2026': the month in lower case, as Spanish writes it (RAE, Ortografía 2010, 4.2.4)."""
    return f"{day.day} de {MONTH_NAMES[day.month - 1]} de {day.year}"


def month_name(month: date) -> str:
    """'marzo de 2026'."""
    return f"{MONTH_NAMES[month.month - 1]} de {month.year}"


def bimestre_start(year: int, bimestre: int) -> date:
    return date(year, 2 * bimestre - 1, 1)


def bimestre_end(year: int, bimestre: int) -> date:
    return (date(year + 1, 1, 1) if bimestre == 6 else date(year, 2 * bimestre + 1, 1)) - timedelta(days=1)


def bimestre_days(year: int, bimestre: int) -> int:
    """Calendar days of the bimestre: 59 or 60 for the first (leap years), 61 or 62 for the others."""
    return (bimestre_end(year, bimestre) - bimestre_start(year, bimestre)).days + 1


def bimestre_of(day: date) -> tuple[int, int]:
    return day.year, (day.month + 1) // 2


def payment_deadline(year: int, bimestre: int) -> date:
    """Day 17 of the month after the bimestre, moved to the next business day (docs/sources.md#payment-deadline).

    For a year whose holidays are not loaded (core.Holiday) the day moves past a weekend only: a deadline at most
    a holiday early, rather than a page that fails.
    """
    due = (bimestre_end(year, bimestre) + timedelta(days=1)).replace(day=17)
    try:
        return next_business_day(due)
    except CalendarNotCovered:
        return due + timedelta(days=(7 - due.weekday()) % 7) if due.weekday() >= SATURDAY else due


def bimestres(start: date, end: date) -> Iterator[tuple[int, int]]:
    """Every (year, bimestre) that has at least one day between `start` and `end`."""
    year, bim = bimestre_of(start)
    while bimestre_start(year, bim) <= end:
        yield year, bim
        year, bim = (year + 1, 1) if bim == 6 else (year, bim + 1)


def previous_bimestre(year: int, bimestre: int) -> tuple[int, int]:
    return (year - 1, 6) if bimestre == 1 else (year, bimestre - 1)


def bimestre_label(year: int, bimestre: int) -> str:
    """'3er bimestre de 2025', as the fund writes it."""
    return f"{ORDINALS[bimestre]} bimestre de {year}"
