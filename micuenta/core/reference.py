"""Selectors for reference values in force on a date: UMA, salario mínimo, UMI, INPC and UDI.

Each lookup reads the database once per process and keeps the answer (functools.lru_cache): the rows change only by
migration. A test that changes them calls `clear_reference_cache()`. The model instances returned are shared between
callers: read them, never modify them.
"""

from __future__ import annotations

import bisect
import functools
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from micuenta.core import calendar
from micuenta.core.errors import ApplicationError
from micuenta.core.models import Inpc, MinimumWage, Udi, Uma, Umi

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

    code = "valor_de_referencia_no_disponible"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(self.code, message, details=details)


_Dated = TypeVar("_Dated", Uma, MinimumWage, Umi)


def _in_force(rows: tuple[_Dated, ...], day: date, name: str) -> _Dated:
    """The last row whose `valid_from` is on or before `day` (rows are sorted by `valid_from`)."""
    index = bisect.bisect_right(rows, day, key=lambda row: row.valid_from)
    if index == 0:
        raise ReferenceValueNotFound(f"No hay {name} vigente el {day:%d/%m/%Y}.", day=day.isoformat())
    return rows[index - 1]


@functools.lru_cache(maxsize=1)
def _umas() -> tuple[Uma, ...]:
    return tuple(Uma.objects.order_by("valid_from"))


@functools.lru_cache(maxsize=1)
def _minimum_wages() -> tuple[MinimumWage, ...]:
    return tuple(MinimumWage.objects.order_by("valid_from"))


@functools.lru_cache(maxsize=1)
def _umis() -> tuple[Umi, ...]:
    return tuple(Umi.objects.order_by("valid_from"))


@functools.lru_cache(maxsize=1)
def _inpc_by_month() -> dict[tuple[int, int], Decimal]:
    return {(row.year, row.month): row.value for row in Inpc.objects.all()}


@functools.lru_cache(maxsize=4096)
def _udi(day: date) -> Decimal | None:
    return Udi.objects.filter(date=day).values_list("value", flat=True).first()


def uma_on(day: date) -> Uma:
    """The UMA in force on `day`: a year's UMA applies from 1 February (2016's from 28 January) to 31 January."""
    return _in_force(_umas(), day, "valor de la UMA")


def minimum_wage_on(day: date) -> MinimumWage:
    """The salario mínimo in force on `day` (from 1 January); `.for_zone("general" | "zlfn")` gives one zone's."""
    return _in_force(_minimum_wages(), day, "salario mínimo")


def umi_on(day: date) -> Umi:
    """The Unidad Mixta Infonavit in force on `day` (from 1 January)."""
    return _in_force(_umis(), day, "valor de la UMI")


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
    for cached in (_umas, _minimum_wages, _umis, _inpc_by_month, _udi):
        cached.cache_clear()
    calendar.clear_calendar_cache()
