"""The CESI back office in a real browser: an asesor unlocks a worker's account, end to end."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from micuenta.backoffice.models import StaffAction
from micuenta.backoffice.roles import ASESOR_GROUP, SUPERVISOR_GROUP, roles_ensure
from micuenta.core.tests.browser import assert_accessible, assert_fits_width
from micuenta.identity.models import User
from micuenta.identity.services.security import account_security_lock
from micuenta.identity.tests.factories import TEST_PASSWORD
from micuenta.identity.tests.helpers import TEST_ACTOR
from micuenta.mfa.tests.helpers import totp_code
from micuenta.notifications.models import OutboxMessage
from micuenta.people.models import Worker
from micuenta.people.tests.factories import WorkerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "La persona se identificó en el CESI y pidió recuperar el acceso a su cuenta."


def _check_page(page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    assert_accessible(page)
    assert_fits_width(page, 390)
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 800})


def _staff(user_factory, group: str, email: str):
    roles_ensure()
    user = user_factory(email=email, is_staff=True, first_name="Raúl", last_name="Mendoza Treviño")
    user.groups.add(Group.objects.get(name=group))
    TOTPDevice.objects.create(user=user, name="Aplicación de autenticación", confirmed=True)
    return user


def _sign_in(page: Page, base: str, email: str) -> None:
    """Password at the CESI door, then the code of the staff member's authenticator app."""
    page.goto(f"{base}{reverse('backoffice:login')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Validación de identidad (CESI)")
    _check_page(page)
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verificación en dos pasos")
    device = TOTPDevice.objects.get(user__email=email)
    page.get_by_label("Código de verificación").fill(totp_code(device))
    page.get_by_role("button", name="Verificar").click()


def test_an_asesor_unlocks_a_locked_account_and_the_worker_signs_in_again(page: Page, live_server, user_factory):
    worker: Worker = WorkerFactory.create()
    account = user_factory(worker=worker, email="titular@correo.test", first_name=worker.nombre)
    account_security_lock(actor=TEST_ACTOR, user=account, reason="No fui yo")
    _staff(user_factory, ASESOR_GROUP, "asesor@cesi.test")
    base = live_server.url

    _sign_in(page, base, "asesor@cesi.test")
    expect(page).to_have_url(f"{base}{reverse('backoffice:search')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Buscar derechohabiente")
    _check_page(page)

    page.get_by_label("NSS o CURP").fill(worker.nss)
    page.get_by_role("button", name="Buscar").click()
    expect(page).to_have_url(f"{base}{reverse('backoffice:worker')}")
    assert worker.nss not in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(worker.nombre_completo)
    expect(page.get_by_text(f"*******{worker.nss[-4:]}")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text(worker.nss)
    _check_page(page)

    page.get_by_label("Identificación oficial revisada").select_option(label="Credencial para votar (INE)")
    page.get_by_label("Número de la identificación").fill("IDMEX1234567890")
    page.get_by_role("button", name="Registrar identificación").click()
    expect(page.get_by_role("status")).to_contain_text("Registraste la identificación revisada")
    expect(page.get_by_text("número con terminación 7890")).to_be_visible()
    _check_page(page)

    unlock = page.get_by_role("region", name="Desbloquear la cuenta")
    unlock.get_by_label("Motivo").fill("corto")
    unlock.get_by_role("button", name="Desbloquear la cuenta").click()
    expect(page.get_by_role("region", name="Desbloquear la cuenta")).to_contain_text("al menos 15 caracteres")
    _check_page(page)

    unlock = page.get_by_role("region", name="Desbloquear la cuenta")
    unlock.get_by_label("Motivo").fill(REASON)
    unlock.get_by_role("button", name="Desbloquear la cuenta").click()
    expect(page.get_by_role("status")).to_contain_text("Desbloqueaste la cuenta en línea")
    expect(page.get_by_text("Bloqueo por seguridad")).to_be_visible()
    _check_page(page)

    account.refresh_from_db()
    assert account.security_locked_at is None
    assert StaffAction.objects.get().reason == REASON
    assert OutboxMessage.objects.filter(template="account_unlocked").count() == 1

    # The worker signs in again at the portal's own sign-in page.
    worker_page = page.context.browser.new_page()  # type: ignore[union-attr]
    worker_page.goto(f"{base}{reverse('identity:login')}")
    worker_page.get_by_label("Correo electrónico o NSS").fill(worker.nss)
    worker_page.get_by_label("Contraseña").fill(TEST_PASSWORD)
    worker_page.get_by_role("button", name="Iniciar sesión").click()
    expect(worker_page).to_have_url(f"{base}{reverse('core:dashboard')}")
    worker_page.close()


def test_a_supervisor_reads_the_audit_log(page: Page, live_server, user_factory):
    _staff(user_factory, SUPERVISOR_GROUP, "supervisora@cesi.test")
    base = live_server.url
    _sign_in(page, base, "supervisora@cesi.test")
    page.get_by_role("navigation", name="Menú principal").get_by_role("link", name="Bitácora").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bitácora de validación de identidad")
    _check_page(page)
    page.get_by_label("Desde").fill("2026-01-01")
    page.get_by_role("button", name="Filtrar").click()
    expect(page).to_have_url(f"{base}{reverse('backoffice:audit')}?desde=2026-01-01&hasta=&personal=")
    _check_page(page)
    page.get_by_role("navigation", name="Menú principal").get_by_role("link", name="Consultas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultas de datos de derechohabientes")
    _check_page(page)
    page.get_by_role("button", name="Cerrar sesión").click()
    expect(page).to_have_url(f"{base}{reverse('backoffice:login')}")
    assert not User.objects.get(email="supervisora@cesi.test").device_sessions.filter(ended_at__isnull=True).exists()


def _shoot(page: Page, name: str) -> None:
    """Screenshots at both widths for a person to look at (outside the repository)."""
    import os

    folder = os.environ.get("MICUENTA_SHOTS_DIR", "")
    if not folder:
        return
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)


def test_staff_without_a_factor_enrol_an_app_first_then_reach_the_back_office(page: Page, live_server, user_factory):
    from micuenta.mfa.tests.helpers import totp_code_from_secret

    roles_ensure()
    staff = user_factory(email="nueva@cesi.test", is_staff=True, first_name="Inés", last_name="Robles")
    staff.groups.add(Group.objects.get(name=ASESOR_GROUP))
    base = live_server.url
    page.goto(f"{base}{reverse('backoffice:login')}")
    page.get_by_label("Correo electrónico").fill("nueva@cesi.test")
    page.get_by_label("Contraseña").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Activa la verificación en dos pasos")
    _check_page(page)
    _shoot(page, "staff-enrol")
    page.get_by_role("link", name="Usar una aplicación").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activar aplicación de autenticación")
    secret = page.locator("code").first.inner_text()
    page.get_by_label("Código de verificación").fill(totp_code_from_secret(secret))
    page.get_by_role("button", name="Activar").click()
    page.get_by_role("button", name="Ya guardé mis códigos").click()
    expect(page).to_have_url(f"{base}{reverse('backoffice:search')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Buscar derechohabiente")
    expect(page.locator("footer")).to_have_count(0)
    _check_page(page)
    _shoot(page, "cesi-search")
