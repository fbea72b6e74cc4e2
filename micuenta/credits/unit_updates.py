"""The yearly factors of credits in VSM (docs/sources.md#vsm-update), with their sources; unconfirmed ones are marked.

Loaded by migration 0003; `unit_updates_ensure` puts back a missing year (after a test database flush) without
touching a row staff have edited.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

SM = "Aumento del salario mínimo general (zona A) de ese año, según las tablas de la CONASAMI; no verificado aquí."
LESSER = (
    "DERIVADO: la regla desde 2016 es el menor entre el aumento del salario mínimo y el de la UMA ("
    "[R-siglo2021]); aquí es el aumento de la UMA (UMA del INEGI en micuenta/core/data/uma.csv, [R51]–[R54])."
)
FACTORS: list[tuple[int, str, bool, str]] = [
    (2010, "0.04850", False, SM),
    (2011, "0.04100", False, SM),
    (2012, "0.04200", False, SM),
    (2013, "0.03900", False, SM),
    (2014, "0.03900", False, SM),
    (2015, "0.04200", False, SM),
    (2016, "0.04200", False, SM),
    (2017, "0.03354", False, LESSER),
    (2018, "0.06769", False, LESSER),
    (2019, "0.04826", False, LESSER),
    (2020, "0.02829", False, LESSER),
    (2021, "0.03150", True, "El Siglo de Torreón, dic. 2021 [R-siglo2021]: +3.15 %."),
    (2022, "0.04990", True, "Paco Zea, 19-ene-2022 [R-pacozea]: el Consejo fijó +4.99 %."),
    (2023, "0.05200", True, "Comunicado del Infonavit 2023 [R-cosa]: +5.2 %."),
    (2024, "0.04656", False, LESSER),
    (2025, "0.00000", True, "UMI sin cambio: 100.81 en 2024 y 2025 (KPMG, ene-2026 [R64]; Consolide [R66])."),
    (2026, "0.00000", True, "UMI sin cambio: 100.81 en 2025 y 2026 (KPMG, ene-2026 [R64]; Consolide [R66])."),
]


def unit_updates_ensure(model: Any = None) -> int:
    """Create the years that are missing; returns how many. `model` is the historical model inside a migration."""
    if model is None:
        from micuenta.credits.models import UnitUpdate as model
    have = set(model.objects.values_list("year", flat=True))
    missing = [
        model(year=year, factor=Decimal(factor), confirmed=confirmed, source=source)
        for year, factor, confirmed, source in FACTORS
        if year not in have
    ]
    model.objects.bulk_create(missing)
    return len(missing)
