"""Writes of the core: the rules that staff keep in the administration (micuenta.core.policies)."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.forms.models import model_to_dict

from micuenta.core.actors import Actor
from micuenta.core.audit import AuditAction, audit_record


class RuleAction(AuditAction):
    RULE_SAVED = "regla.guardada"


class AdminAction(AuditAction):
    ADDED = "administracion.alta"
    CHANGED = "administracion.cambio"
    DELETED = "administracion.baja"


def rule_row_save(*, actor: Actor, row: models.Model, reason: str = "") -> models.Model:
    """Save a row of a rule (a rate, a factor) that a member of staff entered or corrected, with an audit event of
    its values before and after: a rule decides what people are charged or credited."""
    with transaction.atomic():
        before: dict[str, Any] = {}
        if row.pk is not None:
            stored = type(row)._default_manager.select_for_update().filter(pk=row.pk).first()
            before = model_to_dict(stored) if stored is not None else {}
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
