"""Writes of the people domain: what other domains' data changes of a worker."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from micuenta.core.actors import Actor
from micuenta.core.audit import Change, audit_record, audit_record_many
from micuenta.core.db.bulk import update_rows
from micuenta.core.errors import ApplicationError, ErrorCode
from micuenta.people.audit import PeopleAction
from micuenta.people.models import Worker, WorkerCorrection


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


class PeopleCode(ErrorCode):
    CORRECTION_INVALID = "correccion_invalida"
    CURP_TAKEN = "curp_de_otra_persona"


# The fields a correction may change, and how the audit trail names them (without their values).
CORRECTABLE = ("nombre", "primer_apellido", "segundo_apellido", "curp", "rfc")


def worker_identity_correct(*, actor: Actor, worker_id: int, changes: dict[str, str], reference: str) -> Worker:
    """Change a worker's name, CURP or RFC after a correction was proved (`reference`: the trámite's folio).

    Each value before and after is kept in `WorkerCorrection`; the audit trail records which fields changed,
    never their values. Refused (ApplicationError) when a value fails the field's rules or the CURP belongs to
    another worker; nothing is written then."""
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise ValueError(f"not correctable: {sorted(unknown)}")
    with transaction.atomic():
        worker = Worker.objects.select_for_update().get(pk=worker_id)
        before = {name: getattr(worker, name) for name in changes}
        for name, value in changes.items():
            setattr(worker, name, value)
        if "curp" in changes and Worker.objects.filter(curp=worker.curp.strip().upper()).exclude(pk=worker.pk).exists():
            raise ApplicationError(
                PeopleCode.CURP_TAKEN,
                "Esa CURP ya está registrada con otro Número de Seguridad Social. Acude a un Centro de Servicio "
                "Infonavit (CESI) para unificar tus cuentas.",
            )
        try:
            worker.full_clean()
        except ValidationError as error:
            raise ApplicationError(
                PeopleCode.CORRECTION_INVALID,
                " ".join(error.messages),
                details={"fields": sorted(getattr(error, "error_dict", {}))},
            ) from None
        worker.save(update_fields=list(changes))
        changed = [name for name in changes if before[name] != getattr(worker, name)]
        WorkerCorrection.objects.bulk_create(
            WorkerCorrection(
                worker=worker, field=name, old_value=before[name], new_value=getattr(worker, name), reference=reference
            )
            for name in changed
        )
        audit_record(
            actor=actor,
            action=PeopleAction.IDENTITY_CORRECTED,
            subject=worker,
            worker_id=worker.pk,
            after={"fields": changed, "reference": reference},
        )
    return worker
