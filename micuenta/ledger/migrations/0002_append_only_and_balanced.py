"""The database refuses UPDATE and DELETE of transactions and postings, and (PostgreSQL) unbalanced ones."""

from typing import Any

from django.db import migrations

from micuenta.core.db.append_only import lift_append_only, make_append_only

TABLES = ["ledger_transaction", "ledger_posting"]

# Checked when the database transaction commits, so that a ledger transaction's postings may be inserted
# one by one or in bulk. SQLite has no deferred triggers; there the service's check is the guard.
PG_BALANCED = [
    """CREATE OR REPLACE FUNCTION ledger_assert_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE total numeric;
        BEGIN
            SELECT COALESCE(SUM(amount), 0) INTO total FROM ledger_posting WHERE transaction_id = NEW.transaction_id;
            IF total <> 0 THEN
                RAISE EXCEPTION 'ledger transaction % is unbalanced by %', NEW.transaction_id, total
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NULL;
        END $$""",
    """CREATE CONSTRAINT TRIGGER ledger_posting_balanced AFTER INSERT ON ledger_posting
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_assert_balanced()""",
]
PG_BALANCED_DROP = [
    "DROP TRIGGER IF EXISTS ledger_posting_balanced ON ledger_posting",
    "DROP FUNCTION IF EXISTS ledger_assert_balanced()",
]


def forwards(apps: Any, schema_editor: Any) -> None:
    make_append_only(schema_editor, TABLES)
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_BALANCED:
            schema_editor.execute(statement, params=None)


def backwards(apps: Any, schema_editor: Any) -> None:
    lift_append_only(schema_editor, TABLES)
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_BALANCED_DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
