"""Remove what the account flows leave behind: expired registrations, old codes, spent challenges.

Run it every hour (cron or a scheduler); it is safe to run at any time.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from micuenta.core.actors import Actor
from micuenta.identity.services.cleanup import leftovers_remove


class Command(BaseCommand):
    help = (
        "Borra registros vencidos (24 h), códigos de más de un día y retos de seguridad vencidos, y da por "
        "terminadas las sesiones que vencieron sin volver."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        removed = leftovers_remove(actor=Actor.system("identity_cleanup"))
        self.stdout.write(
            f"registros: {removed.registrations}, códigos: {removed.codes}, retos: {removed.challenges}, "
            f"sesiones vencidas: {removed.sessions}"
        )
