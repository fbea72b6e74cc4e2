"""Model-field validators wrapping micuenta.core.identifiers (they return nothing, as Django expects)."""

from __future__ import annotations

from micuenta.core import identifiers


def nss(value: str) -> None:
    identifiers.validate_nss(value)


def curp(value: str) -> None:
    identifiers.validate_curp(value)


def rfc(value: str) -> None:
    identifiers.validate_rfc(value)  # a wrong check digit is a warning, not an error (docs/sources.md#rfc)


def rfc_persona_fisica(value: str) -> None:
    identifiers.validate_rfc(value, kind="fisica")


def registro_patronal(value: str) -> None:
    identifiers.validate_registro_patronal(value)


def numero_credito(value: str) -> None:
    identifiers.validate_numero_credito(value)
