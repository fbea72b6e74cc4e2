"""Security locks of an account, their lifting, and "No fui yo"."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from micuenta.core.actors import Actor
from micuenta.core.audit import audit_record
from micuenta.identity.audit import IdentityAction
from micuenta.identity.errors import IdentityCode, IdentityError
from micuenta.identity.models import SecurityEvent, SecurityEventKind, User
from micuenta.identity.selectors import event_reportable, event_when, lock_needs_cesi
from micuenta.identity.services.history import notify_account, security_event_record
from micuenta.identity.services.sessions import sessions_revoke
from micuenta.identity.throttling import throttle_reset

LOCK_FIELDS = ["security_locked_at", "security_lock_reason", "security_lock_cesi_only"]
NOT_REPORTABLE_TEXT = (
    "Esto lo hizo el personal del Instituto al atender tu trámite: no es un acceso a tu cuenta y no hace falta "
    "bloquearla. Si tú no pediste ese trámite, alguien más pudo entrar a tu cuenta: busca en tu actividad el inicio "
    "de sesión que no reconozcas y usa «No fui yo» en él."
)


def _lock_state(user: User) -> dict[str, bool]:
    return {"locked": user.security_locked_at is not None, "cesi_only": user.security_lock_cesi_only}


def _lock_change(
    *, actor: Actor, user: User, updates: dict[str, Any], kind: str, action: IdentityAction, reason: str
) -> None:
    """Write a change of the account's lock, its line in the security history and its audit event (in the caller's
    transaction)."""
    before = _lock_state(user)
    User.objects.filter(pk=user.pk).update(**updates)
    user.refresh_from_db(fields=LOCK_FIELDS)
    security_event_record(actor=actor, kind=kind, user=user, detail=reason)
    audit_record(
        actor=actor,
        action=action,
        subject=user,
        worker_id=user.worker_id,
        before=before,
        after=_lock_state(user),
        reason=reason,
    )


def account_security_lock(*, actor: Actor, user: User, reason: str, cesi_only: bool = False) -> None:
    """Stop all sign-ins to the account until it is unlocked; its sessions end and its owner is told.

    A new password through the registered e-mail unlocks it, or, with cesi_only (the e-mail itself may have
    changed hands), only a CESI."""
    with transaction.atomic():
        _lock_change(
            actor=actor,
            user=user,
            updates={
                "security_locked_at": timezone.now(),
                "security_lock_reason": reason[:200],
                "security_lock_cesi_only": cesi_only,
            },
            kind=SecurityEventKind.SECURITY_LOCK,
            action=IdentityAction.SECURITY_LOCKED,
            reason=reason,
        )
        sessions_revoke(actor=actor, user=user)
        notify_account(user, "account_locked", {"reason": reason, "cesi_only": cesi_only})


def account_unlock(*, actor: Actor, user: User, reason: str) -> None:
    """Lift both locks: the security lock and the temporary one of failed sign-ins."""
    with transaction.atomic():
        _lock_change(
            actor=actor,
            user=user,
            updates={"security_locked_at": None, "security_lock_reason": "", "security_lock_cesi_only": False},
            kind=SecurityEventKind.UNLOCKED,
            action=IdentityAction.UNLOCKED,
            reason=reason,
        )
        throttle_reset(user)
        notify_account(user, "account_unlocked", {"reason": reason, "by_staff": actor.is_staff})


def account_unlock_by_reset(*, actor: Actor, user: User) -> bool:
    """Lift a "No fui yo" lock after a new password through the e-mail, unless only a CESI may lift it.

    Returns whether a lock was lifted. (The sign-in lock goes with the new password.)"""
    with transaction.atomic():
        user.refresh_from_db(fields=LOCK_FIELDS)
        if user.security_locked_at is None or user.security_lock_cesi_only:
            return False
        _lock_change(
            actor=actor,
            user=user,
            updates={"security_locked_at": None, "security_lock_reason": ""},
            kind=SecurityEventKind.UNLOCKED,
            action=IdentityAction.UNLOCKED,
            reason="Desbloqueada al crear una contraseña nueva con el enlace enviado a su correo.",
        )
        return True


def security_event_report(*, actor: Actor, user: User, event: SecurityEvent) -> bool:
    """Report a line of the history as "No fui yo": mark it, record the report, lock the account.

    The lock is CESI-only when the e-mail may have changed hands; returns whether it is. The view signs the
    person out. Refused for what the Institute's staff did on the person's trámites: not done from the account,
    locking it would protect nothing."""
    if not event_reportable(event):
        raise IdentityError(IdentityCode.NOT_REPORTABLE, NOT_REPORTABLE_TEXT)
    with transaction.atomic():
        marked = SecurityEvent.objects.filter(pk=event.pk, user=user, reported_at__isnull=True).update(
            reported_at=timezone.now()
        )
        if not marked:
            raise IdentityError(IdentityCode.ALREADY_REPORTED, "Ya reportaste esta actividad.")
        what = f"{event.get_kind_display()} del {event_when(event)}."
        security_event_record(actor=actor, kind=SecurityEventKind.REPORTED, user=user, detail=what)
        cesi_only = lock_needs_cesi(user, event)
        account_security_lock(
            actor=actor, user=user, reason=f"La persona reportó «No fui yo»: {what}", cesi_only=cesi_only
        )
        return cesi_only
