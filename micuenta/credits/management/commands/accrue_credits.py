from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from micuenta.core.actors import Actor
from micuenta.core.money import format_pesos
from micuenta.credits.errors import ServicingError
from micuenta.credits.management.month import parse_month
from micuenta.credits.services.accrual import credits_accrue


class Command(BaseCommand):
    help = (
        "Emite las mensualidades de los créditos hasta el mes dado (AAAA-MM): intereses sobre el capital, seguro de "
        "daños, cuotas y, cada enero, la actualización de los créditos en VSM, al libro contable. Los meses "
        "anteriores que falten se emiten primero; ejecutarlo otra vez no emite nada nuevo."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--month", required=True, help="mes a emitir, por ejemplo 2026-03")
        parser.add_argument(
            "--allow-unconfirmed",
            action="store_true",
            help="aplicar un factor de actualización VSM que no está confirmado con una publicación",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        month = parse_month(options["month"])
        try:
            report = credits_accrue(
                actor=Actor.system("accrue_credits"), month=month, allow_unconfirmed=options["allow_unconfirmed"]
            )
        except ServicingError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Créditos con mensualidades nuevas: {report.credits:,}\n"
            f"Mensualidades emitidas: {report.instalments:,}\n"
            f"Intereses: {format_pesos(report.interest)}\n"
            f"Seguro de daños y cuotas: {format_pesos(report.charges)}\n"
            f"Actualización de créditos en VSM: {format_pesos(report.capital_update)}"
        )
        if report.unconfirmed_years:
            years = ", ".join(str(y) for y in sorted(report.unconfirmed_years))
            self.stderr.write(f"Se aplicaron factores VSM sin confirmar de: {years}.")
