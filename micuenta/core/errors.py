"""Errors with stable codes: a code for programs, a Spanish message for people."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A refused operation. `code` is stable; `message` is shown to people; `details` helps staff and the API."""

    def __init__(self, code: str, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"
