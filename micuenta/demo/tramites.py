"""Demo trámites: cases of «Corregir mis datos» in different states for the demo people, made through the same
services as a person and the staff would (nothing is written around them). Loaded once: a person who already
has a case keeps it."""

from __future__ import annotations

import io
from typing import Any

import pikepdf
from django.core.files.uploadedfile import SimpleUploadedFile

from micuenta.core.actors import Actor, ActorKind
from micuenta.identity.models import User
from micuenta.people.models import Worker
from micuenta.tramites.kinds import correccion
from micuenta.tramites.models import Case
from micuenta.tramites.registry import ROLE_ANALYST, ROLE_PERSON
from micuenta.tramites.services import (
    Attachment,
    case_approve,
    case_file,
    case_reject,
    case_request_information,
    case_take,
)


def _pdf(title: str) -> SimpleUploadedFile:
    """A one-page PDF standing in for a scanned document (no text of any real person)."""
    document = pikepdf.new()
    document.add_blank_page(page_size=(612, 792))
    document.docinfo["/Title"] = title
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(f"{title}.pdf", buffer.getvalue(), content_type="application/pdf")


def _person(user: User) -> Actor:
    return Actor(kind=ActorKind.PERSON, user_id=user.pk, roles=frozenset({ROLE_PERSON}), job="demo")


def _staff(user: User, *roles: str) -> Actor:
    return Actor(kind=ActorKind.STAFF, user_id=user.pk, roles=frozenset(roles), job="demo")


def _file(user: User, campo: str, new: dict[str, str]) -> Case:
    worker: Worker = user.worker  # type: ignore[assignment]
    old = {name: getattr(worker, name) for name in new}
    files = [Attachment(_pdf(r.label), r.code) for r in correccion.REQUIREMENTS[campo]]
    data: dict[str, Any] = {"campo": campo, "anterior": old, "nuevo": new, "aviso": "", "contradicciones": []}
    return case_file(actor=_person(user), worker=worker, kind=correccion.KIND, data=data, attachments=files)


def demo_cases_load(*, people: dict[str, User], analyst: User) -> int:
    """Cases for Ana (más información), Bruno (recibida), Carla (rechazada) and Elena (aprobada, waiting for a
    supervisor of trámites to confirm it in the back office: the demo of four eyes). Returns how many were made."""
    made = 0
    analyst_actor = _staff(analyst, ROLE_ANALYST)
    plans = {
        "ana.demo@micuenta.test": "info",
        "bruno.demo@micuenta.test": "recibida",
        "carla.demo@micuenta.test": "rechazada",
        "elena.demo@micuenta.test": "por_confirmar",
    }
    for email, plan in plans.items():
        user = people.get(email)
        if user is None or user.worker_id is None or Case.objects.filter(worker_id=user.worker_id).exists():
            continue
        worker: Worker = user.worker  # type: ignore[assignment]
        if plan == "info":
            case = _file(user, "rfc", {"rfc": worker.rfc[:10] + "XX1"})
            case_take(actor=analyst_actor, case_id=case.pk)
            case_request_information(
                actor=analyst_actor,
                case_id=case.pk,
                text="Tu Constancia de Situación Fiscal no se lee completa. Adjunta una foto donde se vea toda la "
                "primera hoja, con tu RFC y tu nombre.",
            )
        elif plan == "recibida":
            _file(user, "nombre", {"nombre": worker.nombre, "primer_apellido": worker.primer_apellido,
                                   "segundo_apellido": (worker.segundo_apellido + "s").strip()})  # fmt: skip
        elif plan == "rechazada":
            case = _file(user, "nombre", {"nombre": worker.nombre + " María", "primer_apellido": worker.primer_apellido,
                                          "segundo_apellido": worker.segundo_apellido})  # fmt: skip
            case_take(actor=analyst_actor, case_id=case.pk)
            case_reject(
                actor=analyst_actor,
                case_id=case.pk,
                reason="datos_no_coinciden",
                text="Tu acta de nacimiento dice «Carla Patricia», sin «María». Si tu nombre es otro, adjunta el acta "
                "que lo muestre.",
            )
        else:
            case = _file(user, "nombre", {"nombre": worker.nombre, "primer_apellido": worker.primer_apellido,
                                          "segundo_apellido": worker.segundo_apellido + "-Luna"})  # fmt: skip
            case_take(actor=analyst_actor, case_id=case.pk)
            case_approve(actor=analyst_actor, case_id=case.pk)
        made += 1
    return made
