"""The --month argument of the credit commands: YYYY-MM, a month that has begun."""

from __future__ import annotations

from datetime import date

from django.core.management.base import CommandError
from django.utils import timezone

from micuenta.credits.schedule import month_from_text


def parse_month(value: str) -> date:
    """The first day of the month written as YYYY-MM; a CommandError in Spanish otherwise."""
    month = month_from_text(value.strip())
    if month is None:
        raise CommandError(f"«{value}» no es un mes: escríbelo como AAAA-MM, por ejemplo 2026-03.")
    if month > timezone.localdate():
        raise CommandError(f"El mes {value} todavía no empieza: solo se procesan meses que ya comenzaron.")
    return month
