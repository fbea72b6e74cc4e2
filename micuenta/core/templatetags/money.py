"""Template filters for money: {% load money %} … {{ amount|pesos }}."""

from __future__ import annotations

from decimal import Decimal

from django import template

from micuenta.core.money import format_pesos

register = template.Library()


@register.filter
def pesos(value: Decimal | None) -> str:
    return "" if value is None else format_pesos(value)
