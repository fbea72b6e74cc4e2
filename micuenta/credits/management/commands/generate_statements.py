from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from micuenta.credits import schedule
from micuenta.credits.management.month import parse_month
from micuenta.credits.selectors import statement_credit_ids
from micuenta.credits.tasks import STATEMENTS_PER_TASK, generate_statements


class Command(BaseCommand):
    help = (
        "Genera los estados de cuenta mensuales de un mes ya cerrado (AAAA-MM) para todos los créditos, en tareas "
        "de fondo de mil créditos cada una. Los que ya existen no se repiten."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--month", required=True, help="mes cerrado, por ejemplo 2026-03")

    def handle(self, *args: Any, **options: Any) -> None:
        month = parse_month(options["month"])
        if schedule.add_months(month, 1) > timezone.localdate():
            raise CommandError(f"El mes {options['month']} no ha terminado: su estado de cuenta sale al corte.")
        ids = statement_credit_ids(month)
        tasks = 0
        for start in range(0, len(ids), STATEMENTS_PER_TASK):
            generate_statements.enqueue(month.isoformat(), ids[start : start + STATEMENTS_PER_TASK])
            tasks += 1
        self.stdout.write(
            f"Créditos sin estado de cuenta de {month:%m/%Y}: {len(ids):,}\n"
            f"Tareas en cola: {tasks:,} (las ejecuta el proceso de tareas de fondo)"
        )
