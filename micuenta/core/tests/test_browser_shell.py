"""The public pages in a real browser: axe-core, narrow screens, keyboard."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from micuenta.core.tests.browser import assert_accessible, assert_fits_width, assert_visible_focus, tab_to
from micuenta.identity.tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_is_accessible_fits_small_screens_and_its_main_action_works_by_keyboard(page: Page, live_server):
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tu ahorro para la vivienda y tu crédito, en línea")
    assert page.evaluate("document.documentElement.lang") == "es-MX"
    assert_accessible(page)

    # The first Tab reaches the skip link, which moves focus to the main content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Saltar al contenido principal")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    assert_visible_focus(page)

    for width in (360, 320):
        assert_fits_width(page, width)
    assert_accessible(page)

    main_action = page.get_by_role("main").get_by_role("link", name="Iniciar sesión")
    tab_to(page, main_action)
    assert_visible_focus(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}{reverse('identity:login')}")


def test_not_found_page_is_accessible_and_leads_home_by_keyboard(page: Page, live_server):
    response = page.goto(f"{live_server.url}/no-existe/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("No encontramos esta página")
    assert_accessible(page)
    assert_fits_width(page, 360)
    tab_to(page, page.get_by_role("link", name="Ir a la página principal"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/")


def test_sign_in_by_keyboard_and_the_signed_in_layout(page: Page, live_server, user_factory):
    user_factory(email="ximena@ejemplo.test", first_name="Ximena", last_name="Cervantes Mora")
    page.goto(f"{live_server.url}{reverse('identity:login')}")
    assert_accessible(page)

    # A wrong password: one generic message, announced, and the page still passes axe.
    page.get_by_label("Correo electrónico o NSS").fill("ximena@ejemplo.test")
    page.get_by_label("Contraseña").fill("no-es-la-contraseña")
    page.get_by_label("Contraseña").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("El correo electrónico, el NSS o la contraseña no son correctos")
    assert_accessible(page)

    page.get_by_label("Correo electrónico o NSS").fill("ximena@ejemplo.test")
    page.get_by_label("Contraseña").fill(TEST_PASSWORD)
    page.get_by_label("Contraseña").press("Enter")
    expect(page).to_have_url(f"{live_server.url}{reverse('core:dashboard')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hola, Ximena")

    nav = page.get_by_role("navigation", name="Menú principal")
    expect(nav.get_by_role("link")).to_have_text(["Mi ahorro", "Mi crédito", "Trámites", "Mi perfil"])
    assert_accessible(page)
    assert_fits_width(page, 360)

    page.set_viewport_size({"width": 1280, "height": 800})
    profile = nav.get_by_role("link", name="Mi perfil")
    tab_to(page, profile)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mi perfil")
    expect(nav.get_by_role("link", name="Mi perfil")).to_have_attribute("aria-current", "page")
    assert_accessible(page)

    page.get_by_role("button", name="Cerrar sesión").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("navigation", name="Menú principal")).to_have_count(0)


@pytest.mark.urls("micuenta.core.tests.failing_urls")
@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/prohibido/", 403, "No tienes permiso para ver esta página"),
        ("/mala/", 400, "No pudimos entender la solicitud"),
        ("/falla/", 500, "Algo falló de nuestro lado"),
    ],
)
def test_error_pages_are_accessible(page: Page, live_server, path, status, heading):
    response = page.goto(f"{live_server.url}{path}")
    assert response is not None and response.status == status
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)
    assert_fits_width(page, 320)
    tab_to(page, page.get_by_role("link", name="Ir a la página principal"))


def test_expired_form_page_is_accessible(page: Page, live_server):
    # A form posted without its CSRF token, as happens when a page stayed open too long.
    page.goto(f"{live_server.url}/no-existe/")
    page.evaluate(
        """(action) => { const f = document.createElement('form'); f.method = 'post'; f.action = action;
        document.body.appendChild(f); f.submit(); }""",
        reverse("identity:login"),
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("La página caducó")
    assert_accessible(page)
