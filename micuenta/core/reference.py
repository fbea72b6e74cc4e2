"""Selectors for reference values in force on a date: UMA, salario mínimo, UMI, INPC and UDI.

The rows change only by migration, so each lookup reads the database once per process and keeps the answer: the UMA,
the salario mínimo and the UMI are rules on `micuenta.core.policies` (`in_force`), the INPC and the UDI monthly and
daily series. A test that changes them calls `clear_reference_cache()`. The model instances returned are shared between
callers: read them, never modify them.
"""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from micuenta.core import calendar
from micuenta.core.errors import ApplicationError, CoreCode
from micuenta.core.models import Inpc, MinimumWage, Udi, Uma, Umi
from micuenta.core.policies import PolicyMissing, clear_policy_cache, timeline

__all__ = [
    "ReferenceValueNotFound",
    "clear_reference_cache",
    "inpc",
    "minimum_wage_on",
    "udi_on",
    "uma_on",
    "umi_on",
]


class ReferenceValueNotFound(ApplicationError, LookupError):
    """No value is loaded for that date or month; the message is in Spanish, for people."""

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(CoreCode.REFERENCE_VALUE_MISSING, message, details=details)


_Dated = TypeVar("_Dated", Uma, MinimumWage, Umi)


def _in_force(model: type[_Dated], day: date) -> _Dated:
    """The row in force on `day` (core.policies), refused as a missing reference value."""
    try:
        return timeline(model).on(day)
    except PolicyMissing as missing:
        raise ReferenceValueNotFound(missing.message, day=day.isoformat()) from None


@functools.lru_cache(maxsize=1)
def _inpc_by_month() -> dict[tuple[int, int], Decimal]:
    return {(row.year, row.month): row.value for row in Inpc.objects.all()}


@functools.lru_cache(maxsize=4096)
def _udi(day: date) -> Decimal | None:
    return Udi.objects.filter(date=day).values_list("value", flat=True).first()


def uma_on(day: date) -> Uma:
    """The UMA in force on `day`: a year's UMA applies from 1 February (2016's from 28 January) to 31 January."""
    return _in_force(Uma, day)


def minimum_wage_on(day: date) -> MinimumWage:
    """The salario mínimo in force on `day` (from 1 January); `.for_zone("general" | "zlfn")` gives one zone's."""
    return _in_force(MinimumWage, day)


def umi_on(day: date) -> Umi:
    """The Unidad Mixta Infonavit in force on `day` (from 1 January)."""
    return _in_force(Umi, day)


def inpc(year: int, month: int) -> Decimal:
    """INEGI's monthly INPC (base 2ª quincena de julio de 2018 = 100) for `month` of `year`."""
    try:
        return _inpc_by_month()[(year, month)]
    except KeyError:
        raise ReferenceValueNotFound(
            f"No está cargado el INPC de {month:02d}/{year}.", year=year, month=month
        ) from None


def udi_on(day: date) -> Decimal:
    """Banco de México's UDI value for `day` (published for every calendar day)."""
    value = _udi(day)
    if value is None:
        raise ReferenceValueNotFound(f"No está cargado el valor de la UDI del {day:%d/%m/%Y}.", day=day.isoformat())
    return value


def clear_reference_cache() -> None:
    """Forget every cached value, the holiday calendar included (for tests, and after a data migration)."""
    for cached in (_inpc_by_month, _udi):
        cached.cache_clear()
    clear_policy_cache()
    calendar.clear_calendar_cache()
