"""The security history ("Actividad de seguridad") and the notices sent to an account's contacts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from micuenta.core.actors import Actor, ActorKind
from micuenta.core.clients import ClientInfo, device_of, network_of, place_of
from micuenta.documents.hooks import DocumentNotice
from micuenta.documents.models import OfficialDocument
from micuenta.identity.models import SecurityEvent, SecurityEventKind, User
from micuenta.identity.selectors import REAUTH_DETAIL
from micuenta.notifications.models import Channel
from micuenta.notifications.services import notification_send
from micuenta.people.models import Worker

NO_CLIENT = ClientInfo(network="", device="", place="")


def client_of(actor: Actor) -> ClientInfo:
    """Where the history may say the actor acts from: network (/24 or /48), device summary, approximate place.

    Nothing for the system, or for an actor built without a request."""
    if actor.kind == ActorKind.SYSTEM or not (actor.address or actor.user_agent):
        return NO_CLIENT
    return ClientInfo(
        network=network_of(actor.address), device=device_of(actor.user_agent), place=place_of(actor.address)
    )


def security_event_record(
    *,
    actor: Actor,
    kind: str,
    user: User | None = None,
    worker: Worker | None = None,
    detail: str = "",
) -> SecurityEvent:
    """Add a line to the account's (or, without an account, the worker's) security history.

    A member of staff acting on someone else's account is named on the line ("personal"). Their browser and
    approximate place are not the person's and are not kept on it (the audit trail keeps who acted and from which
    network); the network stays for the back office's log of lookups, and the person's page never shows it."""
    info = client_of(actor)
    if worker is None and user is not None:
        worker = user.worker
    staff_id = actor.user_id if actor.is_staff and (user is None or actor.user_id != user.pk) else None
    if staff_id is not None:
        info = ClientInfo(network=info.network, device="", place="")
    with transaction.atomic():
        return SecurityEvent.objects.create(
            user=user,
            worker=worker,
            kind=kind,
            network=info.network,
            device=info.device,
            place=info.place,
            detail=detail[:300],
            actor_id=staff_id,
        )


def notify_account(user: User, template: str, context: dict[str, Any] | None = None, *, sms: bool = False) -> None:
    """Notify the account by e-mail (and SMS with sms=True) through the outbox, in the caller's transaction."""
    context = {"user": user, "base_url": settings.MICUENTA_BASE_URL, **(context or {})}
    notification_send(channel=Channel.EMAIL, to=user.email, template=template, context=context)
    if sms and user.mobile:
        notification_send(channel=Channel.SMS, to=user.mobile, template=template, context=context)


def document_issued_notify(document: OfficialDocument, notice: DocumentNotice) -> None:
    """A document issued for the person without their asking (documents/hooks.py): an e-mail that names it, says
    what to do with it and where to download it; nothing of what it prints."""
    if document.worker_id is None:
        return
    user = User.objects.filter(worker_id=document.worker_id, is_active=True).first()
    if user is not None:
        notify_account(user, "documento_emitido", {"document": document, "notice": notice})


# --- Sign-in and sign-out (history only: they change nothing of the account) ---------------------------


def login_record(*, actor: Actor, user: User) -> SecurityEvent:
    """A sign-in, in the account's history."""
    return security_event_record(actor=actor, kind=SecurityEventKind.LOGIN, user=user)


def logout_record(*, actor: Actor, user: User) -> SecurityEvent:
    """A sign-out with the button, in the account's history."""
    return security_event_record(actor=actor, kind=SecurityEventKind.LOGOUT, user=user)


def login_failure_record(*, actor: Actor, user: User, detail: str = "") -> SecurityEvent:
    """A wrong password for a known account, in its history."""
    return security_event_record(actor=actor, kind=SecurityEventKind.LOGIN_FAILED, user=user, detail=detail)


def reauth_failure_record(*, actor: Actor, user: User) -> SecurityEvent:
    """A wrong "Contraseña actual" on Mi perfil › Seguridad (the pages count these to pause their forms)."""
    return login_failure_record(actor=actor, user=user, detail=REAUTH_DETAIL)


def login_lock_record(*, actor: Actor, user: User, until: datetime) -> bool:
    """Record that the account reached the limit of failed sign-ins, and e-mail its owner, once per lock.

    axes signals every refused try while locked. Returns whether this call recorded it."""
    with transaction.atomic():
        if SecurityEvent.objects.filter(
            user=user, kind=SecurityEventKind.LOCKED, created_at__gte=timezone.now() - settings.AXES_COOLOFF_TIME
        ).exists():
            return False
        security_event_record(actor=actor, kind=SecurityEventKind.LOCKED, user=user)
        notify_account(user, "login_locked", {"until": until})
        return True
