"""The "Resumen de movimientos" as files: CSV for a spreadsheet and PDF to keep or print (micuenta.documents).

Both take every movement the filter selects, read with one query through an iterator, so the number of queries
does not grow with the history.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from micuenta.core.csv_export import csv_stream, formula_safe
from micuenta.core.money import money
from micuenta.ledger.models import Posting
from micuenta.savings.models import Pocket
from micuenta.savings.selectors import MOVEMENT_TYPES

CSV_HEADER = ("fecha", "tipo", "concepto", "bolsa", "monto")
ITERATOR_CHUNK = 2000
POCKET_LABELS = {pocket.value: pocket.label for pocket in Pocket}


@dataclass(frozen=True)
class MovementLine:
    fecha: date
    tipo: str
    concepto: str
    bolsa: str
    monto: Decimal  # + came in, − went out, as the pages show it


def movement_lines(postings: QuerySet[Posting]) -> Iterator[MovementLine]:
    """Every posting as the worker reads it, without the explanations of the page (they need more queries)."""
    for posting in postings.iterator(chunk_size=ITERATOR_CHUNK):
        txn = posting.transaction
        pocket = posting.account.code.rsplit(":", 1)[-1]
        yield MovementLine(
            fecha=txn.effective_date,
            tipo=MOVEMENT_TYPES.get(txn.kind, "Otro movimiento"),
            concepto=txn.description,
            bolsa=POCKET_LABELS.get(pocket, pocket),
            monto=money(-posting.amount),
        )


def csv_lines(postings: QuerySet[Posting]) -> Iterator[str]:
    """The CSV, line by line (micuenta.core.csv_export: byte order mark, formula-safe cells)."""
    return csv_stream(
        CSV_HEADER,
        (
            (
                line.fecha.strftime("%d/%m/%Y"),
                formula_safe(line.tipo),
                formula_safe(line.concepto),
                formula_safe(line.bolsa),
                line.monto,
            )
            for line in movement_lines(postings)
        ),
    )
