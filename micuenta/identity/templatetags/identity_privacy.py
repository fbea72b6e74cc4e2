"""Template filters that show personal data masked."""

from __future__ import annotations

from django import template

from micuenta.core.privacy import mask_phone as _mask_phone

register = template.Library()


@register.filter
def mask_phone(number: str | None) -> str:
    """`5512345678` → `******5678`; empty stays empty."""
    return _mask_phone(number) if number else ""
