from __future__ import annotations

from typing import Any

from django.urls import reverse

from micuenta.backoffice.models import DocumentType
from micuenta.backoffice.roles import ROLE_CESI_VALIDATE
from micuenta.core.actors import ROLE_STAFF, Actor, ActorKind

REASON = "La persona se presentó en el CESI y pidió recuperar el acceso a su cuenta."


def cesi_actor(staff: Any) -> Actor:
    """A member of staff acting in the CESI role, as a back-office view builds it after checking the role."""
    return Actor(kind=ActorKind.STAFF, user_id=staff.pk, roles=frozenset({ROLE_STAFF, ROLE_CESI_VALIDATE}))


def find(client: Any, identifier: str) -> Any:
    return client.post(reverse("backoffice:search"), {"identificador": identifier})


def ficha(client: Any) -> str:
    """The signed token of the worker selected in the client's session, as the worker's page carries it."""
    from micuenta.backoffice.views import SESSION_WORKER, ficha_for

    return ficha_for(client.session[SESSION_WORKER])


def act(client: Any, name: str, data: dict[str, Any]) -> Any:
    """POST one of the worker page's forms, as sent from that page."""
    return client.post(reverse(name), {**data, "ficha": ficha(client)})


def check_id(client: Any, number: str = "ABCD123456789012", kind: str = DocumentType.INE) -> Any:
    return act(client, "backoffice:id_check", {"document_type": kind, "number": number})
