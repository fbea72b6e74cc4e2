"""Transaction.kind. SQLite adds a column by rebuilding the table, which loses its triggers: they are dropped
before and made again after, on both databases, so the ledger stays append-only."""

from typing import Any

from django.db import migrations, models

from micuenta.core.db.append_only import lift_append_only, make_append_only

TABLES = ["ledger_transaction"]


def lift(apps: Any, schema_editor: Any) -> None:
    lift_append_only(schema_editor, TABLES)


def make(apps: Any, schema_editor: Any) -> None:
    make_append_only(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_balanced_once_per_transaction")]

    operations = [
        migrations.RunPython(lift, make),
        migrations.AddField(
            model_name="transaction",
            name="kind",
            field=models.CharField(blank=True, default="", max_length=30, verbose_name="tipo"),
        ),
        migrations.RunPython(make, lift),
    ]
