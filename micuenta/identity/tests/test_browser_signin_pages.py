"""Iniciar sesión and Quiero una cuenta with wrong input, in Chromium: one message per field, none repeated in the
alert above the form, no axe-core violation and no sideways scroll, on a phone and on a computer."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from micuenta.core.tests.browser import assert_no_sideways_scroll, axe_violations
from micuenta.identity.challenge import challenge_new, challenge_solve
from micuenta.identity.forms import GENERIC_LOGIN_ERROR, LOGIN_CHALLENGE_NEEDED
from micuenta.people.tests.factories import WorkerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)


def field_messages(page: Page) -> dict[str, str]:
    """What each field says under it, by the field's id."""
    found: dict[str, str] = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('p.field-error')].map(
            (p) => [p.id.replace(/-error$/, ''), p.textContent.replace(/\\s+/g, ' ').trim()]))"""
    )
    return found


def alert_text(page: Page) -> str:
    alert = page.locator("#errores")
    return " ".join(alert.inner_text().split()) if alert.count() else ""


def assert_one_message_per_problem(page: Page, expected: dict[str, str]) -> None:
    """Each field says exactly its one message, and the alert above the form repeats none of them."""
    assert field_messages(page) == expected
    top = alert_text(page)
    for message in expected.values():
        assert message not in top, f"the alert repeats {message!r}"


def assert_fits_phone_and_computer(page: Page) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        blocking = axe_violations(page)
        assert not blocking, [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in blocking]
        assert_no_sideways_scroll(page, width)


def test_login_with_nothing_then_a_wrong_password(page: Page, live_server):
    page.goto(f"{live_server.url}{reverse('identity:login')}")
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.locator(".field-error").first).to_be_visible()
    assert_one_message_per_problem(
        page, {"id_username": "Escribe tu correo electrónico o tu NSS.", "id_password": "Escribe tu contraseña."}
    )
    assert alert_text(page) == ""
    expect(page.get_by_label("Correo electrónico o NSS")).to_have_attribute("aria-invalid", "true")
    assert_fits_phone_and_computer(page)

    page.get_by_label("Correo electrónico o NSS").fill("nadie@correo.test")
    page.get_by_label("Contraseña").fill("no-es-la-mia")
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_role("alert")).to_contain_text("no son correctos")
    assert_one_message_per_problem(page, {})
    assert alert_text(page) == GENERIC_LOGIN_ERROR
    assert_fits_phone_and_computer(page)


def test_login_asks_for_the_security_check_once(page: Page, live_server, user_factory):
    account = user_factory(worker=WorkerFactory.create(), email="duena@correo.test")
    for n in range(settings.MICUENTA_LOGIN_CHALLENGE_AFTER):
        Client().post(
            reverse("identity:login"),
            {"username": account.worker.nss, "password": "adivinanza", "altcha": challenge_solve(challenge_new())},
            REMOTE_ADDR=f"198.51.100.{n}",
        )
    page.goto(f"{live_server.url}{reverse('identity:login')}")
    page.get_by_label("Correo electrónico o NSS").fill("duena@correo.test")
    page.get_by_role("button", name="Iniciar sesión").click()  # no password, no security check yet
    expect(page.get_by_role("alert")).to_contain_text("Escribe otra vez tu contraseña")
    assert alert_text(page) == LOGIN_CHALLENGE_NEEDED
    assert_one_message_per_problem(page, {})
    expect(page.get_by_text("Listo: comprobación de seguridad completada.")).to_be_visible(timeout=20_000)
    assert_fits_phone_and_computer(page)


def test_registration_first_step_with_wrong_identifiers(page: Page, live_server):
    page.goto(f"{live_server.url}{reverse('identity:register')}")
    page.get_by_label("Número de Seguridad Social (NSS)").fill("ABCDEFGH")  # letters, and not 11 of them
    page.get_by_label("CURP").fill("NOESUNACURP")
    page.get_by_label("RFC").fill("ABCD800101")  # no homoclave
    expect(page.get_by_text("Listo: comprobación de seguridad completada.")).to_be_visible(timeout=20_000)
    page.get_by_role("button", name="Continuar").click()
    expect(page.locator(".field-error")).to_have_count(3)
    messages = field_messages(page)
    assert set(messages) == {"id_nss", "id_curp", "id_rfc"}
    assert messages["id_nss"] == (
        "El NSS solo lleva números: son 11 dígitos, sin letras ni otros signos. Lo encuentras en tu constancia de "
        "semanas cotizadas del IMSS."
    )
    assert messages["id_rfc"] == "Escribe tu RFC completo, con los 3 caracteres de la homoclave (13 en total)."
    assert_one_message_per_problem(page, messages)
    assert alert_text(page) == "Revisa los datos marcados abajo."
    expect(page.get_by_label("CURP")).to_have_attribute("aria-invalid", "true")
    assert_fits_phone_and_computer(page)
