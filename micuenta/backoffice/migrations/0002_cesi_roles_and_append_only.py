"""The CESI roles (groups with their permissions), and append-only tables for ID checks and staff actions."""

from typing import Any

from django.db import migrations

from micuenta.core.db.append_only import lift_append_only, make_append_only

TABLES = ["backoffice_idcheck", "backoffice_staffaction"]


def roles_create(apps: Any, schema_editor: Any) -> None:
    from micuenta.backoffice.roles import roles_ensure

    roles_ensure(apps)


def roles_remove(apps: Any, schema_editor: Any) -> None:
    from micuenta.backoffice.roles import ROLES

    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


def triggers_create(apps: Any, schema_editor: Any) -> None:
    make_append_only(schema_editor, TABLES)


def triggers_drop(apps: Any, schema_editor: Any) -> None:
    lift_append_only(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0001_id_checks_and_staff_actions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(roles_create, roles_remove),
        migrations.RunPython(triggers_create, triggers_drop),
    ]
