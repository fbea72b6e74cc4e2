"""Recomputing the stored list of missing and short contributions (savings.ContributionGap) for the back office.

The list is derived from the employment relations and the contributions, and can always be made again: recomputing
it changes nothing that is not recorded already, so it takes no actor and writes no audit event.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from micuenta.people.models import Worker
from micuenta.savings.gaps import (
    CHUNK,
    as_date,
    chunks,
    contributions_checked_through,
    paid_by_period,
    worker_histories,
)
from micuenta.savings.models import ContributionGap, GapCheck
from micuenta.savings.obligations import checks_from, contribution_gaps


def contribution_gaps_refresh(*, worker_ids: Iterable[int] | None = None) -> int:
    """Recompute the stored gaps of these workers (all when None), a chunk per transaction; returns how many."""
    through = contributions_checked_through()
    now = timezone.now()
    today = timezone.localdate()
    since = checks_from()
    if worker_ids is None:
        ids: Iterable[int] = Worker.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=CHUNK)
    else:
        ids = sorted(set(worker_ids))
    stored = 0
    for chunk in chunks(ids):
        histories = worker_histories(chunk, since=since)
        paid = paid_by_period(chunk)
        rows = [
            ContributionGap(
                worker_id=worker_id,
                employer_id=gap.employer_id,
                year=gap.year,
                bimestre=gap.bimestre,
                days=gap.days,
                expected=gap.expected,
                paid=gap.paid,
                computed_at=now,
            )
            for worker_id in chunk
            for gap in contribution_gaps(
                histories.get(worker_id, []), paid.get(worker_id, {}), through=through, today=today
            )
        ]
        with transaction.atomic():
            ContributionGap.objects.filter(worker_id__in=chunk).delete()
            ContributionGap.objects.bulk_create(rows, batch_size=CHUNK)
        stored += len(rows)
    if worker_ids is None:
        GapCheck.objects.update_or_create(pk=1, defaults={"cut": as_date(through), "refreshed_at": now})
    return stored
