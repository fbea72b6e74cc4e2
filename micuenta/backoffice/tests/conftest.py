from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group

from micuenta.backoffice.roles import ASESOR_GROUP, SUPERVISOR_GROUP, roles_ensure
from micuenta.people.tests.factories import WorkerFactory


@pytest.fixture
def roles(db: Any) -> None:
    roles_ensure()


def _staff(user_factory: Any, group: str | None, **kwargs: Any) -> Any:
    user = user_factory(is_staff=True, **kwargs)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def asesor(roles: None, user_factory: Any) -> Any:
    return _staff(user_factory, ASESOR_GROUP, first_name="Raúl", last_name="Mendoza", email="asesor@cesi.test")


@pytest.fixture
def other_asesor(roles: None, user_factory: Any) -> Any:
    return _staff(user_factory, ASESOR_GROUP, first_name="Inés", last_name="Robles", email="ines@cesi.test")


@pytest.fixture
def supervisor(roles: None, user_factory: Any) -> Any:
    return _staff(
        user_factory, SUPERVISOR_GROUP, first_name="Patricia", last_name="Lozano", email="supervisora@cesi.test"
    )


@pytest.fixture
def staff_without_role(roles: None, user_factory: Any) -> Any:
    return _staff(user_factory, None, first_name="Óscar", last_name="Sin Rol", email="sinrol@cesi.test")


@pytest.fixture
def worker(db: Any) -> Any:
    return WorkerFactory()


@pytest.fixture
def account(worker: Any, user_factory: Any) -> Any:
    return user_factory(
        worker=worker,
        email="titular@correo.test",
        mobile="5512345678",
        first_name=worker.nombre,
        last_name=worker.primer_apellido,
    )
