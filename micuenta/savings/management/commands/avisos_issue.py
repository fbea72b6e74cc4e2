"""Issue the avisos de descuentos every credit's state calls for (savings/avisos.py); idempotent, for a daily run
after the feeds (and at `make run`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from micuenta.core.actors import Actor
from micuenta.credits.models import Credit, CreditStatus, Regime
from micuenta.savings.avisos import avisos_ensure


class Command(BaseCommand):
    help = "Emite los avisos de retención, modificación y suspensión de descuentos que faltan."

    def handle(self, *args: Any, **options: Any) -> None:
        actor = Actor.system("avisos_issue")
        issued = 0
        candidates = Credit.objects.filter(regime=Regime.ROA) | Credit.objects.filter(status=CreditStatus.LIQUIDADO)
        for credit in candidates.select_related("worker").order_by("pk").iterator(chunk_size=500):
            issued += len(avisos_ensure(actor=actor, credit=credit))
        self.stdout.write(f"Avisos emitidos: {issued}")
