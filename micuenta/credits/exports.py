"""The "Estado de cuenta histórico" as files: CSV for a spreadsheet (micuenta.core.csv_export: UTF-8 with BOM,
formula-safe cells); its PDFs are made by micuenta.documents."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from micuenta.core.csv_export import csv_stream, formula_safe
from micuenta.credits.selectors import HistoryRow

HISTORY_HEADER = ("fecha", "concepto", "cargo", "pago", "saldo_a_favor", "saldo")

__all__ = ["HISTORY_HEADER", "history_csv_lines"]


def history_csv_lines(rows: Iterable[HistoryRow]) -> Iterator[str]:
    """The history, oldest first, line by line."""
    return csv_stream(
        HISTORY_HEADER,
        ((r.day.strftime("%d/%m/%Y"), formula_safe(r.concept), r.charge, r.payment, r.excess, r.balance) for r in rows),
    )
