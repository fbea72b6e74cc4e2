"""Writes of the core: the rules that staff keep in the administration (micuenta.core.policies)."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.forms.models import model_to_dict

from micuenta.core.actors import Actor
from micuenta.core.audit import AuditAction, audit_record


class RuleAction(AuditAction):
    RULE_SAVED = "regla.guardada"


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
