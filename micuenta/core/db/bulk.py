"""Set-based writes for batch jobs: reserve primary keys, then insert many rows without building model objects.

PostgreSQL gets COPY (psycopg 3); SQLite gets one executemany. Values must already be what the database stores:
use `connection.ops.adapt_*_value` for datetimes. The caller runs inside a transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection


def reserve_ids(table: str, count: int) -> list[int]:
    """`count` fresh primary keys for `table` (PostgreSQL: from its sequence; SQLite: after the largest id)."""
    if count <= 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the write lock of the surrounding IMMEDIATE transaction makes this safe; AUTOINCREMENT's
        # sqlite_sequence follows the explicit ids that are inserted.
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608 (table names come from code)
        (top,) = cursor.fetchone()
        cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = %s", [table])
        (seq,) = cursor.fetchone()
        start = max(int(top), int(seq)) + 1
        return list(range(start, start + count))


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert the rows; returns how many."""
    cols = ", ".join(f'"{c}"' for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        batch = list(rows)
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({placeholders})', batch)  # noqa: S608
        return len(batch)


def update_rows(table: str, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]]) -> int:
    """Set `columns` of many rows by id in one statement per 1,000 rows: UPDATE … FROM (VALUES …).

    `columns` are (name, PostgreSQL type) pairs; each row is (id, value, …) with values already adapted with
    `connection.ops.adapt_*_value`. Django's `bulk_update` builds a CASE per column and row instead, which costs
    seconds per thousand rows to compile.
    """
    pg = connection.vendor == "postgresql"
    sets = ", ".join(
        f'"{name}" = v.column{index + 2}' + (f"::{kind}" if pg else "") for index, (name, kind) in enumerate(columns)
    )
    id_cast = "v.column1::bigint" if pg else "v.column1"
    width = len(columns) + 1
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            values = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(chunk))
            params = [value for row in chunk for value in row]
            cursor.execute(
                f'UPDATE "{table}" SET {sets} FROM (VALUES {values}) AS v WHERE "{table}".id = {id_cast}',  # noqa: S608
                params,
            )
    return len(rows)
