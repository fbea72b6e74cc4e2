"""The pages with money tables in a real browser, as demo people: at 390 px every table is read without sideways
scrolling and no chart label is cut; axe-core finds nothing serious at 1280 nor at 390 px."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from micuenta.core.tests.browser import assert_accessible, assert_no_sideways_scroll
from micuenta.core.tests.test_browser_start import SHOTS, sign_in
from micuenta.demo.services import demo_data_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def cut_chart_labels(page: Page) -> list[str]:
    """Labels of every chart on the page that reach outside their drawing (the drawing clips them)."""
    return page.evaluate(
        """() => {
            const out = [];
            for (const svg of document.querySelectorAll('svg.chart')) {
                const box = svg.getBoundingClientRect();
                for (const text of svg.querySelectorAll('text')) {
                    const r = text.getBoundingClientRect();
                    if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5
                        || r.bottom > box.bottom + 0.5) out.push(text.textContent);
                }
            }
            return out;
        }"""
    )


@pytest.mark.parametrize(
    ("email", "url_name", "shot"),
    [
        ("ana.demo@micuenta.test", "savings:balance", "mi-ahorro"),
        ("ana.demo@micuenta.test", "savings:movements", "movimientos"),
        ("ana.demo@micuenta.test", "savings:employment", "relaciones-laborales"),
        ("carla.demo@micuenta.test", "credits:history", "historico"),
        ("bruno.demo@micuenta.test", "credits:history", "historico-roa"),
    ],
)
def test_money_tables_and_charts_read_on_a_phone(page: Page, live_server, settings, email, url_name, shot):
    settings.MICUENTA_DEMO = True
    demo_data_load()
    sign_in(page, live_server.url, email)
    page.goto(f"{live_server.url}{reverse(url_name)}")
    expect(page.locator("table").first).to_be_attached()
    SHOTS.mkdir(exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for details in page.locator("details").all():
            details.evaluate("el => el.open = true")
        assert_accessible(page)
        assert not cut_chart_labels(page), f"{url_name} at {width}px"
        page.screenshot(path=str(SHOTS / f"{shot}-{width}.png"), full_page=True)
    assert page.locator("table.stack").count() == page.locator("table").count()
    assert_no_sideways_scroll(page, 390)
