"""CSV downloads, line by line: a UTF-8 byte order mark first (so that Excel reads the accents right) and cells
that a spreadsheet would run as a formula kept as text (CSV injection)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence

# A spreadsheet runs a cell that starts with one of these as a formula; a leading apostrophe keeps it text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_START) else value


class _Line:
    """A file-like object for csv.writer that hands back each line instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_stream(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The header (after the byte order mark) and each row as one CSV line; text cells must already be
    `formula_safe`."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)
