"""Storing the monthly estados de cuenta, and forgetting the ones a late movement changed (docs/credits.md).

A month is stated once it is over: the batch (`manage.py generate_statements`, one background task per chunk of
credits) and the statement page (`statement_ensure`) store it from the ledger, under the credits' locks, so that a
payment being applied to the same credit waits for it or is waited for; a payment or a mensualidad that reaches a
month already stated discards that month's statement and the later ones (`statements_discard`), which are stated
again from the ledger. A stored statement is derived from the ledger and can always be made again: storing one
changes nothing that is not recorded already, so these services take no actor and write no audit event.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from micuenta.credits import schedule
from micuenta.credits.models import Credit, Statement
from micuenta.credits.selectors import statements_compute
from micuenta.credits.services.locks import credits_lock


def statements_discard(reached: Iterable[tuple[int, date]]) -> int:
    """Forget the stored monthly statements of these credits from the earliest month each (credit, day) reaches on
    (a payment or a mensualidad that reached a month already stated): each is generated again, from the ledger,
    when next asked for or by the next batch, so a statement never disagrees with the movements of its month.
    Runs in the caller's transaction, which holds the credits' locks. Returns how many."""
    since: dict[int, date] = {}
    for credit_id, day in reached:
        month = day.replace(day=1)
        since[credit_id] = min(month, since.get(credit_id, month))
    by_month: dict[date, list[int]] = defaultdict(list)
    for credit_id, month in since.items():
        by_month[month].append(credit_id)
    condition = Q()
    for month, ids in by_month.items():
        condition |= Q(credit_id__in=ids, period__gte=month)
    return Statement.objects.filter(condition).delete()[0] if by_month else 0


def _month_is_over(period: date) -> bool:
    return schedule.add_months(period, 1) <= timezone.localdate()


def statements_generate(*, period: date, credit_ids: list[int]) -> int:
    """Store the statements of `period` these credits lack (a month is stated once it is over); returns how many."""
    period = period.replace(day=1)
    if not _month_is_over(period):
        return 0
    with transaction.atomic():
        # The same locks as payments and the accrual: a statement is never computed from half a payment.
        locked = credits_lock(credit_ids)
        have = set(Statement.objects.filter(period=period, credit_id__in=locked).values_list("credit_id", flat=True))
        credits = list(Credit.objects.filter(pk__in=[pk for pk in locked if pk not in have]).order_by("pk"))
        made = statements_compute(credits, period)
        Statement.objects.bulk_create(made, batch_size=1000)
    return len(made)


def statement_ensure(*, credit: Credit, period: date) -> Statement:
    """The stored statement of `period`; when it is missing and the month is over it is stored now (under the
    credit's lock, when no one else holds it), otherwise the figures are returned unsaved."""
    period = period.replace(day=1)
    stored = Statement.objects.filter(credit=credit, period=period).first()
    if stored is not None or not _month_is_over(period):
        return stored or statements_compute([credit], period)[0]
    with transaction.atomic():
        # A page never waits for a feed: when a payment or the accrual holds the credit, the figures are shown as
        # the ledger has them now and stored on a later visit (or by the batch).
        free = Credit.objects.select_for_update(skip_locked=True).filter(pk=credit.pk).values_list("pk", flat=True)
        if not list(free):
            return statements_compute([credit], period)[0]
        stored = Statement.objects.filter(credit=credit, period=period).first()
        if stored is None:
            stored = statements_compute([credit], period)[0]
            stored.save()
    return stored
