"""What other pages show of trámites: Mi perfil shows a correction of the person's data while it is open."""

from __future__ import annotations

from typing import Any

from django import template

from micuenta.tramites.kinds import correccion
from micuenta.tramites.models import Case
from micuenta.tramites.selectors import PLAIN_STATUS, open_case_of_kind

register = template.Library()


@register.simple_tag
def open_correction(user: Any) -> dict[str, Any] | None:
    worker = getattr(user, "worker", None)
    if worker is None:
        return None
    case: Case | None = open_case_of_kind(worker, correccion.CODE)
    if case is None:
        return None
    return {"case": case, "what": correccion.describe(case), "status": PLAIN_STATUS[case.status]}  # type: ignore[index]
