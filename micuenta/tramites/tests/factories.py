"""Test helpers of trámites: staff in each role, actors, and a case filed as a person would."""

from __future__ import annotations

import io
from typing import Any

import pikepdf
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from micuenta.core.actors import ROLE_PERSON, Actor, ActorKind
from micuenta.identity.tests.factories import UserFactory
from micuenta.people.tests.factories import WorkerFactory
from micuenta.tramites.kinds import correccion
from micuenta.tramites.registry import ROLE_ANALYST, ROLE_SUPERVISOR
from micuenta.tramites.roles import ANALYST_GROUP, SUPERVISOR_GROUP, roles_ensure
from micuenta.tramites.services import Attachment, case_file
from micuenta.tramites.sla import sla_ensure


def pdf_bytes(title: str = "documento") -> bytes:
    document = pikepdf.new()
    document.add_blank_page(page_size=(612, 792))
    document.docinfo["/Title"] = title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_upload(name: str = "constancia.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(name), content_type="application/pdf")


def staff(group: str, **kwargs: Any) -> Any:
    roles_ensure()
    user: Any = UserFactory(is_staff=True, worker=None, **kwargs)
    user.groups.add(Group.objects.get(name=group))
    return user


def analyst(**kwargs: Any) -> Any:
    return staff(ANALYST_GROUP, **kwargs)


def supervisor(**kwargs: Any) -> Any:
    return staff(SUPERVISOR_GROUP, **kwargs)


def person_actor(user: Any) -> Actor:
    return Actor(kind=ActorKind.PERSON, user_id=user.pk, roles=frozenset({ROLE_PERSON}))


def staff_actor(user: Any, *roles: str) -> Actor:
    return Actor(kind=ActorKind.STAFF, user_id=user.pk, roles=frozenset(roles or (ROLE_ANALYST,)))


def supervisor_actor(user: Any) -> Actor:
    return staff_actor(user, ROLE_ANALYST, ROLE_SUPERVISOR)


def person(**kwargs: Any) -> Any:
    return UserFactory(worker=WorkerFactory.create(), **kwargs)


def other_curp(worker: Any, **changes: Any) -> str:
    """A valid CURP of someone else born the same day, of the same sex and state (unless `changes` says otherwise),
    never the worker's own (names drawn at random can give the same one)."""
    born = {
        "fecha_nacimiento": worker.fecha_nacimiento,
        "sexo": worker.sexo,
        "entidad_nacimiento": worker.entidad_nacimiento,
        **changes,
    }
    while True:
        curp: str = WorkerFactory.build(**born).curp
        if curp != worker.curp:
            return curp


def file_curp_correction(user: Any, new_curp: str | None = None, documents: int = 2) -> Any:
    sla_ensure()
    worker = user.worker
    new = new_curp or WorkerFactory.build().curp  # a valid CURP of nobody in the database
    data = {
        "campo": "curp",
        "anterior": {"curp": worker.curp},
        "nuevo": {"curp": new},
        "aviso": "",
        "advertencias": [],
    }
    codes = [r.code for r in correccion.REQUIREMENTS["curp"]][:documents]
    return case_file(
        actor=person_actor(user),
        worker=worker,
        kind=correccion.KIND,
        data=data,
        attachments=[Attachment(pdf_upload(f"{code}.pdf"), code) for code in codes],
    )
