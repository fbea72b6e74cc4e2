"""Django's SQLite backend, with a flush that keeps reference data and respects append-only triggers.

`flush` (used between transactional tests and by `manage.py flush`) empties tables with DELETE, which the
append-only triggers refuse. Flush drops them, deletes, and creates them again from the SQL SQLite keeps.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.sqlite3 import base, operations

from micuenta.core.db.append_only import PREFIX
from micuenta.core.db.flush import tables_to_flush


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(
        self, style: Any, tables: Any, *, reset_sequences: bool = False, allow_cascade: bool = False
    ) -> list[str]:
        statements: list[str] = super().sql_flush(
            style, tables_to_flush(tables), reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if not statements:
            return statements
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{PREFIX}%"]
            )
            triggers = cursor.fetchall()
        drops = [f"DROP TRIGGER IF EXISTS {name}" for name, _ in triggers]
        creates = [sql for _, sql in triggers]
        return [*drops, *statements, *creates]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
