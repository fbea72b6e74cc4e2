"""The doors where people sign in with a password: each answers a lock with its own page, and identity knows
the others only through what they register."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from micuenta.identity import throttling
from micuenta.identity.tests.helpers import locked_out
from micuenta.identity.throttling import (
    SignInDoor,
    sign_in_door_for,
    sign_in_door_register,
    sign_in_paths,
    workers_lockout_page,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def doors(monkeypatch):
    """The registry as the apps left it, restored after the test."""
    monkeypatch.setattr(throttling, "_doors", dict(throttling._doors))


def test_any_other_path_is_the_workers_door():
    for path in ("/iniciar-sesion/", "/mi-perfil/", "/admin/login/", "/cesita/"):
        door = sign_in_door_for(path)
        assert door.lockout_page is workers_lockout_page and door.sign_in_path == "/iniciar-sesion/", path
    assert {"/iniciar-sesion/", "/admin/login/"} <= sign_in_paths()


def test_the_workers_path_gets_the_workers_page():
    response = locked_out("/iniciar-sesion/")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Podrás intentarlo de nuevo a las" in html and "Correo electrónico o NSS" in html


def test_a_registered_door_is_chosen_by_its_longest_prefix(doors):
    seen: list[str] = []

    def page(request: HttpRequest, until: datetime) -> HttpResponse:
        seen.append(request.path)
        assert timezone.is_aware(until)
        return HttpResponse("pausa", status=429)

    sign_in_door_register(
        SignInDoor(prefix="/especial/otra/", sign_in_path="/especial/otra/entrar/", lockout_page=page)
    )
    sign_in_door_register(SignInDoor(prefix="/especial/", sign_in_path="/especial/entrar/", lockout_page=page))
    assert locked_out("/especial/otra/entrar/").content == b"pausa"
    assert seen == ["/especial/otra/entrar/"]
    assert (
        sign_in_door_for("/especial/entrar/").sign_in_path == "/especial/entrar/"
    )  # the shorter prefix serves the rest
    assert sign_in_door_for("/especial/otra/").sign_in_path == "/especial/otra/entrar/"
    assert {"/especial/entrar/", "/especial/otra/entrar/"} <= sign_in_paths()
