"""The CESI's sign-in door, registered with identity's doors when the back office starts."""

from __future__ import annotations

import pytest

from micuenta.backoffice.lockout import DOOR
from micuenta.identity.tests.helpers import locked_out
from micuenta.identity.throttling import sign_in_door_for, sign_in_paths

pytestmark = pytest.mark.django_db


def test_the_back_office_registers_its_door_when_it_starts():
    assert sign_in_door_for("/cesi/iniciar-sesion/") == DOOR
    assert sign_in_door_for("/cesi/ficha/").sign_in_path == "/cesi/iniciar-sesion/"
    assert "/cesi/iniciar-sesion/" in sign_in_paths()


def test_the_cesi_path_gets_the_cesi_page_and_the_workers_path_the_workers_page():
    cesi = locked_out("/cesi/iniciar-sesion/")
    workers = locked_out("/iniciar-sesion/")
    assert cesi.status_code == workers.status_code == 429
    cesi_html, workers_html = cesi.content.decode(), workers.content.decode()
    assert "Validación de identidad (CESI)" in cesi_html and "Podrás intentarlo de nuevo a las" in cesi_html
    assert "Correo electrónico o NSS" not in cesi_html
    assert "Validación de identidad (CESI)" not in workers_html and "Correo electrónico o NSS" in workers_html
