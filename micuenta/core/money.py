"""Money: Decimal pesos with two places, rounded explicitly (ROUND_HALF_UP unless a rule says otherwise)."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import models

CENTAVO = Decimal("0.01")
MAX_DIGITS = 14  # NUMERIC(14,2): up to 999,999,999,999.99


def money(value: Decimal | int | str, *, rounding: str = ROUND_HALF_UP) -> Decimal:
    """Quantize to centavos. Floats are refused: they cannot hold most centavo amounts exactly."""
    if isinstance(value, float):
        raise TypeError("money() takes Decimal, int or str, never float")
    try:
        amount = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not a finite amount: {value!r}")
    return amount.quantize(CENTAVO, rounding=rounding)


class MoneyField(models.DecimalField):
    """NUMERIC(14,2) in pesos: the one field every amount of money uses."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_digits") == MAX_DIGITS:
            del kwargs["max_digits"]
        if kwargs.get("decimal_places") == 2:
            del kwargs["decimal_places"]
        return name, path, args, kwargs


def format_pesos(value: Decimal) -> str:
    """An amount as "$1,234.50": always two decimals, thousands grouped, "-$5.00" below zero, never "-$0.00".

    Mexico writes amounts as Python's format does ("," between thousands, "." before centavos), so the format is
    built directly: the pages show dozens of amounts each, and Django's localized `number_format` costs about
    twenty times more per amount. Digits past the centavo are dropped, as `number_format` drops them."""
    amount = abs(value).quantize(CENTAVO, rounding=ROUND_DOWN)
    sign = "-" if value < 0 and amount != 0 else ""  # a liability's untouched balance turned around is -0.00
    return f"{sign}${amount:,.2f}"
