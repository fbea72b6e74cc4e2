"""The back office of trámites: its two groups and what each may do (created by a migration)."""

from __future__ import annotations

from typing import Any

from micuenta.core.groups import groups_ensure
from micuenta.tramites.registry import ROLE_ANALYST, ROLE_SUPERVISOR

ANALYST_GROUP = "Analista de trámites"
SUPERVISOR_GROUP = "Supervisor de trámites"
PERM_WORK = "work_case"
PERM_SUPERVISE = "supervise_case"
CAN_WORK = f"tramites.{PERM_WORK}"
CAN_SUPERVISE = f"tramites.{PERM_SUPERVISE}"

ROLES: dict[str, tuple[str, ...]] = {
    ANALYST_GROUP: (PERM_WORK,),
    SUPERVISOR_GROUP: (PERM_WORK, PERM_SUPERVISE),
}
PERMISSION_NAMES = {
    PERM_WORK: "Puede atender solicitudes de trámites (tomar, pedir información, aprobar, rechazar)",
    PERM_SUPERVISE: "Puede confirmar aprobaciones y ver los indicadores de trámites",
}


def roles_ensure(apps: Any = None) -> None:
    """Create the groups and their permissions when missing (migration, and again after a test flush)."""
    groups_ensure(app_label="tramites", model="case", permission_names=PERMISSION_NAMES, roles=ROLES, apps=apps)


def _staff(user: Any) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and getattr(user, "worker_id", None) is None
    )


def can_work(user: Any) -> bool:
    return _staff(user) and bool(user.has_perm(CAN_WORK))


def can_supervise(user: Any) -> bool:
    return _staff(user) and bool(user.has_perm(CAN_SUPERVISE))


def staff_roles(user: Any) -> frozenset[str]:
    """The roles a member of staff acts in on trámites (for `Actor.of_request(request, roles=...)`)."""
    roles = set()
    if can_work(user):
        roles.add(ROLE_ANALYST)
    if can_supervise(user):
        roles.add(ROLE_SUPERVISOR)
    return frozenset(roles)
