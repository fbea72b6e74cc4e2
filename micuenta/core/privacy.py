"""Masking of personal data for screens, logs and records that must not hold it in clear."""

from __future__ import annotations

import re


def mask_email(address: str) -> str:
    """`ana.lopez@correo.mx` → `a***@c***.mx`: enough to recognise, not to read."""
    local, sep, domain = address.strip().rpartition("@")
    if not sep or not local or not domain:
        return "***"
    host, dot, tld = domain.rpartition(".")
    if not dot:
        return f"{local[0]}***@{domain[0]}***"
    return f"{local[0]}***@{host[0]}***.{tld}"


def mask_email_tail(address: str) -> str:
    """`ana.lopez@correo.mx` → `a•••ez@c•••o.mx`: first and last characters kept, so that an old and a new address
    shown side by side (the CESI's log) can be told apart; never the whole address."""
    local, sep, domain = address.strip().rpartition("@")
    if not sep or not local or not domain:
        return "•••"
    host, dot, tld = domain.rpartition(".")
    if not dot:
        host, tld = domain, ""
    tail = 2 if len(local) >= 6 else 1 if len(local) >= 3 else 0
    masked_local = f"{local[0]}•••{local[len(local) - tail :] if tail else ''}"
    masked_host = f"{host[0]}•••{host[-1] if len(host) >= 4 else ''}"
    return f"{masked_local}@{masked_host}{'.' + tld if tld else ''}"


def mask_phone(number: str) -> str:
    """`5512345678` → `******5678`: only the last four digits stay."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_nss(nss: str) -> str:
    """`12345678901` → `*******8901`: only the last four digits stay."""
    return mask_phone(nss)


def mask_credit(numero: str) -> str:
    """`6375152023` → `*******023`: a número de crédito as official documents show it, the last three digits."""
    return "*" * (len(numero) - 3) + numero[-3:]


# What a person may type in a free-text field that must not be kept in clear: e-mail addresses, CURP, RFC, and runs
# of 8 to 18 digits (NSS, CLABE, telephone, card, credit numbers), spaces or dashes allowed between digits.
_EMAIL = re.compile(r"[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+")
_CURP = re.compile(r"\b[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{5}[A-Z0-9]\d\b", re.IGNORECASE)
_RFC = re.compile(r"\b[A-ZÑ&]{3,4}\d{6}[A-Z0-9]{2,3}\b", re.IGNORECASE)
_DIGITS = re.compile(r"(?<![\d])\d(?:[ -]?\d){7,17}(?![\d])")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def redact(text: str) -> str:
    """Free text with every identifier in it masked (the same masks as the pages): what a member of staff types as a
    reason, before it goes to a record that must not hold identifiers in clear."""
    text = _EMAIL.sub(lambda found: mask_email(found.group()), text)
    text = _CURP.sub(lambda found: "*" * 14 + found.group()[-4:], text)
    text = _RFC.sub(lambda found: "*" * (len(found.group()) - 3) + found.group()[-3:], text)
    return _DIGITS.sub(
        lambda found: found.group() if _ISO_DATE.fullmatch(found.group()) else mask_phone(found.group()), text
    )
