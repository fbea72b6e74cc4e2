from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from micuenta.core.models import Inpc
from micuenta.credits.services.constancias import constancia_credit_ids
from micuenta.credits.tasks import CONSTANCIAS_PER_TASK, generate_interest_years


class Command(BaseCommand):
    help = (
        "Calcula las cifras de la Constancia de Intereses de un ejercicio cerrado para todos los créditos que se "
        "debieron en ese año, en tareas de fondo de mil créditos cada una. Las que ya están calculadas no se "
        "repiten; el PDF de cada constancia se firma y se guarda la primera vez que alguien la pide "
        "(docs/documents.md)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--year", help="ejercicio fiscal cerrado, por ejemplo 2025")
        which.add_argument(
            "--latest", action="store_true", help="el último ejercicio cerrado cuyo INPC de diciembre ya se conoce"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["latest"]:
            closed = Inpc.objects.filter(month=12, year__lt=timezone.localdate().year).order_by("-year").first()
            if closed is None:
                raise CommandError("No hay ningún INPC de diciembre en los datos de referencia (docs/sources.md).")
            options["year"] = str(closed.year)
        text = str(options["year"]).strip()
        if not (text.isdigit() and len(text) == 4):
            raise CommandError(f"«{text}» no es un año: escríbelo con cuatro cifras, por ejemplo 2025.")
        year = int(text)
        if year >= timezone.localdate().year:
            raise CommandError(f"El ejercicio {year} no ha terminado: su constancia se calcula a partir de enero.")
        if not Inpc.objects.filter(year=year, month=12).exists():
            raise CommandError(
                f"Falta el INPC de diciembre de {year} (INEGI): agrégalo a los datos de referencia "
                "(docs/sources.md) y vuelve a ejecutar este comando."
            )
        ids = constancia_credit_ids(year)
        tasks = 0
        for start in range(0, len(ids), CONSTANCIAS_PER_TASK):
            generate_interest_years.enqueue(year, ids[start : start + CONSTANCIAS_PER_TASK])
            tasks += 1
        self.stdout.write(
            f"Créditos sin cifras de la constancia {year}: {len(ids):,}\n"
            f"Tareas en cola: {tasks:,} (las ejecuta el proceso de tareas de fondo)"
        )
