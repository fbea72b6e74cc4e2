"""Background work of the credits domain."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from micuenta.credits.services.statements import statements_generate

STATEMENTS_PER_TASK = 1000


@task()
def generate_statements(period: str, credit_ids: list[int]) -> int:
    """Store the monthly statements of `period` (ISO date of its first day) for these credits."""
    return statements_generate(period=date.fromisoformat(period), credit_ids=credit_ids)
