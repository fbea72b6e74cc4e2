"""Signed-in sessions: each one's row under "Sesiones activas", and ending one or every session of an account.

The session store is the database (`SESSION_ENGINE = django.contrib.sessions.backends.db`), so a session's
store row goes with the caller's transaction like any other row.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from micuenta.core.actors import Actor
from micuenta.identity.models import DeviceSession, SecurityEventKind, User
from micuenta.identity.selectors import sessions_live
from micuenta.identity.services.history import client_of, security_event_record


def _session_store(key: str) -> SessionBase:
    engine = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    store: SessionBase = engine(session_key=key)
    return store


def device_session_start(*, actor: Actor, user: User) -> DeviceSession:
    """List the actor's session, just signed in, under "Sesiones activas"."""
    info = client_of(actor)
    now = timezone.now()
    with transaction.atomic():
        row, _ = DeviceSession.objects.update_or_create(
            session_key=actor.session_key,
            defaults={
                "user": user,
                "network": info.network,
                "device": info.device,
                "place": info.place,
                "created_at": now,
                "last_seen_at": now,
                "ended_at": None,
            },
        )
        return row


def device_session_stop(*, actor: Actor) -> None:
    """The actor's own session signed out (the button, the idle limit, the CESI's door): its row leaves the list."""
    if not actor.session_key:
        return
    with transaction.atomic():
        DeviceSession.objects.filter(session_key=actor.session_key, ended_at__isnull=True).update(
            ended_at=timezone.now()
        )


def device_session_seen(*, actor: Actor) -> None:
    """The actor's session is in use: its "last seen" time moves on (written at most once a minute)."""
    if not actor.session_key:
        return
    with transaction.atomic():
        DeviceSession.objects.filter(session_key=actor.session_key).update(last_seen_at=timezone.now())


def device_session_rekey(*, actor: Actor, old_key: str | None, new_key: str | None) -> None:
    """Point the session's row at its new id, after cycle_key or update_session_auth_hash.

    So that it can still be listed and closed from elsewhere."""
    if old_key and new_key and new_key != old_key:
        with transaction.atomic():
            DeviceSession.objects.filter(session_key=old_key).update(session_key=new_key)


def _session_end(device_session: DeviceSession) -> None:
    _session_store(device_session.session_key).delete()
    DeviceSession.objects.filter(pk=device_session.pk, ended_at__isnull=True).update(ended_at=timezone.now())


def device_session_end(*, actor: Actor, user: User, device_session: DeviceSession) -> None:
    """End one signed-in session of the account, wherever it is ("Cerrar" in Sesiones activas)."""
    device = device_session.device or "un dispositivo"
    with transaction.atomic():
        _session_end(device_session)
        security_event_record(
            actor=actor,
            kind=SecurityEventKind.SESSION_ENDED,
            user=user,
            detail=f"Cerraste la sesión de {device} desde Mi perfil › Seguridad.",
        )


def sessions_revoke(*, actor: Actor, user: User, except_key: str | None = None) -> int:
    """End every session of the account, as part of a change whose own history line says why.

    A lock, a new password, the CESI's actions. Returns how many listed sessions ended. The account's session
    epoch goes up, which invalidates every session at its next request, listed or not; the listed ones also lose
    their row in the session store. With except_key, the caller keeps that session and must call
    update_session_auth_hash(request, user) with this same user object."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
        user.refresh_from_db(fields=["session_epoch"])
        ended = 0
        since = timezone.now() - timedelta(seconds=settings.MICUENTA_SESSION_ABSOLUTE_SECONDS)
        for device_session in DeviceSession.objects.filter(user=user, created_at__gte=since):
            if except_key and device_session.session_key == except_key:
                continue
            if device_session.ended_at is None:
                ended += 1
            _session_end(device_session)
        return ended


def sessions_end_all(*, actor: Actor, user: User) -> int:
    """ "Cerrar sesión en todos los dispositivos": every session ends, the actor's too. Returns how many."""
    with transaction.atomic():
        ended = sessions_revoke(actor=actor, user=user)
        security_event_record(
            actor=actor,
            kind=SecurityEventKind.LOGOUT_ALL,
            user=user,
            detail=f"{ended} {'sesión cerrada' if ended == 1 else 'sesiones cerradas'}.",
        )
        return ended


def sessions_close_lapsed(*, actor: Actor) -> int:
    """Mark as ended the sessions that ran out without coming back (their store rows expire on their own)."""
    with transaction.atomic():
        live = sessions_live().values("pk")
        return DeviceSession.objects.filter(ended_at__isnull=True).exclude(pk__in=live).update(ended_at=timezone.now())
