"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from micuenta.core.navigation import signed_in_navigation


def portal(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    current = getattr(getattr(request, "resolver_match", None), "view_name", None)
    return {
        "demo_mode": settings.MICUENTA_DEMO,
        "institution": settings.MICUENTA_INSTITUTION,
        "nav_items": signed_in_navigation() if signed_in else (),
        "current_view": current,
        # The section (URL namespace) of the page: its menu entry is marked on every page of the section.
        "current_section": current.split(":", 1)[0] if current and ":" in current else "",
        "session_idle_seconds": settings.MICUENTA_SESSION_IDLE_SECONDS,
        "session_warning_seconds": settings.MICUENTA_SESSION_WARNING_SECONDS,
    }
