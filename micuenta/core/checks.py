"""System checks of the portal's own settings."""

from __future__ import annotations

import os
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


# Settings that became rules kept as data (docs/architecture.md, "Rules as data"): a deployment that still sets
# one must enter its value where it now lives, or it would silently charge something else.
MOVED_TO_RULES = {
    "MICUENTA_CREDIT_DAMAGE_INSURANCE_RATE": "administración → Tasas de seguro y cuota de los créditos",
    "MICUENTA_CREDIT_ADMINISTRATION_FEE_RATE": "administración → Tasas de seguro y cuota de los créditos",
}


@register()
def settings_that_became_rules(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """A setting that is now a rule in the administration is refused when it is still set."""
    return [
        Error(
            f"{name} is set, but it is no longer read: the rate is a rule with an effective date in {where}.",
            hint=f"Enter the rate there with the date it applies from and its source, then unset {name}.",
            id="micuenta.E002",
        )
        for name, where in MOVED_TO_RULES.items()
        if os.environ.get(name)
    ]
