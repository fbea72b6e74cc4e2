from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from micuenta.savings.services.gaps import contribution_gaps_refresh


class Command(BaseCommand):
    help = "Recalcula la lista de aportaciones omitidas o incompletas de todos los trabajadores (back office)."

    def handle(self, *args: Any, **options: Any) -> None:
        stored = contribution_gaps_refresh()
        self.stdout.write(f"Aportaciones omitidas o incompletas: {stored}.")
