from __future__ import annotations

from django_tasks import task

from micuenta.savings.gaps import contribution_gaps_refresh


@task()
def refresh_contribution_gaps(worker_ids: list[int] | None = None) -> int:
    """Recompute the stored gaps of these workers (every worker when None); returns how many gaps are stored."""
    return contribution_gaps_refresh(worker_ids=worker_ids)
