"""The account journeys in Chromium, by their visible labels, with axe-core on every page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from micuenta.core.tests.browser import assert_accessible, assert_fits_width
from micuenta.identity.models import User
from micuenta.identity.tests.factories import TEST_PASSWORD
from micuenta.identity.tests.helpers import last_code
from micuenta.notifications.models import OutboxMessage
from micuenta.people.tests.factories import WorkerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mi casa con jardín y dos árboles"


def checked(page: Page) -> None:
    assert_accessible(page)
    assert_fits_width(page, 390)
    page.set_viewport_size({"width": 1280, "height": 900})


def fill_identity(page: Page, worker) -> None:
    page.get_by_label("Número de Seguridad Social (NSS)").fill(worker.nss)
    page.get_by_label("CURP").fill(worker.curp)
    page.get_by_label("RFC").fill(worker.rfc)
    expect(page.get_by_text("Listo: comprobación de seguridad completada.")).to_be_visible(timeout=20_000)


def register_in_browser(page: Page, base: str, worker, email: str, mobile: str) -> None:
    page.goto(f"{base}/")
    page.get_by_role("main").get_by_role("link", name="Quiero una cuenta").click()
    expect(page.get_by_text("Paso 1 de 4")).to_be_visible()
    checked(page)
    fill_identity(page, worker)
    page.get_by_role("button", name="Continuar").click()

    expect(page.get_by_text("Paso 2 de 4")).to_be_visible()
    checked(page)
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Número de celular").fill(mobile)
    page.get_by_role("button", name="Enviar códigos").click()

    expect(page.get_by_role("heading", name="Confirma tu correo electrónico")).to_be_visible()
    expect(page.get_by_text("Paso 3 de 4")).to_be_visible()
    checked(page)
    expect(page.get_by_role("button", name="Reenviar código")).to_be_visible()
    page.get_by_label("Código de confirmación").fill(last_code("email"))
    page.get_by_role("button", name="Confirmar").click()

    expect(page.get_by_role("heading", name="Confirma tu número de celular")).to_be_visible()
    checked(page)
    page.get_by_label("Código de confirmación").fill(last_code("sms"))
    page.get_by_role("button", name="Confirmar").click()

    expect(page.get_by_text("Paso 4 de 4")).to_be_visible()
    checked(page)
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_label("Confirma tu contraseña").fill(PASSWORD)
    page.get_by_label("Acepto los términos y condiciones").check()
    page.get_by_role("button", name="Crear mi cuenta").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tu cuenta está lista")
    checked(page)


def sign_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}{reverse('identity:login')}")
    page.get_by_label("Correo electrónico o NSS").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Iniciar sesión").click()


def test_register_log_in_with_the_nss_and_log_out(page: Page, live_server):
    worker = WorkerFactory.create()
    register_in_browser(page, live_server.url, worker, "registro.navegador@correo.test", "5512345678")
    assert OutboxMessage.objects.filter(template="welcome", channel="email").exists()

    page.get_by_role("link", name="Iniciar sesión").last.click()
    checked(page)
    page.get_by_label("Correo electrónico o NSS").fill(worker.nss)
    page.get_by_label("Contraseña").fill("no-es-la-mia")
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_role("alert")).to_contain_text("no son correctos")
    checked(page)

    sign_in(page, live_server.url, worker.nss, PASSWORD)
    expect(page).to_have_url(f"{live_server.url}{reverse('core:dashboard')}")
    checked(page)
    page.get_by_role("banner").get_by_role("button", name="Cerrar sesión").click()
    expect(page).to_have_url(f"{live_server.url}/")


def test_a_mismatch_says_what_to_do(page: Page, live_server):
    worker = WorkerFactory.create()
    other = WorkerFactory.create()
    page.goto(f"{live_server.url}{reverse('identity:register')}")
    page.get_by_label("Número de Seguridad Social (NSS)").fill(worker.nss)
    page.get_by_label("CURP").fill(other.curp)
    page.get_by_label("RFC").fill(worker.rfc)
    expect(page.get_by_text("Listo: comprobación de seguridad completada.")).to_be_visible(timeout=20_000)
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tus datos no coinciden con nuestros registros")
    expect(page.get_by_role("main")).to_contain_text("RENAPO")
    checked(page)


def test_format_errors_show_per_field(page: Page, live_server):
    page.goto(f"{live_server.url}{reverse('identity:register')}")
    page.get_by_label("Número de Seguridad Social (NSS)").fill("123")
    page.get_by_label("CURP").fill("NOESUNACURP")
    page.get_by_label("RFC").fill("XYZ")
    expect(page.get_by_text("Listo: comprobación de seguridad completada.")).to_be_visible(timeout=20_000)
    page.get_by_role("button", name="Continuar").click()
    expect(page.locator(".field-error")).to_have_count(3)
    expect(page.get_by_label("Número de Seguridad Social (NSS)")).to_have_attribute("aria-invalid", "true")
    checked(page)


def test_forgotten_password_by_nss_and_the_emailed_link(page: Page, live_server, user_factory):
    account = user_factory(worker=WorkerFactory.create(), email="olvido@correo.test", mobile="5512345678")
    sign_in(page, live_server.url, "olvido@correo.test", "equivocada")
    page.get_by_role("link", name="Olvidé mi contraseña").first.click()
    checked(page)
    page.get_by_label("Número de Seguridad Social (NSS)").fill(account.worker.nss)
    expect(page.get_by_text("Listo: comprobación de seguridad completada.")).to_be_visible(timeout=20_000)
    page.get_by_role("button", name="Enviar enlace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revisa tu correo")
    checked(page)

    body = OutboxMessage.objects.get(template="password_reset").body
    link = re.search(r"(/olvide-mi-contrasena/\S+/)", body)
    assert link
    page.goto(f"{live_server.url}{link.group(1)}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Crea una contraseña nueva")
    checked(page)
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_label("Confirma tu contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Guardar contraseña").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Guardamos tu contraseña nueva")
    checked(page)
    sign_in(page, live_server.url, "olvido@correo.test", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}{reverse('core:dashboard')}")


def test_lost_email_delete_the_account_and_register_again(page: Page, live_server, user_factory):
    worker = WorkerFactory.create()
    user_factory(worker=worker, email="perdido@correo.test", mobile="5511112222")
    page.goto(f"{live_server.url}{reverse('identity:login')}")
    page.get_by_role("link", name="No tengo acceso a mi correo").click()
    checked(page)
    page.get_by_role("link", name="Borrar mi cuenta e iniciar un nuevo registro").click()
    checked(page)
    fill_identity(page, worker)
    page.get_by_role("button", name="Enviar código a mi celular").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirma que quieres borrar tu cuenta")
    checked(page)
    page.get_by_label("Código de confirmación").fill(last_code("sms", "deletion_code"))
    page.get_by_role("button", name="Borrar mi cuenta").click()
    expect(page.get_by_role("status").first).to_contain_text("Borramos tu cuenta en línea")
    expect(page.get_by_text("Paso 1 de 4")).to_be_visible()
    assert not User.objects.filter(email="perdido@correo.test").exists()

    register_in_browser(page, live_server.url, worker, "nuevo.correo@correo.test", "5511112222")
    assert User.objects.get(worker=worker).email == "nuevo.correo@correo.test"


def test_the_cesi_page_and_the_idle_warning(page: Page, live_server, user_factory, settings):
    page.goto(f"{live_server.url}{reverse('identity:cesi')}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Centro de Servicio Infonavit")
    checked(page)
    # A short idle clock for this test: the warning comes and "Seguir conectado" keeps the session.
    settings.MICUENTA_SESSION_IDLE_SECONDS = 8
    settings.MICUENTA_SESSION_WARNING_SECONDS = 6
    user_factory(email="inactiva@correo.test")
    sign_in(page, live_server.url, "inactiva@correo.test", TEST_PASSWORD)
    dialog = page.get_by_role("dialog", name="Tu sesión está por cerrarse")
    expect(dialog).to_be_visible(timeout=10_000)
    assert_accessible(page)
    dialog.get_by_role("button", name="Seguir conectado").click()
    expect(dialog).to_be_hidden()
    page.reload()
    expect(page).to_have_url(f"{live_server.url}{reverse('core:dashboard')}")
