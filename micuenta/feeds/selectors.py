"""Reads of the feed reports for the back office."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from micuenta.feeds.models import ImportRun, QuarantinedLine


def import_runs(*, kind: str = "") -> QuerySet[ImportRun]:
    qs = ImportRun.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-started_at", "-id")


def import_run_get(*, run_id: int) -> ImportRun:
    return get_object_or_404(ImportRun, pk=run_id)


def quarantined_lines(*, run: ImportRun) -> QuerySet[QuarantinedLine]:
    return QuarantinedLine.objects.filter(run=run).order_by("line_number")
