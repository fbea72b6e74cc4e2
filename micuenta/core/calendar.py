"""Mexican business days: Monday to Friday, except official holidays (`core.Holiday`, from data/holidays_mx.csv).

Two calendars, chosen with `banking`:

- `banking=True` (the default): the days banks open. Closed are Saturdays, Sundays, the CNBV's annual list of days
  on which financial entities close (`kind="bancario"`: it adds Jueves and Viernes Santo, 2 November and
  12 December to the LFT days) and every LFT art. 74 rest day (`kind="ley"`). On weekdays every `ley` date of
  2016-2027 is also a `bancario` one (a test checks it), so the union changes nothing today; it only keeps a
  legal rest day closed if a future CNBV list left it out. This is the calendar for payment deadlines: employers
  pay SUA contributions at banks or by SPEI, which settles on bank days only.
- `banking=False`: the LFT art. 74 days of mandatory rest only (`kind="ley"`), for labour-law periods; banks may be
  closed on some of these working days (Jueves Santo, for one).

The holidays are loaded once per process. Dates outside the years loaded raise `CalendarNotCovered` rather than
silently counting an unknown holiday as a working day. Caveat (data/README.md): 2027's bank holidays and the
6-Jun-2027 election day are projected by rule, and CNBV extraordinary closures are not included.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta

from micuenta.core.errors import ApplicationError, CoreCode
from micuenta.core.models import Holiday, HolidayKind

__all__ = ["CalendarNotCovered", "add_business_days", "clear_calendar_cache", "is_business_day", "next_business_day"]

SATURDAY = 5
ONE_DAY = timedelta(days=1)


class CalendarNotCovered(ApplicationError, LookupError):
    """The date falls in a year whose holidays are not loaded; the message is in Spanish, for people."""

    def __init__(self, day: date, first_year: int | None, last_year: int | None) -> None:
        if first_year is None:
            message = "No está cargado el calendario de días inhábiles."
        else:
            message = (
                f"El calendario de días inhábiles cubre de {first_year} a {last_year}; no incluye el {day:%d/%m/%Y}."
            )
        super().__init__(CoreCode.CALENDAR_NOT_COVERED, message, details={"day": day.isoformat()})


@dataclass(frozen=True)
class _Calendar:
    first_year: int | None
    last_year: int | None
    bank_closed: frozenset[date]
    legal_rest: frozenset[date]


@functools.lru_cache(maxsize=1)
def _calendar() -> _Calendar:
    rows = list(Holiday.objects.values_list("date", "kind"))
    years = [day.year for day, _kind in rows]
    return _Calendar(
        first_year=min(years, default=None),
        last_year=max(years, default=None),
        bank_closed=frozenset(day for day, _kind in rows),  # bancario ∪ ley, see the module docstring
        legal_rest=frozenset(day for day, kind in rows if kind == HolidayKind.LEY),
    )


def clear_calendar_cache() -> None:
    _calendar.cache_clear()


def is_business_day(day: date, *, banking: bool = True) -> bool:
    """Whether `day` is a working day: not a Saturday, Sunday or official holiday of the chosen calendar."""
    calendar = _calendar()
    if calendar.first_year is None or calendar.last_year is None:
        raise CalendarNotCovered(day, None, None)
    if not calendar.first_year <= day.year <= calendar.last_year:
        raise CalendarNotCovered(day, calendar.first_year, calendar.last_year)
    if day.weekday() >= SATURDAY:
        return False
    return day not in (calendar.bank_closed if banking else calendar.legal_rest)


def next_business_day(day: date, *, banking: bool = True) -> date:
    """`day` itself if it is a business day, otherwise the first business day after it.

    This is how a deadline that falls on a non-working day moves (e.g. the employer's payment due on day 17 of the
    month after the bimestre, docs/sources.md#payment-deadline).
    """
    while not is_business_day(day, banking=banking):
        day += ONE_DAY
    return day


def add_business_days(day: date, n: int, *, banking: bool = True) -> date:
    """The date `n` business days after `day` (before it when `n` is negative); `day` itself is not counted.

    With `n == 0` the answer is `day`, whether or not it is a business day.
    """
    step = ONE_DAY if n >= 0 else -ONE_DAY
    remaining = abs(n)
    while remaining:
        day += step
        if is_business_day(day, banking=banking):
            remaining -= 1
    return day
