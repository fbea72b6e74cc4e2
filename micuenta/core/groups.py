"""Staff roles as Django groups: each role's permissions, created when missing (a migration, and again after a
test flush). The back office of the CESI and that of trámites declare theirs and call `groups_ensure`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.apps import apps as global_apps


def groups_ensure(
    *,
    app_label: str,
    model: str,
    permission_names: Mapping[str, str],
    roles: Mapping[str, Sequence[str]],
    apps: Any = None,
) -> None:
    """Create the permissions (on `app_label.model`) and the groups holding them, when missing."""
    apps = apps or global_apps
    content_type, _ = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label=app_label, model=model
    )
    permission_model = apps.get_model("auth", "Permission")
    permissions = {
        codename: permission_model.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in permission_names.items()
    }
    for group_name, codenames in roles.items():
        group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=group_name)
        group.permissions.add(*(permissions[c] for c in codenames))
