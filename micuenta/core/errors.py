"""Errors with stable codes: a code for programs, a Spanish message for people (docs/architecture.md).

Every refusal of a service is an `ApplicationError` (or a subclass of it) with a code from its domain's enum of
codes. Codes are one language, Spanish snake case like the quarantine codes of the feeds ("credito_no_vigente"),
and never change once published: an API client and the tests key on them. The message is for the person, in the
portal's tú voice, and says what to do.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    """Base of each domain's enum of error codes (`class CreditCode(ErrorCode): ...`)."""


class CoreCode(ErrorCode):
    REFERENCE_VALUE_MISSING = "valor_de_referencia_no_disponible"
    CALENDAR_NOT_COVERED = "calendario_sin_cobertura"
    POLICY_MISSING = "politica_no_vigente"
    TRANSITION_NOT_ALLOWED = "transicion_no_permitida"
    TRANSITION_NOT_PERMITTED = "transicion_sin_permiso"
    RULE_ALREADY_APPLIED = "regla_ya_aplicada"


class ApplicationError(Exception):
    """A refused operation. `code` is stable; `message` is shown to people; `details` helps staff and the API."""

    def __init__(self, code: ErrorCode, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}

    def as_dict(self) -> dict[str, Any]:
        """The shape an API answer takes: {"code", "message", "details"}."""
        return {"code": str(self.code), "message": self.message, "details": self.details}

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"
