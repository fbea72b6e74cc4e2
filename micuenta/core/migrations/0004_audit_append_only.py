"""The database refuses UPDATE and DELETE of audit events."""

from typing import Any

from django.db import migrations

from micuenta.core.db.append_only import lift_append_only, make_append_only

TABLES = ["core_auditevent"]


def forwards(apps: Any, schema_editor: Any) -> None:
    make_append_only(schema_editor, TABLES)


def backwards(apps: Any, schema_editor: Any) -> None:
    lift_append_only(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_auditevent")]

    operations = [migrations.RunPython(forwards, backwards)]
