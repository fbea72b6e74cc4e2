from __future__ import annotations

import sys
from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from micuenta.core.actors import Actor
from micuenta.core.money import format_pesos
from micuenta.savings.errors import YieldError
from micuenta.savings.models import POCKETS_WITH_YIELD, SubaccountPocket
from micuenta.savings.services.yields import yields_post
from micuenta.savings.yields import MONTHLY, crediting, crediting_conflict, rate_for, yield_periods


class Command(BaseCommand):
    help = (
        "Abona los rendimientos de la Subcuenta de Vivienda de un año con la tasa anual de la tabla de tasas "
        "(anual: al 31 de diciembre; mensual: al cierre de cada mes ya terminado). Ejecutarlo otra vez no "
        "abona nada nuevo."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="año de los rendimientos, por ejemplo 2025")
        parser.add_argument("--no-progress", action="store_true", help="sin barra de avance")
        parser.add_argument(
            "--allow-unconfirmed",
            action="store_true",
            help="abonar aunque la tasa del año no esté confirmada con una publicación del Instituto",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        today = timezone.localdate()
        try:
            mode = crediting()
        except YieldError as exc:
            raise CommandError(exc.message) from exc
        periods = [p for p in yield_periods(year, mode) if p.end < today]
        if not periods:
            raise CommandError(
                f"Ningún periodo de {year} ha terminado todavía: los rendimientos se abonan al cierre del "
                + ("mes." if mode == MONTHLY else "año (31 de diciembre).")
            )
        conflict = crediting_conflict(year, mode)
        if conflict is not None:
            raise CommandError(
                f"Los rendimientos de {year} ya se abonaron con otro modo (hay un abono del {conflict:%d/%m/%Y}); "
                f"MICUENTA_YIELD_CREDITING es «{mode}». Usa el mismo modo todo el año."
            )
        try:
            rate = rate_for(year)
        except YieldError as exc:
            raise CommandError(exc.message) from exc
        if not rate.confirmed and not options["allow_unconfirmed"]:
            raise CommandError(
                f"La tasa de {year} ({rate.rate * 100:.2f} %) no está confirmada (fuente: {rate.source}). Confírmala "
                "en la administración (Tasas de rendimiento) o vuelve a ejecutar con --allow-unconfirmed."
            )
        self.stdout.write(
            f"Tasa de {year}: {rate.rate * 100:.2f} % anual ({'confirmada' if rate.confirmed else 'sin confirmar'}; "
            f"{rate.source}); abono {mode}."
        )
        pockets = SubaccountPocket.objects.filter(pocket__in=list(POCKETS_WITH_YIELD)).count()
        for period in periods:
            bar = (
                None
                if options["no_progress"]
                else tqdm(total=pockets, unit=" bolsas", file=sys.stderr, desc=period.key)
            )
            try:
                report = yields_post(
                    actor=Actor.system("post_yields"),
                    period=period,
                    progress=bar.update if bar is not None else None,
                )
            except YieldError as exc:
                raise CommandError(exc.message) from exc
            finally:
                if bar is not None:
                    bar.close()
            self.stdout.write(
                f"Rendimientos de {period.label} ({date.isoformat(period.end)}): {report.accounts} bolsas revisadas, "
                f"{report.posted} abonos nuevos por {format_pesos(report.total)}, {report.already} ya abonados antes."
            )
