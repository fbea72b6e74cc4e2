"""Template filters for money: {% load money %} … {{ amount|pesos }}."""

from __future__ import annotations

from decimal import Decimal

from django import template

from micuenta.core.money import format_pesos

register = template.Library()


@register.filter
def pesos(value: Decimal | str | int | None) -> str:
    """Empty for None; amounts kept as text (JSON reports) are read as Decimal, never float."""
    if value is None or value == "":
        return ""
    return format_pesos(value if isinstance(value, Decimal) else Decimal(str(value)))
