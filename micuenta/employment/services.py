"""Writes of the employment domain: what the IMSS employment movements file changes (docs/feeds.md)."""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction

from micuenta.core.actors import Actor
from micuenta.core.audit import Change, audit_record_many
from micuenta.core.db.bulk import update_rows
from micuenta.employment.audit import EmploymentAction
from micuenta.employment.models import Employer, EmploymentMovement, EmploymentRelation
from micuenta.employment.relations import RelationState
from micuenta.people.services import workers_first_contribution_set


def employment_movements_record(
    *,
    actor: Actor,
    new_employers: dict[str, Employer],
    employers: dict[str, Employer],
    relations: dict[int, list[RelationState]],
    first_alta: dict[int, date],
) -> None:
    """Write what a chunk of the IMSS file changed: new employers, new and changed relations, their movements,
    and each worker's first contribution date, with one audit event per movement, in one transaction."""
    with transaction.atomic():
        Employer.objects.bulk_create(list(new_employers.values()), batch_size=2000)
        fresh = [(w, r) for w, rs in relations.items() for r in rs if r.pk is None]
        created = EmploymentRelation.objects.bulk_create(
            [
                EmploymentRelation(
                    worker_id=w,
                    employer_id=employers[r.employer_key].pk,
                    started_on=r.started_on,
                    ended_on=r.ended_on,
                    sbc=r.sbc,
                )
                for w, r in fresh
            ],
            batch_size=2000,
        )
        for (_, r), row in zip(fresh, created, strict=True):
            r.pk = row.pk
        fresh_ids = {row.pk for row in created}
        changed = [r for rs in relations.values() for r in rs if r.changed]
        ops = connection.ops
        update_rows(
            "employment_employmentrelation",
            (("ended_on", "date"), ("sbc", "numeric")),
            [
                (r.pk, ops.adapt_datefield_value(r.ended_on), ops.adapt_decimalfield_value(r.sbc, 10, 2))
                for r in changed
                if r.pk is not None and r.pk not in fresh_ids
            ],
        )
        EmploymentMovement.objects.bulk_create(
            [
                EmploymentMovement(relation_id=r.pk, kind=kind, effective_on=effective_on, sbc=sbc)
                for r in changed
                if r.pk is not None
                for kind, effective_on, sbc in r.new_movements
            ],
            batch_size=2000,
        )
        audit_record_many(
            actor=actor,
            changes=[
                Change(
                    action=EmploymentAction.MOVEMENT_RECORDED,
                    subject=("employment.employmentrelation", r.pk),
                    worker_id=worker_id,
                    after={
                        "kind": kind,
                        "effective_on": effective_on,
                        "sbc": sbc,
                        "employer": employers[r.employer_key].pk,
                    },
                )
                for worker_id, rs in relations.items()
                for r in rs
                if r.changed and r.pk is not None
                for kind, effective_on, sbc in r.new_movements
            ],
        )
        # The first contribution to the IMSS decides Ley 73 or Ley 97 (people.Worker.pension_regime).
        workers_first_contribution_set(actor=actor, earliest=first_alta)
