"""The answer time of each trámite as first published, with its source; staff change it with a new SlaRule row
in the administration (docs/tramites.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.apps import apps as global_apps

SEED: list[tuple[str, date, int, str]] = [
    (
        "correccion_datos",
        date(2025, 1, 1),
        20,
        "Infonavit: corrección de datos, respuesta en 20 días hábiles "
        "(https://expansion.mx/finanzas-personales/2025/10/28/tramites-infonavit-segun-tu-estatus)",
    )
]


def sla_ensure(apps: Any = None) -> None:
    rule = (apps or global_apps).get_model("tramites", "SlaRule")
    for kind, valid_from, days, source in SEED:
        rule.objects.get_or_create(kind=kind, valid_from=valid_from, defaults={"business_days": days, "source": source})
