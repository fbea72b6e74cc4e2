"""Every test of the uploads keeps its files in a folder of its own, never in var/private."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path: Path) -> Path:
    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "micuenta.uploads.backends.PrivateFileSystemStorage", "OPTIONS": {"location": location}},
    }
    settings.MICUENTA_CLAMD = ""
    return location
