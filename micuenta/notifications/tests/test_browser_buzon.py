import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from micuenta.core.tests.browser import assert_accessible, assert_fits_width, tab_to
from micuenta.notifications.delivery import outbox_deliver
from micuenta.notifications.models import Channel
from micuenta.notifications.services import notification_send

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_buzon_in_demo_mode_is_accessible_and_readable_on_a_phone(page: Page, live_server, settings):
    settings.MICUENTA_DEMO = True
    settings.NOTIFICATIONS_KEEP_BODY = True
    message = notification_send(channel=Channel.EMAIL, to="ana@correo.mx", template="welcome", context={"name": "Ana"})
    outbox_deliver(message_id=message.pk)
    notification_send(channel=Channel.SMS, to="5512345678", template="welcome")

    page.goto(f"{live_server.url}{reverse('notifications:buzon')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Buzón de desarrollo")
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(3)
    expect(table).to_contain_text("Hola, Ana:")
    expect(table).to_contain_text("a***@c***.mx")
    assert_accessible(page)
    assert_fits_width(page, 360)
    assert_accessible(page)

    # Its main action, "Actualizar", works by keyboard and shows a message that arrived meanwhile.
    notification_send(channel=Channel.SMS, to="5587654321", template="welcome")
    tab_to(page, page.get_by_role("link", name="Actualizar"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(4)
    expect(page.get_by_role("table")).to_contain_text("******4321")


def test_buzon_is_not_found_outside_demo_mode(page: Page, live_server, settings):
    settings.MICUENTA_DEMO = False
    response = page.goto(f"{live_server.url}{reverse('notifications:buzon')}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("No encontramos esta página")
