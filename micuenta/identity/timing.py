"""Answers whose time must not tell whether an account exists."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings


@contextmanager
def uniform_duration(seconds: float | None = None) -> Iterator[None]:
    """Make the block last at least `seconds` (MICUENTA_UNIFORM_RESPONSE_SECONDS), so that the time of an
    answer does not tell whether an account exists."""
    floor = settings.MICUENTA_UNIFORM_RESPONSE_SECONDS if seconds is None else seconds
    started = time.monotonic()
    try:
        yield
    finally:
        left = floor - (time.monotonic() - started)
        if left > 0:
            time.sleep(left)
