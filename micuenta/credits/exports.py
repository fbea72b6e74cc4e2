"""The "Estado de cuenta histórico" as files: CSV for a spreadsheet (UTF-8 with BOM, formula-safe cells) and the
PDFs, rendered by the same WeasyPrint helper as Mi ahorro's."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from micuenta.credits.selectors import HistoryRow
from micuenta.savings.exports import _Line, _text, render_pdf

HISTORY_HEADER = ("fecha", "concepto", "cargo", "pago", "saldo_a_favor", "saldo")

__all__ = ["HISTORY_HEADER", "history_csv_lines", "render_pdf"]


def history_csv_lines(rows: Iterable[HistoryRow]) -> Iterator[str]:
    """The history, oldest first, line by line; the byte order mark first so that Excel reads the accents."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(HISTORY_HEADER)
    for row in rows:
        yield writer.writerow(
            (row.day.strftime("%d/%m/%Y"), _text(row.concept), row.charge, row.payment, row.excess, row.balance)
        )
