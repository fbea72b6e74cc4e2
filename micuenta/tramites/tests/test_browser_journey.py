"""«Corregir mis datos» end to end in Chromium, axe-core on every page at 390 and 1280 px: a worker files a CURP
correction with a PDF → the analyst asks for information → the worker attaches a JPEG → the analyst approves → a
supervisor confirms → the worker sees the new CURP in Mi perfil and the whole timeline; another worker and a member
of staff without the role get 404 on the case and its files."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from playwright.sync_api import Page, expect

from micuenta.backoffice.roles import ASESOR_GROUP
from micuenta.backoffice.roles import roles_ensure as cesi_roles_ensure
from micuenta.core.tests.browser import assert_accessible, assert_no_sideways_scroll
from micuenta.identity.tests.factories import TEST_PASSWORD
from micuenta.mfa.tests.helpers import totp_code
from micuenta.people.tests.factories import WorkerFactory
from micuenta.tramites.models import Case, Status
from micuenta.tramites.roles import ANALYST_GROUP, SUPERVISOR_GROUP, roles_ensure
from micuenta.tramites.tests.factories import other_curp, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


SHOTS = os.environ.get("MICUENTA_SHOTS", "")  # a folder: each checked page is also saved there, to be looked at


def assert_folios_and_statuses_whole(page: Page) -> None:
    """No folio is broken across lines («COR-2026-» / «000009»), and a case's status pill is one line."""
    broken = page.evaluate(
        """() => {
            const out = [];
            for (const el of document.querySelectorAll('.folio')) {
                if (el.getClientRects().length > 1) out.push('folio ' + el.textContent);
            }
            for (const el of document.querySelectorAll('dl.facts .status')) {
                const size = parseFloat(getComputedStyle(el).fontSize);
                if (el.getBoundingClientRect().height > 2 * size * 1.2) out.push('status ' + el.textContent);
            }
            return out;
        }"""
    )
    assert broken == [], broken


def checked(page: Page) -> None:
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        assert_no_sideways_scroll(page, width)
        assert_folios_and_statuses_whole(page)
        if SHOTS:
            name = page.url.split("//", 1)[1].split("/", 1)[1].strip("/").replace("/", "_") or "inicio"
            taken = len(list(Path(SHOTS).glob("*.png")))
            page.screenshot(path=str(Path(SHOTS) / f"{taken:02d}-{name}-{width}.png"), full_page=True)


def staff_user(user_factory, email: str, group: str, first_name: str):
    roles_ensure()
    cesi_roles_ensure()
    user = user_factory(email=email, is_staff=True, first_name=first_name, last_name="Prueba")
    user.groups.add(Group.objects.get(name=group))
    TOTPDevice.objects.create(user=user, name="Aplicación de autenticación", confirmed=True)
    return user


def staff_sign_in(page: Page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}{reverse('backoffice:login')}")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    device = TOTPDevice.objects.get(user__email=email)
    device.last_t = -1  # the same person signs in again within the code's 30 s: not a replay of an attack
    device.save(update_fields=["last_t"])
    page.get_by_label("Código de verificación").fill(totp_code(device))
    page.get_by_role("button", name="Verificar").click()


def person_sign_in(page: Page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}{reverse('identity:login')}")
    page.get_by_label("Correo electrónico o NSS").fill(email)
    page.get_by_label("Contraseña").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page).not_to_have_url(f"{base}{reverse('identity:login')}")


