"""Background work of the savings domain, and what it does after a feed."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django_tasks import task

from micuenta.core.actors import Actor
from micuenta.credits.models import Credit
from micuenta.feeds.models import ImportRun
from micuenta.savings.avisos import avisos_issue_missing
from micuenta.savings.gaps import TASK_BATCH, as_date, contributions_checked_through
from micuenta.savings.models import GapCheck
from micuenta.savings.services.gaps import contribution_gaps_refresh


@task()
def refresh_contribution_gaps(worker_ids: list[int] | None = None) -> int:
    """Recompute the stored gaps of these workers (every worker when None); returns how many gaps are stored."""
    return contribution_gaps_refresh(worker_ids=worker_ids)


def contribution_gaps_refresh_after_feed(run: ImportRun, touched_workers: set[int]) -> int:
    """After a feed, queue the recomputation of the stored gaps for the background worker; returns the tasks queued.

    The workers the feed touched are recomputed in batches; when it brought a later bimestre, every worker has one
    more bimestre to check, and one task recomputes them all. The worker's own pages never wait for it: they
    compute their gaps on every view.
    """
    last = GapCheck.objects.filter(pk=1).values_list("cut", flat=True).first()
    if last != as_date(contributions_checked_through()):
        transaction.on_commit(refresh_contribution_gaps.enqueue)
        return 1
    ids = sorted(touched_workers)
    batches = [ids[start : start + TASK_BATCH] for start in range(0, len(ids), TASK_BATCH)]
    for batch in batches:
        transaction.on_commit(partial(refresh_contribution_gaps.enqueue, worker_ids=batch))
    return len(batches)


@task()
def issue_avisos(worker_ids: list[int]) -> int:
    """Issue the avisos these workers' credits call for (savings/avisos.py); returns how many were issued."""
    return avisos_issue_missing(actor=Actor.system("avisos_after_feed"), worker_ids=worker_ids)


def avisos_after_feed(run: ImportRun, touched_workers: set[int]) -> int:
    """After a feed (a new employer, a payment that paid a credit off), queue the avisos of the workers it touched
    who have a credit; returns the tasks queued."""
    ids = sorted(_credit_workers_among(touched_workers))
    batches = [ids[start : start + TASK_BATCH] for start in range(0, len(ids), TASK_BATCH)]
    for batch in batches:
        transaction.on_commit(partial(issue_avisos.enqueue, worker_ids=batch))
    return len(batches)


def _credit_workers_among(workers: set[int]) -> set[int]:
    found: set[int] = set()
    ordered = sorted(workers)
    for start in range(0, len(ordered), TASK_BATCH):
        chunk = ordered[start : start + TASK_BATCH]
        found.update(Credit.objects.filter(worker_id__in=chunk).values_list("worker_id", flat=True))
    return found
