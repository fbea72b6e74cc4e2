"""System checks of the portal's own settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def demo_mode_is_not_for_production(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Demo mode publishes every outgoing message and loads accounts with a printed password."""
    if settings.MICUENTA_DEMO:
        return [
            Error(
                "MICUENTA_DEMO is on: the Buzón de desarrollo shows every message sent and the demo accounts "
                "have a published password.",
                hint="Unset MICUENTA_DEMO in production.",
                id="micuenta.E001",
            )
        ]
    return []
