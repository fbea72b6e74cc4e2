"""An employment relation as a feed chunk sees it while it applies movements in memory (docs/feeds.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass
class RelationState:
    """A relation as the chunk sees it: from the database or opened by an earlier line."""

    employer_key: str  # registro patronal
    started_on: date
    ended_on: date | None
    sbc: Decimal
    sbc_since: date
    pk: int | None = None
    movements: dict[tuple[str, date], Decimal | None] = field(default_factory=dict)  # (kind, effective_on) → SBC
    new_movements: list[tuple[str, date, Decimal | None]] = field(default_factory=list)
    changed: bool = False

    @property
    def last_date(self) -> date:
        return max([self.started_on, *(d for _, d in self.movements)])