def test_a_curp_correction_from_filing_to_the_new_curp_in_mi_perfil(page: Page, live_server, user_factory, tmp_path):
    worker = WorkerFactory.create()
    new_curp = other_curp(worker)
    user_factory(worker=worker, email="titular@correo.test", first_name=worker.nombre)
    user_factory(worker=WorkerFactory.create(), email="otra@correo.test", first_name="Otra")
    staff_user(user_factory, "analista@cesi.test", ANALYST_GROUP, "Jorge")
    staff_user(user_factory, "supervisora@cesi.test", SUPERVISOR_GROUP, "Lucía")
    staff_user(user_factory, "asesor@cesi.test", ASESOR_GROUP, "Raúl")
    base = live_server.url
    constancia = tmp_path / "constancia-curp.pdf"
    constancia.write_bytes(pdf_bytes("Constancia"))
    ine = tmp_path / "ine.pdf"
    ine.write_bytes(pdf_bytes("INE"))
    photo = tmp_path / "ine-reverso.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 500), (200, 180, 160)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())

    # The worker files it from Mi perfil.
    person_sign_in(page, base, "titular@correo.test")
    page.goto(f"{base}{reverse('identity:profile')}")
    checked(page)
    page.get_by_role("link", name="Corregir mis datos").click()
    expect(page.get_by_role("heading", level=1, name="Corregir mis datos")).to_be_visible()
    checked(page)
    page.get_by_role("link", name="Mi CURP").click()
    expect(page.get_by_role("heading", level=1, name="Corregir tu CURP")).to_be_visible()
    checked(page)
    page.get_by_label("Tu CURP correcta").fill(new_curp)
    page.get_by_label("Constancia de la CURP").set_input_files(str(constancia))
    page.get_by_label("Identificación oficial vigente").set_input_files(str(ine))
    page.get_by_role("button", name="Enviar solicitud").click()
    expect(page.get_by_text("Recibimos tu solicitud con folio", exact=False)).to_be_visible()
    case = Case.objects.get()
    expect(page.get_by_role("heading", level=1, name="Corregir tu CURP")).to_be_visible()
    checked(page)
    case_url = f"{base}{reverse('tramites:case', kwargs={'folio': case.folio})}"
    document = case.documents.first()
    assert document is not None
    document_url = f"{base}{reverse('tramites:document', kwargs={'folio': case.folio, 'document_id': document.pk})}"

    # The analyst takes it and asks for more information.
    staff_sign_in(page, base, "analista@cesi.test")
    expect(page.get_by_role("heading", level=1, name="Solicitudes de trámites")).to_be_visible()
    checked(page)
    page.get_by_role("link", name=case.folio).click()
    checked(page)
    page.get_by_role("button", name="Tomar").click()
    expect(page.get_by_text("ahora está a tu cargo", exact=False)).to_be_visible()
    page.get_by_label("¿Qué información necesitas?").fill("Adjunta también el reverso de tu INE, en foto.")
    page.get_by_role("button", name="Pedir información").click()
    expect(page.get_by_text("Le pedimos a la persona la información", exact=False)).to_be_visible()
    checked(page)

    # The worker answers with a JPEG.
    person_sign_in(page, base, "titular@correo.test")
    page.goto(case_url)
    expect(page.get_by_text("Adjunta también el reverso de tu INE", exact=False).first).to_be_visible()
    checked(page)
    page.get_by_label("Tu respuesta").fill("Ya adjunté el reverso.")
    page.get_by_label("Adjuntar documentos (opcional)").set_input_files(str(photo))
    page.get_by_role("button", name="Enviar respuesta").click()
    expect(page.get_by_text("Enviamos tu respuesta", exact=False)).to_be_visible()
    assert case.documents.count() == 3

    # The analyst approves; a supervisor confirms.
    staff_sign_in(page, base, "analista@cesi.test")
    page.goto(f"{base}{reverse('backoffice:tramites_case', kwargs={'folio': case.folio})}")
    for decision in ("Aprobar", "Necesitamos más información", "Rechazar"):
        expect(page.get_by_role("heading", level=3, name=decision)).to_be_visible()
    checked(page)
    page.get_by_role("button", name="Aprobar").click()
    expect(page.get_by_text("Ahora la confirma otra persona", exact=False)).to_be_visible()
    staff_sign_in(page, base, "supervisora@cesi.test")
    page.goto(f"{base}{reverse('backoffice:tramites_indicators')}")
    checked(page)
    page.goto(f"{base}{reverse('backoffice:tramites_case', kwargs={'folio': case.folio})}")
    for decision in ("Confirmar la aprobación", "Regresar a revisión"):
        expect(page.get_by_role("heading", level=3, name=decision)).to_be_visible()
    checked(page)
    page.get_by_role("button", name="Confirmar la aprobación").click()
    expect(page.get_by_text("el cambio quedó hecho", exact=False).first).to_be_visible()
    case.refresh_from_db()
    assert case.status == Status.APROBADA

    # The worker sees the new CURP and every step.
    person_sign_in(page, base, "titular@correo.test")
    page.goto(f"{base}{reverse('identity:profile')}")
    expect(page.get_by_text(new_curp)).to_be_visible()
    page.goto(case_url)
    steps = page.locator("ol.timeline li")
    expect(steps).to_have_count(6)
    checked(page)

    # Nobody else: another worker, and staff without a role of trámites.
    person_sign_in(page, base, "otra@correo.test")
    assert page.request.get(case_url).status == 404
    assert page.request.get(document_url).status == 404
    staff_sign_in(page, base, "asesor@cesi.test")
    staff_case = reverse("backoffice:tramites_case", kwargs={"folio": case.folio})
    assert page.request.get(f"{base}{staff_case}").status == 404
    staff_doc = reverse("backoffice:tramites_document", kwargs={"folio": case.folio, "document_id": 1})
    assert page.request.get(f"{base}{staff_doc}").status == 404
