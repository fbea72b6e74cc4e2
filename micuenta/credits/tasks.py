"""Background work of the credits domain."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from micuenta.credits.services.constancias import interest_years_store
from micuenta.credits.services.statements import statements_generate

STATEMENTS_PER_TASK = 1000


@task()
def generate_statements(period: str, credit_ids: list[int]) -> int:
    """Store the monthly statements of `period` (ISO date of its first day) for these credits."""
    return statements_generate(period=date.fromisoformat(period), credit_ids=credit_ids)


CONSTANCIAS_PER_TASK = 1000


@task()
def generate_interest_years(year: int, credit_ids: list[int]) -> int:
    """Keep the Constancia de Intereses inputs of `year` for these credits (idempotent)."""
    return interest_years_store(year=year, credit_ids=credit_ids)
