"""Monthly statements in batch: `manage.py generate_statements --month YYYY-MM` queues one background task per
chunk of credits; each task stores the statements its credits lack for that month (idempotent)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from micuenta.credits import schedule
from micuenta.credits.models import Credit, CreditStatus, Statement
from micuenta.credits.selectors import statements_compute

CHUNK = 1000


def statement_credit_ids(period: date) -> list[int]:
    """Credits with a statement for `period`: granted before the month began; paid-off ones while money still
    moves (they stay listed: a saldo a favor is shown until it is returned)."""
    return list(
        Credit.objects.filter(origination_date__lt=period.replace(day=1))
        .exclude(status__in=(CreditStatus.EN_TRAMITE, CreditStatus.CANCELADO))
        .exclude(statements__period=period.replace(day=1))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def statements_generate(*, period: date, credit_ids: list[int]) -> int:
    """Store the statements of `period` these credits lack; returns how many were stored."""
    period = period.replace(day=1)
    if schedule.add_months(period, 1) > timezone.localdate():
        return 0  # a month is stated once it is over
    with transaction.atomic():
        have = set(
            Statement.objects.filter(period=period, credit_id__in=credit_ids).values_list("credit_id", flat=True)
        )
        credits = list(Credit.objects.filter(pk__in=[pk for pk in credit_ids if pk not in have]).order_by("pk"))
        made = statements_compute(credits, period)
        Statement.objects.bulk_create(made, batch_size=1000, ignore_conflicts=True)
    return len(made)
