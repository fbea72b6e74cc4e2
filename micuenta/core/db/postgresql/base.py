"""Django's PostgreSQL backend, with a flush that keeps reference data (see micuenta/core/db/flush.py)."""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql import base, operations

from micuenta.core.db.flush import tables_to_flush


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(
        self, style: Any, tables: Any, *, reset_sequences: bool = False, allow_cascade: bool = False
    ) -> list[str]:
        result: list[str] = super().sql_flush(
            style, tables_to_flush(tables), reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        return result


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
