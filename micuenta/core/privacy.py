"""Masking of personal data for screens, logs and records that must not hold it in clear."""

from __future__ import annotations


def mask_email(address: str) -> str:
    """`ana.lopez@correo.mx` → `a***@c***.mx`: enough to recognise, not to read."""
    local, sep, domain = address.strip().rpartition("@")
    if not sep or not local or not domain:
        return "***"
    host, dot, tld = domain.rpartition(".")
    if not dot:
        return f"{local[0]}***@{domain[0]}***"
    return f"{local[0]}***@{host[0]}***.{tld}"


def mask_phone(number: str) -> str:
    """`5512345678` → `******5678`: only the last four digits stay."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_nss(nss: str) -> str:
    """`12345678901` → `*******8901`: only the last four digits stay."""
    return mask_phone(nss)
