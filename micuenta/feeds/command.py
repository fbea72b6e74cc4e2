"""The shared shape of the feed commands: progress bar, summary, exit status (docs/feeds.md)."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from micuenta.core.actors import Actor
from micuenta.core.money import format_pesos
from micuenta.feeds.models import FeedKind, ImportRun
from micuenta.feeds.runner import DEFAULT_CHUNK_SIZE, FeedProcessor, FeedUnreadable, FileFacts, feed_run

EXIT_UNREADABLE = 2


class FeedCommand(BaseCommand):
    """Subclasses set `help` and `job` (the command's name, the actor of what it posts) and build their processor."""

    job = "carga"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="archivo CSV (UTF-8, con encabezado)")
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=DEFAULT_CHUNK_SIZE,
            help=f"líneas por transacción (por omisión {DEFAULT_CHUNK_SIZE})",
        )
        parser.add_argument("--no-progress", action="store_true", help="sin barra de avance")

    def processor(self) -> FeedProcessor:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        bar: tqdm[Any] | None = None

        def started(facts: FileFacts) -> None:
            nonlocal bar
            if not options["no_progress"]:
                bar = tqdm(total=facts.data_lines, unit=" líneas", file=sys.stderr, desc=path.name, leave=True)

        def advanced(count: int) -> None:
            if bar is not None:
                bar.update(count)

        try:
            run = feed_run(
                actor=Actor.system(self.job),
                processor=self.processor(),
                path=path,
                chunk_size=max(1, options["chunk_size"]),
                progress=advanced,
                on_start=started,
            )
        except FeedUnreadable as exc:
            self.stderr.write(f"No se procesó el archivo: {exc.message}")
            sys.exit(EXIT_UNREADABLE)
        finally:
            if bar is not None:
                bar.close()
        self.stdout.write(summary(run))


def summary(run: ImportRun) -> str:
    """The report printed at the end, the same figures the back office shows."""
    rows = [
        f"Archivo: {run.file_name} ({run.get_kind_display()})",
        f"Carga número {run.pk}",
        f"Líneas: {run.lines}",
        f"Registradas: {run.posted}",
        f"Ya registradas antes (duplicadas): {run.duplicates}",
        f"Repetidas dentro del archivo: {run.repeated_in_file}",
        f"En cuarentena: {run.quarantined}",
    ]
    for label, value in run.labelled_totals:
        rows.append(f"{label}: {format_pesos(value)}")
    if run.quarantined:
        rows.append(f"Las líneas en cuarentena y su motivo están en el back office (carga {run.pk}).")
    if run.posted and run.kind in (FeedKind.EMPLOYMENT, FeedKind.EMPLOYER_PAYMENTS):
        rows.append("La lista de patrones con aportaciones omitidas se actualiza en segundo plano.")
    return "\n".join(rows)
