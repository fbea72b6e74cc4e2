"""The "Resumen de movimientos" as files: CSV for a spreadsheet and PDF to keep or print.

Both take every movement the filter selects, read with one query through an iterator, so the number of queries
does not grow with the history.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from micuenta.core.money import money
from micuenta.ledger.models import Posting
from micuenta.savings.models import Pocket
from micuenta.savings.selectors import MOVEMENT_TYPES

CSV_HEADER = ("fecha", "tipo", "concepto", "bolsa", "monto")
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection); a leading apostrophe
# keeps it text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ITERATOR_CHUNK = 2000
PDF_BASE = Path(__file__).resolve().parent / "templates" / "savings"
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


def _text(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_START) else value


class _Line:
    """A file-like object for csv.writer that hands back each line instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(postings: QuerySet[Posting]) -> Iterator[str]:
    """The CSV, line by line: a UTF-8 byte order mark first, so that Excel reads the accents right."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(CSV_HEADER)
    for line in movement_lines(postings):
        yield writer.writerow(
            (line.fecha.strftime("%d/%m/%Y"), _text(line.tipo), _text(line.concepto), _text(line.bolsa), line.monto)
        )


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render a template to PDF with WeasyPrint; its CSS is inline and nothing is fetched from the network."""
    html = render_to_string(template, context)
    fetcher = URLFetcher(allowed_protocols={"file"})
    pdf: bytes = HTML(string=html, base_url=PDF_BASE.as_uri(), url_fetcher=fetcher).write_pdf()
    return pdf
