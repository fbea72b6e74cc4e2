"""The back office groups of trámites, the answer time of «Corregir mis datos» with its source, and append-only
steps (events) of cases."""

from typing import Any

from django.db import migrations

from micuenta.core.db.append_only import lift_append_only, make_append_only

TABLES = ["tramites_caseevent"]
def roles_create(apps: Any, schema_editor: Any) -> None:
    from micuenta.tramites.roles import roles_ensure

    roles_ensure(apps)


def roles_remove(apps: Any, schema_editor: Any) -> None:
    from micuenta.tramites.roles import ROLES

    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


def sla_create(apps: Any, schema_editor: Any) -> None:
    from micuenta.tramites.sla import sla_ensure

    sla_ensure(apps)


def sla_remove(apps: Any, schema_editor: Any) -> None:
    from micuenta.tramites.sla import SEED

    apps.get_model("tramites", "SlaRule").objects.filter(kind__in=[row[0] for row in SEED]).delete()


def triggers_create(apps: Any, schema_editor: Any) -> None:
    make_append_only(schema_editor, TABLES)


def triggers_drop(apps: Any, schema_editor: Any) -> None:
    lift_append_only(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("tramites", "0001_cases"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(roles_create, roles_remove),
        migrations.RunPython(sla_create, sla_remove),
        migrations.RunPython(triggers_create, triggers_drop),
    ]
