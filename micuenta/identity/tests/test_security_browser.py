"""Mi perfil → Seguridad in a real browser: axe-core on each page, narrow screens, the main actions by keyboard."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from micuenta.core.tests.browser import assert_accessible, assert_fits_width, tab_to
from micuenta.identity.models import SecurityEventKind
from micuenta.identity.services.history import security_event_record
from micuenta.identity.tests.factories import TEST_PASSWORD
from micuenta.identity.tests.helpers import TEST_ACTOR
from micuenta.identity.tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_page(page: Page, live_server, user) -> None:
    """Give the browser a signed-in session (the sign-in page itself is tested elsewhere)."""
    client = Client()
    sign_in(client, user, device="Chromium en Linux")
    cookie = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])


def test_seguridad_activity_sessions_and_password_change(page: Page, live_server, user_factory):
    user = user_factory(
        email="renata@ejemplo.test", first_name="Renata", last_name="Flores Ortega", mobile="5512345678"
    )
    security_event_record(actor=TEST_ACTOR, kind=SecurityEventKind.LOGIN_FAILED, user=user, detail="Desde otro equipo.")
    sign_in(Client(), user, device="Chrome en Android")
    signed_in_page(page, live_server, user)

    page.goto(f"{live_server.url}{reverse('identity:profile')}")
    expect(page.get_by_text("******5678")).to_be_visible()
    tab_to(page, page.get_by_role("link", name="Seguridad", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Seguridad")
    assert_accessible(page)
    assert_fits_width(page, 360)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("link", name="Actividad de seguridad").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actividad de seguridad")
    expect(page.get_by_role("heading", name="Intento fallido de inicio de sesión")).to_be_visible()
    expect(page.get_by_role("button", name="No fui yo").first).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page, 360)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("link", name="Seguridad").click()
    page.get_by_role("link", name="Sesiones activas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sesiones activas")
    expect(page.get_by_text("Esta sesión")).to_be_visible()
    expect(page.get_by_role("button", name="Cerrar la sesión de Chrome en Android")).to_be_visible()
    expect(page.get_by_role("button", name="Cerrar sesión en todos los dispositivos")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page, 360)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("link", name="Seguridad").click()
    page.get_by_role("link", name="Cambiar contraseña").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cambiar contraseña")
    assert_accessible(page)
    assert_fits_width(page, 360)

    # A wrong current password: a clear error, and the page still passes axe.
    page.get_by_label("Contraseña actual").fill("no-es-la-mia")
    page.get_by_label("Contraseña nueva", exact=True).fill("lluvia-de-marzo-en-el-zocalo")
    page.get_by_label("Confirma tu contraseña nueva").fill("lluvia-de-marzo-en-el-zocalo")
    page.get_by_role("button", name="Cambiar contraseña").click()
    expect(page.get_by_text("La contraseña actual no es correcta.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Contraseña actual").fill(TEST_PASSWORD)
    page.get_by_label("Contraseña nueva", exact=True).fill("lluvia-de-marzo-en-el-zocalo")
    page.get_by_label("Confirma tu contraseña nueva").fill("lluvia-de-marzo-en-el-zocalo")
    submit = page.get_by_role("button", name="Cambiar contraseña")
    tab_to(page, submit)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Seguridad")
    expect(page.get_by_role("status").filter(has_text="Listo: cambiaste tu contraseña.")).to_be_visible()
    assert_accessible(page)
    user.refresh_from_db()
    assert user.check_password("lluvia-de-marzo-en-el-zocalo")


def test_no_fui_yo_leads_to_the_locked_page(page: Page, live_server, user_factory):
    user = user_factory(email="santiago@ejemplo.test", first_name="Santiago", last_name="Juárez Muñoz")
    security_event_record(actor=TEST_ACTOR, kind=SecurityEventKind.LOGIN, user=user)
    signed_in_page(page, live_server, user)

    page.goto(f"{live_server.url}{reverse('security:activity')}")
    page.get_by_role("button", name="No fui yo").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("¿No fuiste tú?")
    assert_accessible(page)
    assert_fits_width(page, 360)
    page.get_by_role("button", name="Sí, no fui yo: bloquear mi cuenta").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bloqueamos tu cuenta para protegerla")
    expect(page.get_by_role("button", name="Cerrar sesión")).to_have_count(0)
    assert_accessible(page)
    assert_fits_width(page, 320)
    user.refresh_from_db()
    assert user.security_locked_at is not None
