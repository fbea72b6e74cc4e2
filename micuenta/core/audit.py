"""The audit trail: who changed what, before → after, and why (docs/architecture.md, "The service contract").

Every service that changes a person's data, a status or money records an `AuditEvent` here, in the same database
transaction as the change, so that the change and its record commit or roll back together. Batch jobs that move
money line by line (feeds, accrual) record one event per batch, naming the run and its totals; the ledger keeps
each line with its idempotency key.

What goes in `before` and `after` must be safe to show to an auditor: database ids, amounts, statuses, dates and
masked contacts (`core.privacy`), never an NSS, CURP, RFC, CLABE, full e-mail or phone. The reason, which a member
of staff may type, is kept with every identifier in it masked (`core.privacy.redact`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

from micuenta.core.actors import Actor
from micuenta.core.clients import device_of, network_of
from micuenta.core.db.bulk import insert_rows
from micuenta.core.models import AuditEvent
from micuenta.core.privacy import redact


class AuditAction(StrEnum):
    """Base of each domain's enum of audited actions (`class CreditAction(AuditAction): ...`), values
    "<dominio>.<acción>" in Spanish like the error codes."""


class NotInTransaction(RuntimeError):
    """An audit event written outside a database transaction could outlive the change it records."""


Subject = models.Model | tuple[str, int | str]


@dataclass(frozen=True)
class Change:
    """One audited change, for `audit_record_many`."""

    action: AuditAction
    subject: Subject
    worker_id: int | None = None
    before: Mapping[str, Any] = field(default_factory=dict)
    after: Mapping[str, Any] = field(default_factory=dict)
    reason: str = ""


def _subject(subject: Subject) -> tuple[str, str]:
    if isinstance(subject, models.Model):
        return subject._meta.label_lower, str(subject.pk)
    label, pk = subject
    return label, str(pk)


def _actor_columns(actor: Actor) -> dict[str, Any]:
    return {
        "actor_kind": str(actor.kind),
        "actor_user_id": actor.user_id,
        "actor_job": actor.job[:80],
        "actor_network": network_of(actor.address) if actor.address else "",
        "actor_device": device_of(actor.user_agent) if actor.user_agent else "",
        "actor_session": actor.session_digest,
    }


def _require_transaction() -> None:
    if not connection.in_atomic_block:
        raise NotInTransaction("audit_record must run inside the service's transaction.atomic() block")


def audit_record(
    *,
    actor: Actor,
    action: AuditAction,
    subject: Subject,
    worker_id: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Record one change in the caller's transaction."""
    _require_transaction()
    subject_type, subject_id = _subject(subject)
    return AuditEvent.objects.create(
        **_actor_columns(actor),
        action=str(action),
        subject_type=subject_type,
        subject_id=subject_id,
        worker_id=worker_id,
        before=dict(before or {}),
        after=dict(after or {}),
        reason=redact(reason)[:500],
    )


def audit_record_many(*, actor: Actor, changes: Sequence[Change]) -> int:
    """Record many changes by one actor set-based (COPY on PostgreSQL), in the caller's transaction."""
    if not changes:
        return 0
    _require_transaction()
    columns = _actor_columns(actor)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = []
    for change in changes:
        subject_type, subject_id = _subject(change.subject)
        rows.append(
            (
                now, columns["actor_kind"], columns["actor_user_id"], columns["actor_job"], columns["actor_network"],
                columns["actor_device"], columns["actor_session"], str(change.action), subject_type, subject_id,
                change.worker_id, _json(change.before), _json(change.after), redact(change.reason)[:500],
            )
        )  # fmt: skip
    return insert_rows(
        "core_auditevent",
        (
            "created_at", "actor_kind", "actor_user_id", "actor_job", "actor_network", "actor_device",
            "actor_session", "action", "subject_type", "subject_id", "worker_id", "before", "after", "reason",
        ),
        rows,
    )  # fmt: skip


def _plain(value: Any) -> Any:
    """The value as JSON holds it: amounts and dates as text (what DjangoJSONEncoder writes), so that the fast
    encoder serialises thousands of rows without calling back into Python for each amount."""
    if isinstance(value, str):
        return str(value)  # an enum's value, not its name
    if isinstance(value, int | float) or value is None:
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return DjangoJSONEncoder().default(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return DjangoJSONEncoder().default(value)


def _json(value: Mapping[str, Any]) -> str:
    return json.dumps(_plain(value), ensure_ascii=False)
