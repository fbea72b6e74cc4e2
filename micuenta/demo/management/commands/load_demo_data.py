from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from micuenta.demo.services import DemoModeRequired, demo_data_load


class Command(BaseCommand):
    help = "Load the synthetic demo data (demo mode only). Safe to run again: it adds no duplicates."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = demo_data_load()
        except DemoModeRequired as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Demo data: {report.created} accounts created, {report.existing} already present; "
            f"{report.people} demo people with their histories, savings and credits."
        )
