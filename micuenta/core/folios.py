"""Folios per prefix and year, consecutive and without gaps (trámites, official documents).

The counter's row is locked (SELECT … FOR UPDATE) in the caller's transaction: two creations at once take turns,
and a creation that rolls back gives its number back, so the numbers have no gaps (docs/tramites.md, docs/documents.md).
"""

from __future__ import annotations

from typing import Any


def folio_next(counter: Any, prefix: str, year: int) -> str:
    """`PREFIX-YEAR-000123`: the next number of `prefix` in `year`, taken from `counter` (a model with `prefix`,
    `year` and `last`, unique on prefix and year), in the caller's transaction."""
    counter.objects.bulk_create([counter(prefix=prefix, year=year, last=0)], ignore_conflicts=True)
    row = counter.objects.select_for_update().get(prefix=prefix, year=year)
    row.last += 1
    row.save(update_fields=["last"])
    return f"{prefix}-{year}-{row.last:06d}"
