"""PostgreSQL checks the balance once per ledger transaction at commit, instead of once per posting.

The deferred trigger of 0002 fired for every posting, and each firing summed the whole transaction: a feed of a
million postings spent most of its commit there. The constraint trigger now sits on ledger_transaction: at
commit, each new ledger transaction must have at least two postings summing to zero. Postings cannot be changed
or deleted (append-only triggers), and the services never add postings to an earlier transaction;
`ledger_check` and the service's own check cover the rest.
"""

from typing import Any

from django.db import migrations

FORWARD = [
    "DROP TRIGGER IF EXISTS ledger_posting_balanced ON ledger_posting",
    "DROP FUNCTION IF EXISTS ledger_assert_balanced()",
    """CREATE FUNCTION ledger_transaction_assert_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE total numeric; lines integer;
        BEGIN
            SELECT COALESCE(SUM(amount), 0), COUNT(*) INTO total, lines
              FROM ledger_posting WHERE transaction_id = NEW.id;
            IF lines < 2 OR total <> 0 THEN
                RAISE EXCEPTION 'ledger transaction % is unbalanced by % (% postings)', NEW.id, total, lines
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NULL;
        END $$""",
    """CREATE CONSTRAINT TRIGGER ledger_transaction_balanced AFTER INSERT ON ledger_transaction
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_transaction_assert_balanced()""",
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS ledger_transaction_balanced ON ledger_transaction",
    "DROP FUNCTION IF EXISTS ledger_transaction_assert_balanced()",
    """CREATE FUNCTION ledger_assert_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
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


def _run(schema_editor: Any, statements: list[str]) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements:
            schema_editor.execute(statement, params=None)


def forwards(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, FORWARD)


def backwards(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_append_only_and_balanced")]
    operations = [migrations.RunPython(forwards, backwards)]
