from __future__ import annotations

from typing import Any

from django.urls import reverse

from micuenta.backoffice.models import DocumentType

REASON = "La persona se presentó en el CESI y pidió recuperar el acceso a su cuenta."


def find(client: Any, identifier: str) -> Any:
    return client.post(reverse("backoffice:search"), {"identificador": identifier})


def check_id(client: Any, number: str = "ABCD123456789012", kind: str = DocumentType.INE) -> Any:
    return client.post(reverse("backoffice:id_check"), {"document_type": kind, "number": number})
