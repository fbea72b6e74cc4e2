"""What `flush` leaves alone: reference data loaded by migrations and the append-only triggers.

Django's `flush` (between transactional tests, and `manage.py flush`) empties every table. Reference data
(UMA, salario mínimo, UMI, INPC, UDI, holidays, the terms and conditions, yield and charge rates) comes from
migrations and would not come back, so its tables are kept.
"""

from __future__ import annotations

from collections.abc import Iterable

KEEP_ON_FLUSH: frozenset[str] = frozenset(
    {
        "core_uma",
        "core_minimumwage",
        "core_umi",
        "core_inpc",
        "core_udi",
        "core_holiday",
        "identity_termsversion",
        "savings_yieldrate",
        "credits_chargerate",
    }
)


def tables_to_flush(tables: Iterable[str]) -> list[str]:
    return [table for table in tables if table not in KEEP_ON_FLUSH]
