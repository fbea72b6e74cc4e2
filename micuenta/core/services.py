"""Writes of the core: the rules that staff keep in the administration (micuenta.core.policies)."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.forms.models import model_to_dict

from micuenta.core.actors import Actor
from micuenta.core.audit import AuditAction, audit_record
from micuenta.core.errors import ApplicationError, CoreCode


class RuleAction(AuditAction):
    RULE_SAVED = "regla.guardada"


class AdminAction(AuditAction):
    ADDED = "administracion.alta"
    CHANGED = "administracion.cambio"
    DELETED = "administracion.baja"


# What may still be corrected in a row of a rule that has been applied: where it comes from, and whether that
# source has been found published. Its value stays as the record of what was charged or credited.
CORRECTABLE_WHEN_APPLIED = frozenset({"source", "confirmed"})


def rule_is_applied(row: models.Model) -> bool:
    """Whether the rule's row has already been used to charge or credit someone (the model says how it knows)."""
    applied = getattr(row, "is_applied", None)
    return bool(applied()) if callable(applied) else False


def rule_row_save(*, actor: Actor, row: models.Model, reason: str = "") -> models.Model:
    """Save a row of a rule (a rate, a factor) that a member of staff entered or corrected, with an audit event of
    its values before and after: a rule decides what people are charged or credited. The value of a row already
    applied is refused: it stays as the record of what was charged; a change takes effect from a new row."""
    with transaction.atomic():
        before: dict[str, Any] = {}
        if row.pk is not None:
            stored = type(row)._default_manager.select_for_update().filter(pk=row.pk).first()
            before = model_to_dict(stored) if stored is not None else {}
            changed = {name for name, value in model_to_dict(row).items() if before.get(name) != value}
            if stored is not None and rule_is_applied(stored) and changed - CORRECTABLE_WHEN_APPLIED:
                raise ApplicationError(
                    CoreCode.RULE_ALREADY_APPLIED,
                    "Esta regla ya se aplicó a cobros o abonos: su valor no se corrige aquí, solo su fuente y si "
                    "está confirmada. Para cambiarla, agrega una fila nueva con la fecha desde la que rige.",
                    details={"fields": sorted(changed - CORRECTABLE_WHEN_APPLIED)},
                )
        row.full_clean()
        row.save()
        audit_record(actor=actor, action=RuleAction.RULE_SAVED, subject=row, before=before, after=model_to_dict(row),
                     reason=reason)  # fmt: skip
    return row


def admin_change_record(*, actor: Actor, obj: models.Model, action: AdminAction, message: str) -> None:
    """Record in the audit trail a change a member of staff made in the administration (what Django's admin
    history says: the fields changed, never their values), in the admin's own transaction."""
    audit_record(
        actor=actor,
        action=action,
        subject=obj,
        worker_id=getattr(obj, "worker_id", None),
        after={"change": message[:400]},
    )
