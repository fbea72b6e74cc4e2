"""Remove what the account flows leave behind: expired registrations, old codes, spent challenges.

Run it every hour (cron or a scheduler); it is safe to run at any time.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from micuenta.identity.models import ConfirmationCode, Registration, UsedChallenge
from micuenta.identity.services import sessions_close_lapsed


class Command(BaseCommand):
    help = (
        "Borra registros vencidos (24 h), códigos de más de un día y retos de seguridad vencidos, y da por "
        "terminadas las sesiones que vencieron sin volver."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        registrations, _ = Registration.objects.filter(
            Q(expires_at__lte=now) | Q(completed_at__lte=now - timedelta(days=1))
        ).delete()
        codes, _ = ConfirmationCode.objects.filter(created_at__lte=now - timedelta(days=1)).delete()
        challenges, _ = UsedChallenge.objects.filter(expires_at__lte=now).delete()
        sessions = sessions_close_lapsed()
        self.stdout.write(
            f"registros: {registrations}, códigos: {codes}, retos: {challenges}, sesiones vencidas: {sessions}"
        )
