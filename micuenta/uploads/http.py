"""Handing a stored file back: always a download, never a page the browser could run."""

from __future__ import annotations

import unicodedata
from typing import Final
from urllib.parse import quote

from django.http import FileResponse

from micuenta.uploads.inspect import CONTENT_TYPES, EXTENSIONS, clean_name
from micuenta.uploads.storage import upload_open

KIND_OF_TYPE: Final = {content_type: kind for kind, content_type in CONTENT_TYPES.items()}


def attachment_response(storage_name: str, *, filename: str, content_type: str) -> FileResponse:
    """Stream a stored file as a download, with headers that keep a browser from showing or running it.

    The caller has checked that the person may see the file. `content_type` is the one kept with it (one of the
    three accepted types; anything else is a programming error), `filename` its display name, cleaned again.
    """
    kind = KIND_OF_TYPE.get(content_type)
    if kind is None:
        raise ValueError(f"Not a type of attached file: {content_type!r}")
    name = clean_name(filename, kind)
    response = FileResponse(upload_open(storage_name), content_type=content_type)
    response["Content-Disposition"] = content_disposition(name, EXTENSIONS[kind])
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Opened in a tab after all, the file runs in an origin of its own, with nothing allowed.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def content_disposition(name: str, extension: str) -> str:
    """`attachment` with an ASCII `filename` for old clients and the exact name as `filename*` (RFC 6266, 8187)."""
    ascii_name = "".join(
        ch if ch.isascii() and ch.isprintable() and ch not in '"\\%;' else "_"
        for ch in unicodedata.normalize("NFKD", name)
        if not unicodedata.combining(ch)
    )
    if ascii_name.strip("_. ") in {"", extension}:
        ascii_name = f"documento.{extension}"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
