"""The privacy notice and the home page in a real browser: axe-core, a phone's width and a desktop's."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from micuenta.core.tests.browser import assert_accessible, assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(tempfile.gettempdir()) / "public-pages-shots"  # screenshots for a person to look at


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("core:privacy_notice", "Aviso de privacidad de Mi Cuenta"),
        ("core:home", "Tu ahorro para la vivienda y tu crédito, en línea"),
    ],
)
def test_public_page_is_accessible_at_phone_and_desktop_widths(page: Page, live_server, name, heading, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}{reverse(name)}")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)
    assert_no_sideways_scroll(page, width)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name.replace(':', '-')}-{width}.png"), full_page=True)


def test_the_footer_leads_to_the_privacy_notice_and_its_integral_version(page: Page, live_server):
    page.goto(f"{live_server.url}/")
    page.get_by_role("contentinfo").get_by_role("link", name="Aviso de privacidad").click()
    expect(page).to_have_url(f"{live_server.url}{reverse('core:privacy_notice')}")
    page.get_by_role("link", name="Aviso de privacidad integral").click()
    expect(page.get_by_role("heading", name="Aviso de privacidad integral")).to_be_in_viewport()
