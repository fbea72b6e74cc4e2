"""Writes of the people domain: what other domains' data changes of a worker."""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction

from micuenta.core.actors import Actor
from micuenta.core.audit import Change, audit_record_many
from micuenta.core.db.bulk import update_rows
from micuenta.people.audit import PeopleAction
from micuenta.people.models import Worker


def workers_first_contribution_set(*, actor: Actor, earliest: dict[int, date]) -> int:
    """Move each worker's date of first contribution to the IMSS back to `earliest[worker_id]` when that is
    earlier (it decides Ley 73 or Ley 97: `Worker.pension_regime`), in one transaction. Returns how many
    changed."""
    with transaction.atomic():
        ops = connection.ops
        changes = [
            (pk, current, earliest[pk])
            for pk, current in Worker.objects.filter(pk__in=list(earliest)).values_list("pk", "first_contribution_on")
            if current is None or current > earliest[pk]
        ]
        update_rows(
            "people_worker",
            (("first_contribution_on", "date"),),
            [(pk, ops.adapt_datefield_value(new)) for pk, _, new in changes],
        )
        audit_record_many(
            actor=actor,
            changes=[
                Change(
                    action=PeopleAction.FIRST_CONTRIBUTION_SET,
                    subject=("people.worker", pk),
                    worker_id=pk,
                    before={"first_contribution_on": current},
                    after={"first_contribution_on": new},
                )
                for pk, current, new in changes
            ],
        )
        return len(changes)
