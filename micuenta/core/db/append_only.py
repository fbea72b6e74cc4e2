"""Database triggers that make a table append-only: UPDATE and DELETE are refused by the database itself.

Created by migrations of the tables that need them (the ledger). Trigger names start with
`append_only_` so that the test database flush on SQLite can lift them for a moment (see
micuenta/core/db/sqlite3/base.py); PostgreSQL's flush uses TRUNCATE, which row triggers do not see.
"""

from __future__ import annotations

from typing import Any

PREFIX = "append_only_"


def create_sql(vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {PREFIX}{table}_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END",
            f"CREATE TRIGGER {PREFIX}{table}_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE refused'); END",
        ]
    if vendor == "postgresql":
        return [
            f"""CREATE OR REPLACE FUNCTION {PREFIX}refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
                        USING ERRCODE = 'integrity_constraint_violation';
                END $$""",
            f"CREATE TRIGGER {PREFIX}{table} BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {PREFIX}refuse()",
        ]
    raise NotImplementedError(f"append-only triggers for {vendor}")


def drop_sql(vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {PREFIX}{table}_update", f"DROP TRIGGER IF EXISTS {PREFIX}{table}_delete"]
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {PREFIX}{table} ON {table}"]
    raise NotImplementedError(f"append-only triggers for {vendor}")


def make_append_only(schema_editor: Any, tables: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    for table in tables:
        for statement in create_sql(vendor, table):
            schema_editor.execute(statement, params=None)


def lift_append_only(schema_editor: Any, tables: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    for table in tables:
        for statement in drop_sql(vendor, table):
            schema_editor.execute(statement, params=None)
