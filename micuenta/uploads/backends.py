"""The private storage on the local disk: files only the portal reads, never reachable by a URL."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """Django's file system storage without a URL, readable only by the portal's own user (0600, folders 0700).

    A file leaves it only through the portal (`micuenta.uploads.http.attachment_response`), after the caller has
    checked who asks. The folder is created on the first save.
    """

    def __init__(self, **options: Any) -> None:
        options.setdefault("file_permissions_mode", 0o600)
        options.setdefault("directory_permissions_mode", 0o700)
        super().__init__(**options)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL: stream them with micuenta.uploads.http.attachment_response.")
