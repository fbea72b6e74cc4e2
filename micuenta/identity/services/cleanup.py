"""What the account flows leave behind: expired registrations, old codes, spent challenges, lapsed sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from micuenta.core.actors import Actor
from micuenta.identity.models import ConfirmationCode, Registration, UsedChallenge
from micuenta.identity.services.sessions import sessions_close_lapsed


@dataclass(frozen=True)
class Leftovers:
    registrations: int
    codes: int
    challenges: int
    sessions: int


def leftovers_remove(*, actor: Actor) -> Leftovers:
    """Remove what the account flows left behind, and end the sessions that lapsed.

    Registrations expired (24 h) or completed a day ago, codes older than a day, expired challenges. Safe to run
    at any time."""
    now = timezone.now()
    with transaction.atomic():
        registrations, _ = Registration.objects.filter(
            Q(expires_at__lte=now) | Q(completed_at__lte=now - timedelta(days=1))
        ).delete()
        codes, _ = ConfirmationCode.objects.filter(created_at__lte=now - timedelta(days=1)).delete()
        challenges, _ = UsedChallenge.objects.filter(expires_at__lte=now).delete()
        sessions = sessions_close_lapsed(actor=actor)
    return Leftovers(registrations=registrations, codes=codes, challenges=challenges, sessions=sessions)
