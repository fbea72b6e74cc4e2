"""Rules set by law or by the fund's board, kept as data with the date they take effect and their public source.

Every such rule is a model on `EffectiveDated`: one row per value (the UMA of a year, the charge rates of credits,
the yield rate of a year), in force from its `valid_from` until the next row's, with the `source` it follows.
There is one lookup, `in_force(Model, day)`, and one way to read a whole series, `timeline(Model)`, for batch work
that asks many dates. A table of values (the precalificación's point tables) is the same: its row holds the table.

Rows of models that change only by migration (`cache_in_process = True`: UMA, salario mínimo, UMI) are read once per
process; rows that staff edit in the administration (rates) are read again by every lookup, so that every process
sees an edit at once. `clear_policy_cache()` forgets what was cached (tests, and after a data migration).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import date
from typing import Any, ClassVar, Generic, TypeVar

from django.db import models

from micuenta.core.errors import ApplicationError, CoreCode


class EffectiveDated(models.Model):
    """Abstract base of a rule in force from `valid_from` (inclusive) until the next row's `valid_from`."""

    valid_from = models.DateField("vigente desde", unique=True)
    source = models.CharField("fuente", max_length=300)

    # True when rows change only by migration: the series is read once per process.
    cache_in_process: ClassVar[bool] = False
    # How the rule is named in messages: "el valor de la UMA", "las tasas de los cargos del crédito".
    policy_name: ClassVar[str] = "la regla"

    class Meta:
        abstract = True
        ordering = ("valid_from",)


P = TypeVar("P", bound=EffectiveDated)


class PolicyMissing(ApplicationError, LookupError):
    """No row of the rule is in force on that date; the message is in Spanish, for people."""

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(CoreCode.POLICY_MISSING, message, details=details)


class Timeline(Generic[P]):
    """A rule's rows in date order, answering many dates without another query."""

    def __init__(self, model: type[P], rows: Sequence[P]) -> None:
        self.model = model
        self.rows = tuple(sorted(rows, key=lambda row: row.valid_from))

    def on(self, day: date) -> P:
        """The row in force on `day`: the last whose `valid_from` is on or before it."""
        index = bisect.bisect_right(self.rows, day, key=lambda row: row.valid_from)
        if index == 0:
            raise PolicyMissing(
                f"No hay {self.model.policy_name} vigente el {day:%d/%m/%Y}.",
                policy=self.model._meta.label,
                day=day.isoformat(),
            )
        return self.rows[index - 1]

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


_cached: dict[type[EffectiveDated], Timeline[Any]] = {}


def timeline(model: type[P]) -> Timeline[P]:
    """Every row of the rule, for looking up many dates (read once per process for migration-only rules)."""
    if model.cache_in_process:
        found = _cached.get(model)
        if found is None:
            found = _cached[model] = Timeline(model, list(model._default_manager.all()))
        return found
    return Timeline(model, list(model._default_manager.all()))


def in_force(model: type[P], day: date) -> P:
    """The row of the rule in force on `day`, or PolicyMissing."""
    if model.cache_in_process:
        return timeline(model).on(day)
    row = model._default_manager.filter(valid_from__lte=day).order_by("-valid_from").first()
    if row is None:
        raise PolicyMissing(
            f"No hay {model.policy_name} vigente el {day:%d/%m/%Y}.", policy=model._meta.label, day=day.isoformat()
        )
    return row


def clear_policy_cache() -> None:
    """Forget the cached series (tests that change them, and after a data migration)."""
    _cached.clear()
