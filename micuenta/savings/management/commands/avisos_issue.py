"""Issue the avisos de descuentos every credit's state calls for (savings/avisos.py); idempotent. The feeds already
queue the avisos of the workers each file touched; this daily run catches what changes without a file (the yearly
UMI/VSM update of a discount) and is run by `make run`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from micuenta.core.actors import Actor
from micuenta.savings.avisos import avisos_issue_missing


class Command(BaseCommand):
    help = "Emite los avisos de retención, modificación y suspensión de descuentos que faltan."

    def handle(self, *args: Any, **options: Any) -> None:
        issued = avisos_issue_missing(actor=Actor.system("avisos_issue"))
        self.stdout.write(f"Avisos emitidos: {issued}")
