from __future__ import annotations

import sys
import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from micuenta.demo.population import DEFAULT_AS_OF, AlreadySeeded, population_seed


class Command(BaseCommand):
    help = "Make a synthetic population: workers, employers, histories, contributions, yields and credits."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, required=True, help="how many people")
        parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same people")
        parser.add_argument("--as-of", type=date.fromisoformat, default=DEFAULT_AS_OF, help="YYYY-MM-DD")
        parser.add_argument("--chunk-size", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        workers: int = options["workers"]
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        started = time.monotonic()
        interactive = sys.stdout.isatty()

        def progress(done: int, total: int) -> None:
            rate = done / max(time.monotonic() - started, 1e-9)
            width = 30
            filled = int(width * done / total)
            line = f"[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} people  {rate:,.0f}/s"
            self.stdout.write(("\r" if interactive else "") + line, ending="" if interactive else "\n")
            self.stdout.flush()

        try:
            report = population_seed(
                workers=workers,
                seed=options["seed"],
                as_of=options["as_of"],
                chunk_size=options["chunk_size"],
                progress=progress,
            )
        except AlreadySeeded as exc:
            raise CommandError(f"{exc}; use another --seed or a fresh database") from exc
        if interactive:
            self.stdout.write("")
        self.stdout.write(
            f"Population (seed {options['seed']}, as of {options['as_of']}): {report.workers:,} workers, "
            f"{report.employers:,} employers, {report.relations:,} employment relations, {report.movements:,} "
            f"movements, {report.contributions:,} contributions, {report.credits:,} credits, "
            f"{report.transactions:,} ledger transactions in {report.seconds:.1f} s "
            f"({report.workers / max(report.seconds, 1e-9):,.0f} workers/s)."
        )
