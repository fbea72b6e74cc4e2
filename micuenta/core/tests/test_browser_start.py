"""The signed-in start page in a real browser, as each demo person: axe-core at 1280 and 390 px, nothing
scrolls sideways on a phone, and each card leads to its page."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from micuenta.core.tests.browser import assert_accessible, assert_no_sideways_scroll
from micuenta.demo.accounts import DEMO_PASSWORD
from micuenta.demo.services import demo_data_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(tempfile.gettempdir()) / "views-shots"  # screenshots for a person to look at


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}{reverse('identity:login')}")
    page.get_by_label("Correo electrónico o NSS").fill(email)
    page.get_by_label("Contraseña").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Iniciar sesión").click()
    expect(page).to_have_url(f"{base}{reverse('core:dashboard')}")


def look(page: Page, name: str) -> None:
    """axe at desktop and phone widths, no sideways scroll at 390 px, and a screenshot of each."""
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / f"{name}-1280.png"), full_page=True)
    assert_no_sideways_scroll(page, 390)
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / f"{name}-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize(
    ("email", "expected", "link"),
    [
        ("ana.demo@micuenta.test", "Saldo de tu Subcuenta de Vivienda", "Ver mi ahorro"),
        ("bruno.demo@micuenta.test", "Próximo pago", "Ver Mi crédito"),
        ("carla.demo@micuenta.test", "atrasada", "Ver cómo pagar"),
        ("diego.demo@micuenta.test", "Liquidado", "Ver Mi crédito"),
        ("elena.demo@micuenta.test", "devolución de tu ahorro", "Ver mi ahorro"),
    ],
)
def test_each_demo_person_sees_what_matters_on_the_start_page(
    page: Page, live_server, settings, email: str, expected: str, link: str
):
    settings.MICUENTA_DEMO = True
    demo_data_load()
    sign_in(page, live_server.url, email)
    main = page.get_by_role("main")
    expect(main).to_contain_text(expected)
    look(page, f"inicio-{email.split('.')[0]}")
    main.get_by_role("link", name=link).first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.url != f"{live_server.url}{reverse('core:dashboard')}"
