"""Missing and short contributions of real workers: data for savings.obligations, and the stored list.

The worker's pages compute their gaps on every view (a few queries, whatever the length of the history). The back
office's per-employer list reads ContributionGap, recomputed by the background worker after each feed: for the
workers the feed touched, and for everyone when a payment file brings a later bimestre. Deadlines pass with the
calendar too: run `manage.py contribution_gaps_refresh` daily (it recomputes everyone).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Max, Q, QuerySet, Sum

from micuenta.core.periods import bimestre_start
from micuenta.employment.models import Employer, EmploymentMovement, EmploymentRelation
from micuenta.people.models import Worker
from micuenta.savings.models import Contribution, ContributionGap, GapCheck
from micuenta.savings.obligations import (
    Gap,
    Period,
    RelationHistory,
    checks_from,
    contribution_gaps,
    relation_history,
)

CHUNK = 2000
TASK_BATCH = 10_000  # workers per background task after a feed


def as_date(period: Period | None) -> date | None:
    return None if period is None else bimestre_start(*period)


def contributions_data_cut() -> date | None:
    """The latest payment date received from employers: how far the fund's contribution data reaches."""
    return Contribution.objects.aggregate(cut=Max("paid_on"))["cut"]


def contributions_checked_through() -> Period | None:
    """The latest bimestre any employer has paid: bimestres up to it can be checked (one indexed query)."""
    return Contribution.objects.order_by("-year", "-bimestre").values_list("year", "bimestre").first()


def worker_histories(worker_ids: Iterable[int], *, since: date | None = None) -> dict[int, list[RelationHistory]]:
    """Each worker's relations with their salary changes: two queries for any number of workers.

    With `since`, relations that ended before it are left out: they owe nothing that is checked.
    """
    ids = list(worker_ids)
    relations = EmploymentRelation.objects.filter(worker_id__in=ids)
    if since is not None:
        relations = relations.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=since))
    rows = list(relations.values_list("id", "worker_id", "employer_id", "started_on", "ended_on", "sbc"))
    changes: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    for relation_id, effective_on, sbc in EmploymentMovement.objects.filter(
        relation_id__in=[row[0] for row in rows], sbc__isnull=False
    ).values_list("relation_id", "effective_on", "sbc"):
        if sbc is not None:
            changes[relation_id].append((effective_on, sbc))
    histories: dict[int, list[RelationHistory]] = defaultdict(list)
    for pk, worker_id, employer_id, started_on, ended_on, sbc in rows:
        histories[worker_id].append(
            relation_history(
                employer_id=employer_id,
                started_on=started_on,
                ended_on=ended_on,
                sbc=sbc,
                changes=changes.get(pk, ()),
            )
        )
    return histories


def paid_by_period(worker_ids: Iterable[int]) -> dict[int, dict[tuple[int, int, int], Decimal]]:
    """What each worker's employers paid, by (employer, year, bimestre): one grouped query."""
    paid: dict[int, dict[tuple[int, int, int], Decimal]] = defaultdict(dict)
    for worker_id, employer_id, year, bimestre, total in (
        Contribution.objects.filter(worker_id__in=list(worker_ids))
        .values_list("worker_id", "employer_id", "year", "bimestre")
        .annotate(total=Sum("amount"))
        .values_list("worker_id", "employer_id", "year", "bimestre", "total")
    ):
        paid[worker_id][(employer_id, year, bimestre)] = Decimal(total)
    return paid


def worker_contribution_gaps(*, worker: Worker, through: Period | None, today: date) -> list[Gap]:
    """The worker's missing and short contributions, computed now: two queries (none without payment data)."""
    if through is None:
        return []
    histories = worker_histories([worker.pk], since=checks_from())
    paid = paid_by_period([worker.pk])
    return contribution_gaps(histories.get(worker.pk, []), paid.get(worker.pk, {}), through=through, today=today)


def chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    chunk: list[int] = []
    for pk in ids:
        chunk.append(pk)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- The back office's list by employer ----------------------------------------------------------------------


def employers_with_gaps(*, search: str = "") -> QuerySet[Employer]:
    """Employers with stored gaps and their totals, the largest amount owed first (paginate it)."""
    qs = Employer.objects.filter(contribution_gaps__isnull=False)
    if search:
        qs = qs.filter(Q(registro_patronal__iexact=search.strip()) | Q(razon_social__icontains=search.strip()))
    return qs.annotate(
        workers=Count("contribution_gaps__worker", distinct=True),
        periods=Count("contribution_gaps"),
        owed=Sum(F("contribution_gaps__expected") - F("contribution_gaps__paid")),
    ).order_by("-owed", "registro_patronal")


def employer_gaps(*, employer: Employer) -> QuerySet[ContributionGap]:
    """The employer's gaps, by worker and bimestre (paginate it)."""
    return (
        ContributionGap.objects.filter(employer=employer)
        .select_related("worker")
        .annotate(owed=F("expected") - F("paid"))
        .order_by("-year", "-bimestre", "worker__primer_apellido", "worker_id")
    )


def gaps_computed_at() -> GapCheck | None:
    return GapCheck.objects.filter(pk=1).first()
