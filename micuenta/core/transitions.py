"""Declared state machines: a table of allowed transitions, who may make each, and one service that makes them.

A status field that follows rules (a credit's, a trámite's) declares its machine once, in one readable place::

    CREDIT_STATUS = StateMachine(
        model=Credit, field="status", action=CreditAction.STATUS_CHANGED,
        transitions=(
            Transition(CreditStatus.VIGENTE, CreditStatus.LIQUIDADO, by={ROLE_SYSTEM}, name="liquidar"),
            ...
        ),
    )

`machine.transition(actor=..., pk=..., to=..., reason=...)` locks the row (SELECT … FOR UPDATE), refuses a
transition the table does not list or the actor's roles do not allow (a Spanish message, nothing changed), writes
the new status and any other fields given, and records an audit event, all in one database transaction.
`machine.apply_many` does the same for rows the caller has already locked (batch work, set-based). What happens
after (a notification, a task) is the caller's, with `transaction.on_commit`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import models, transaction

from micuenta.core.actors import Actor
from micuenta.core.audit import AuditAction, Change, audit_record, audit_record_many
from micuenta.core.errors import ApplicationError, CoreCode

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Transition:
    """From any of `sources` to `target`, by an actor holding one of the roles `by`."""

    sources: frozenset[str]
    target: str
    by: frozenset[str]
    name: str

    def __init__(self, sources: str | Iterable[str], target: str, *, by: Iterable[str], name: str) -> None:
        object.__setattr__(self, "sources", frozenset({sources} if isinstance(sources, str) else sources))
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "by", frozenset(by))
        object.__setattr__(self, "name", name)


class TransitionRefused(ApplicationError):
    """The table does not allow the change, or not to this actor; nothing was written."""


@dataclass(frozen=True)
class Move:
    """One row to move, for `apply_many`: its id, its status now, where it goes, other fields, the person concerned."""

    pk: int
    current: str
    target: str
    updates: Mapping[str, Any]
    worker_id: int | None = None


class StateMachine(Generic[M]):
    def __init__(
        self,
        *,
        model: type[M],
        field: str,
        action: AuditAction,
        transitions: Sequence[Transition],
        labels: Mapping[str, str] | None = None,
        worker_field: str | None = None,
    ) -> None:
        self.model = model
        self.field = field
        self.action = action
        self.transitions = tuple(transitions)
        self.labels = dict(labels or {})
        self.worker_field = worker_field  # the column naming the person concerned, for the audit trail

    def _label(self, status: str) -> str:
        return self.labels.get(status, status)

    def find(self, current: str, target: str) -> Transition | None:
        """The declared transition from `current` to `target`, if any."""
        return next((t for t in self.transitions if current in t.sources and t.target == target), None)

    def targets(self, current: str, actor: Actor) -> list[str]:
        """Where `actor` may take a row that is in `current`."""
        return [t.target for t in self.transitions if current in t.sources and t.by & actor.roles]

    def check(self, *, current: str, target: str, actor: Actor) -> Transition:
        """The transition, or TransitionRefused with a message that says why."""
        found = self.find(current, target)
        if found is None and current == target:
            raise TransitionRefused(
                CoreCode.TRANSITION_NOT_ALLOWED,
                f"Ya está «{self._label(current)}»: no hay nada que cambiar. Recarga la página para ver cómo va.",
                details={"from": current, "to": target},
            )
        if found is None:
            raise TransitionRefused(
                CoreCode.TRANSITION_NOT_ALLOWED,
                f"No se puede pasar de «{self._label(current)}» a «{self._label(target)}». Recarga la página para "
                "ver cómo va.",
                details={"from": current, "to": target},
            )
        if not found.by & actor.roles:
            raise TransitionRefused(
                CoreCode.TRANSITION_NOT_PERMITTED,
                f"No tienes permiso para pasar de «{self._label(current)}» a «{self._label(target)}».",
                details={"from": current, "to": target},
            )
        return found

    def transition(
        self,
        *,
        actor: Actor,
        pk: int,
        to: str,
        reason: str = "",
        updates: Mapping[str, Any] | None = None,
    ) -> M:
        """Move one row to `to` (locked, checked, written and audited in one transaction); returns it."""
        with transaction.atomic():
            row = self.model._default_manager.select_for_update().get(pk=pk)
            current = str(getattr(row, self.field))
            self.check(current=current, target=to, actor=actor)
            fields = {self.field: to, **(updates or {})}
            before = {name: getattr(row, name) for name in fields}
            for name, value in fields.items():
                setattr(row, name, value)
            row.save(update_fields=list(fields))
            audit_record(
                actor=actor,
                action=self.action,
                subject=row,
                worker_id=getattr(row, self.worker_field) if self.worker_field else None,
                before=before,
                after=fields,
                reason=reason,
            )
        return row

    def apply_many(self, *, actor: Actor, moves: Sequence[Move], reason: str = "") -> int:
        """Move rows the caller has locked in this transaction: every move is checked first (one refusal writes
        nothing), then written with one UPDATE per row and audited set-based. Returns how many moved."""
        for move in moves:
            self.check(current=move.current, target=move.target, actor=actor)
        for move in moves:
            self.model._default_manager.filter(pk=move.pk).update(**{self.field: move.target, **move.updates})
        audit_record_many(
            actor=actor,
            changes=[
                Change(
                    action=self.action,
                    subject=(self.model._meta.label_lower, move.pk),
                    worker_id=move.worker_id,
                    before={self.field: move.current},
                    after={self.field: move.target, **move.updates},
                    reason=reason,
                )
                for move in moves
            ],
        )
        return len(moves)
