from __future__ import annotations

from django_tasks import task

from micuenta.savings.gaps import contribution_gaps_refresh


@task()
def refresh_contribution_gaps() -> int:
    """Recompute every worker's stored gaps (after a payment file brings a later bimestre); returns how many."""
    return contribution_gaps_refresh()
