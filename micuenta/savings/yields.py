"""Annual yield rates of the Subcuenta de Vivienda (DOMAIN.md §3.3), set each year by the Consejo.

Rates are data with their source. 2021 and 2022 are published; 2023 comes from one third-party page; for 2024 and
2025 no rate was found, and the published rule of recent years (the yield equals the year's December inflation,
as in 2021 and 2022) is applied to the INPC series: 4.21 % and 3.69 %. Replace them when the Consejo's figures are
found. Crediting is annual, on 31 December (DOMAIN.md §3.3: the sources disagree between monthly and yearly).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class YieldRate:
    year: int
    rate: Decimal
    source: str
    confirmed: bool


YIELD_RATES: dict[int, YieldRate] = {
    r.year: r
    for r in (
        YieldRate(2021, Decimal("0.0736"), "Infonavit, Consejo sesión ordinaria 861 [R38]", True),
        YieldRate(2022, Decimal("0.0782"), "Infonavit communiqué [R39]", True),
        YieldRate(2023, Decimal("0.0633"), "third-party blog [R40] — UNCONFIRMED", False),
        YieldRate(2024, Decimal("0.0421"), "assumed: December 2024 inflation (INPC) — UNCONFIRMED", False),
        YieldRate(2025, Decimal("0.0369"), "assumed: December 2025 inflation (INPC) — UNCONFIRMED", False),
    )
}
