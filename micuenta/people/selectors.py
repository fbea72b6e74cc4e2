"""Reads of workers that other domains share."""

from __future__ import annotations

from collections.abc import Iterable

from micuenta.people.models import Worker


def worker_ids_by_nss(nss: Iterable[str]) -> dict[str, int]:
    """NSS → worker id for many NSS at once (one query): how a feed's chunk finds its workers."""
    return dict(Worker.objects.filter(nss__in=set(nss)).values_list("nss", "id"))
