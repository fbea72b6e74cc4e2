"""The CESI roles: Django groups with the back office's permissions, and who may do what."""

from __future__ import annotations

from typing import Any

from micuenta.core.groups import groups_ensure

ASESOR_GROUP = "Asesor CESI"
SUPERVISOR_GROUP = "Supervisor CESI"
PERM_VALIDATE = "validate_identity"
PERM_AUDIT = "view_audit_log"
PERM_FEEDS = "view_feeds"
CAN_VALIDATE = f"backoffice.{PERM_VALIDATE}"
CAN_AUDIT = f"backoffice.{PERM_AUDIT}"
CAN_FEEDS = f"backoffice.{PERM_FEEDS}"
CAN_WORK_TRAMITES = "tramites.work_case"  # micuenta.tramites.roles: the back office of trámites

# The role a CESI view passes in the actor (`Actor.of_request(request, roles=...)`) once it checked the
# permission; the back office's services require it.
ROLE_CESI_VALIDATE = "cesi_validacion"

# group -> the permission codenames (of backoffice.StaffAction) it holds
ROLES: dict[str, tuple[str, ...]] = {
    ASESOR_GROUP: (PERM_VALIDATE,),
    SUPERVISOR_GROUP: (PERM_VALIDATE, PERM_AUDIT, PERM_FEEDS),
}
PERMISSION_NAMES = {
    PERM_VALIDATE: "Puede validar la identidad y actuar sobre cuentas en línea (CESI)",
    PERM_AUDIT: "Puede consultar la bitácora del CESI",
    PERM_FEEDS: "Puede consultar las cargas de archivos y los patrones con aportaciones omitidas",
}


def roles_ensure(apps: Any = None) -> None:
    """Create the groups and their permissions when missing (migration, and again after a test flush)."""
    groups_ensure(
        app_label="backoffice", model="staffaction", permission_names=PERMISSION_NAMES, roles=ROLES, apps=apps
    )


def is_cesi_staff(user: Any) -> bool:
    """A member of staff with a CESI role. Accounts of workers never are, whatever their flags."""
    if user is None or not user.is_authenticated or not user.is_active or not user.is_staff:
        return False
    if getattr(user, "worker_id", None) is not None:
        return False
    return bool(user.has_perm(CAN_VALIDATE) or user.has_perm(CAN_AUDIT) or user.has_perm(CAN_WORK_TRAMITES))


def can_validate(user: Any) -> bool:
    return is_cesi_staff(user) and bool(user.has_perm(CAN_VALIDATE))


def can_audit(user: Any) -> bool:
    return is_cesi_staff(user) and bool(user.has_perm(CAN_AUDIT))


def can_view_feeds(user: Any) -> bool:
    return is_cesi_staff(user) and bool(user.has_perm(CAN_FEEDS))
