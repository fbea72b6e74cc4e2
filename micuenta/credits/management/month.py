"""The --month argument of the credit commands: YYYY-MM, a month that has begun."""

from __future__ import annotations

import re
from datetime import date

from django.core.management.base import CommandError
from django.utils import timezone


def parse_month(value: str) -> date:
    """The first day of the month written as YYYY-MM; a CommandError in Spanish otherwise."""
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", value.strip())
    if match is None or int(match[1]) < 1 or not 1 <= int(match[2]) <= 12:
        raise CommandError(f"«{value}» no es un mes: escríbelo como AAAA-MM, por ejemplo 2026-03.")
    month = date(int(match[1]), int(match[2]), 1)
    if month > timezone.localdate():
        raise CommandError(f"El mes {value} todavía no empieza: solo se procesan meses que ya comenzaron.")
    return month
