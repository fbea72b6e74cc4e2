"""Mi perfil → Eliminar mi cuenta en línea in Chromium, by the visible labels, with axe-core at 390 and 1280 px."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from micuenta.core.tests.browser import assert_accessible, assert_no_sideways_scroll
from micuenta.identity.models import User
from micuenta.identity.tests.helpers import last_code
from micuenta.people.tests.factories import WorkerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mi casa con jardín y dos árboles"


def checked(page: Page) -> None:
    """No serious axe-core violation and nothing wider than the screen, on a phone and on a computer."""
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        assert_no_sideways_scroll(page, width)


def test_mi_perfil_eliminar_mi_cuenta_password_code_and_confirmation(page: Page, live_server, user_factory):
    account = user_factory(
        worker=WorkerFactory.create(), email="borrar.navegador@correo.test", mobile="5512345678", password=PASSWORD
    )
    base = live_server.url
    page.goto(f"{base}{reverse('identity:login')}")
    page.get_by_label("Correo electrónico o NSS").fill("borrar.navegador@correo.test")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page).not_to_have_url(f"{base}{reverse('identity:login')}")

    page.goto(f"{base}{reverse('identity:profile')}")
    checked(page)
    page.get_by_role("main").get_by_role("link", name="Eliminar mi cuenta en línea").click()

    expect(page.get_by_role("heading", level=1, name="Eliminar mi cuenta en línea")).to_be_visible()
    expect(page.get_by_text("siguen igual", exact=False).first).to_be_visible()
    checked(page)
    page.get_by_label("Contraseña actual").fill("no es esta")
    page.get_by_role("button", name="Enviar código a mi celular").click()
    expect(page.get_by_text("La contraseña actual no es correcta.", exact=False)).to_be_visible()
    checked(page)
    page.get_by_label("Contraseña actual").fill(PASSWORD)
    page.get_by_role("button", name="Enviar código a mi celular").click()

    expect(
        page.get_by_role("heading", level=1, name="Confirma que quieres eliminar tu cuenta en línea")
    ).to_be_visible()
    expect(page.get_by_text("No se puede deshacer.")).to_be_visible()
    checked(page)
    page.get_by_label("Código de confirmación").fill(last_code("sms", "deletion_code"))
    button = page.get_by_role("button", name="Eliminar mi cuenta en línea")
    # Drawn as destructive: the error red, not the brand colour of the other buttons.
    assert button.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(161, 18, 42)"
    button.click()

    expect(page.get_by_role("heading", level=1, name="Eliminamos tu cuenta en línea")).to_be_visible()
    checked(page)
    assert not User.objects.filter(pk=account.pk).exists()
    # Signed out: Mi perfil now asks to sign in.
    page.goto(f"{base}{reverse('identity:profile')}")
    expect(page).to_have_url(f"{base}{reverse('identity:login')}?next={reverse('identity:profile')}")
