"""Keeping accepted files in the private storage (`STORAGES["private"]`: the local disk or a private S3 bucket)."""

from __future__ import annotations

import re
import uuid
from typing import Final

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.utils import timezone

from micuenta.uploads.inspect import EXTENSIONS, CleanFile

# A prefix names the kind of case ("tramites/devolucion"): lower-case words, never a path that climbs.
PREFIX: Final = re.compile(r"[a-z0-9_-]+(?:/[a-z0-9_-]+)*")


def private_storage() -> Storage:
    """The storage of attached files; it has no public URL."""
    return storages["private"]


def upload_store(clean: CleanFile, *, prefix: str) -> str:
    """Save an accepted file under an unguessable name, `<prefix>/<yyyy>/<mm>/<uuid4>.<ext>`; return that name.

    The name says nothing of the person nor of the file's own name: keep `clean.name` (the display name) with it.
    """
    if not PREFIX.fullmatch(prefix):
        raise ValueError(f"Invalid storage prefix {prefix!r}: lower-case words separated by '/'.")
    today = timezone.localdate()
    name = f"{prefix}/{today:%Y}/{today:%m}/{uuid.uuid4()}.{EXTENSIONS[clean.kind]}"
    return private_storage().save(name, ContentFile(clean.content))


def upload_open(storage_name: str) -> File:
    """The stored file, opened for reading (binary); close it, or hand it to a response that does."""
    return private_storage().open(storage_name, "rb")


def upload_delete(storage_name: str) -> None:
    """Remove a stored file; a name already gone is not an error."""
    private_storage().delete(storage_name)
