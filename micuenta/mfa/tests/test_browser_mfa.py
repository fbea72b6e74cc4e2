"""The second factor in a real browser: an authenticator app and a passkey, from enrolment to the next sign-in."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from micuenta.core.tests.browser import assert_accessible, assert_fits_width, tab_to
from micuenta.identity.tests.factories import TEST_PASSWORD
from micuenta.mfa.tests.helpers import totp_code_from_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("MICUENTA_VAR_DIR", "var")) / "screenshots" / "mfa"


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}{reverse('identity:login')}")
    page.get_by_label(re.compile(r"^Correo electrónico")).fill(email)
    page.get_by_label("Contraseña", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Cerrar sesión").click()
    expect(page.get_by_role("link", name="Iniciar sesión").first).to_be_visible()


def _shot(page: Page, name: str) -> None:
    """With MICUENTA_SCREENSHOTS=1: the page at a phone's and a desktop's width, in <var>/screenshots/mfa/."""
    if os.environ.get("MICUENTA_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_authenticator_app_from_enrolment_to_the_next_sign_in(page: Page, live_server, user_factory):
    user_factory(email="renata@ejemplo.test", first_name="Renata")
    base = live_server.url
    _sign_in(page, base, "renata@ejemplo.test")
    expect(page).to_have_url(f"{base}{reverse('core:dashboard')}")

    page.goto(f"{base}{reverse('mfa:manage')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verificación en dos pasos")
    assert_accessible(page)
    assert_fits_width(page, 360)
    _shot(page, "dos-pasos-desactivada")
    activate = page.get_by_role("link", name="Activar aplicación de autenticación")
    tab_to(page, activate)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Activar aplicación de autenticación")
    expect(page.get_by_role("img", name=re.compile("Código QR"))).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page, 360)
    _shot(page, "aplicacion")
    secret = page.locator("#clave-secreta code").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{4}", secret), secret

    page.get_by_label("Código de verificación").fill("12345")
    page.get_by_role("button", name="Activar").click()
    expect(page.get_by_text("El código tiene 6 números")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Código de verificación").fill(totp_code_from_secret(secret))
    page.get_by_role("button", name="Activar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Códigos de recuperación")
    codes = page.locator(".mfa-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", c) for c in codes)
    assert_accessible(page)
    assert_fits_width(page, 360)
    _shot(page, "codigos-nuevos")
    page.get_by_role("button", name="Ya guardé mis códigos").click()
    expect(page.get_by_text("Activada.")).to_be_visible()
    assert_accessible(page)
    _shot(page, "dos-pasos-activada")

    page.get_by_role("link", name=re.compile("^Quitar")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quitar un método de verificación")
    assert_accessible(page)
    _shot(page, "quitar")
    page.goto(f"{base}{reverse('mfa:recovery_codes')}")
    assert_accessible(page)
    _shot(page, "codigos-generar")

    # A new sign-in: the password, then the code.
    _sign_out(page)
    _sign_in(page, base, "renata@ejemplo.test")
    expect(page).to_have_url(re.compile(r"/verificacion/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Verificación en dos pasos")
    expect(page.get_by_role("button", name="Usar llave de acceso")).to_have_count(0)
    assert_accessible(page)
    assert_fits_width(page, 360)
    _shot(page, "verificacion")

    # The app's next code is one step after the one used at enrolment, as the server sees the app's clock:
    # django-otp learnt the app's drift from that code (-1 when it was typed as its 30 seconds ran out and
    # checked in the next ones) and accepts codes within one step of it. A code one step ahead of the test's
    # own clock would then be two steps ahead of the server's window, and refused.
    steps_ahead = 1 + TOTPDevice.objects.get(user__email="renata@ejemplo.test", confirmed=True).drift
    page.get_by_label("Código de verificación").fill(
        "000000" if totp_code_from_secret(secret, steps_ahead=steps_ahead) != "000000" else "111111"
    )
    page.get_by_role("button", name="Verificar").click()
    expect(page.get_by_role("alert")).to_contain_text("El código no es correcto")
    assert_accessible(page)
    _shot(page, "verificacion-error")

    page.wait_for_timeout(1100)  # django-otp's wait after one wrong code is one second
    page.get_by_label("Código de verificación").fill(totp_code_from_secret(secret, steps_ahead=steps_ahead))
    page.get_by_role("button", name="Verificar").click()
    expect(page).to_have_url(f"{base}{reverse('core:dashboard')}")

    page.goto(f"{base}{reverse('mfa:lost')}")
    assert_accessible(page)
    _shot(page, "sin-acceso")


def _virtual_authenticator(page: Page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


def test_passkey_from_enrolment_to_the_next_sign_in(page: Page, live_server, user_factory, settings):
    # WebAuthn needs a secure context and an origin under the RP ID: http://localhost:<port> is both.
    assert live_server.url.startswith("http://localhost:"), live_server.url
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    user_factory(email="santiago@ejemplo.test", first_name="Santiago")
    base = live_server.url
    _virtual_authenticator(page)

    _sign_in(page, base, "santiago@ejemplo.test")
    page.goto(f"{base}{reverse('mfa:manage')}")
    page.get_by_role("link", name="Agregar llave de acceso").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agregar llave de acceso")
    button = page.get_by_role("button", name="Agregar llave de acceso")
    expect(button).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page, 360)
    _shot(page, "llave-agregar")
    button.click()

    # The first factor: the recovery codes, then the list.
    expect(page.get_by_role("heading", level=1)).to_have_text("Códigos de recuperación")
    page.get_by_role("button", name="Ya guardé mis códigos").click()
    expect(page.get_by_role("heading", level=3, name=re.compile("^Llave de acceso agregada"))).to_be_visible()
    assert_accessible(page)

    _sign_out(page)
    _sign_in(page, base, "santiago@ejemplo.test")
    expect(page).to_have_url(re.compile(r"/verificacion/"))
    use_passkey = page.get_by_role("button", name="Usar llave de acceso")
    expect(use_passkey).to_be_visible()
    assert_accessible(page)
    _shot(page, "verificacion-llave")
    use_passkey.click()
    expect(page).to_have_url(f"{base}{reverse('core:dashboard')}")
    page.goto(f"{base}{reverse('mfa:manage')}")
    expect(page.get_by_text("Activada.")).to_be_visible()
