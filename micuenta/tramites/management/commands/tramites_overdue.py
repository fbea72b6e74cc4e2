"""Mark the trámites past their due date and tell the supervisors once (daily; running it again does nothing)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from micuenta.core.actors import Actor
from micuenta.tramites.services import cases_mark_overdue


class Command(BaseCommand):
    help = "Marca las solicitudes de trámites vencidas y avisa una vez a quienes las supervisan (diario, idempotente)."

    def handle(self, *args: Any, **options: Any) -> None:
        marked = cases_mark_overdue(actor=Actor.system("tramites_overdue"))
        self.stdout.write(f"tramites_overdue: {marked} solicitudes vencidas nuevas")
