"""The avisos in Chromium, axe-core on every page at 390 and 1280 px: a borrower whose employer withholds the
credit's payments opens Mi crédito → Avisos para tu patrón, downloads the Aviso de Retención, its QR code (read from
the rendered page) opens the public verification with only the masked data the aviso prints; the original PDF is
recognised, a copy with one changed byte is refused; once the credit is paid off the retención reads "reemplazado"
and the suspensión is listed."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import zxingcpp
from django.conf import settings
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Page, expect

from micuenta.core.privacy import mask_nss
from micuenta.core.tests.browser import SHOTS, checked_at_both_widths
from micuenta.credits.models import CreditStatus, DiscountType, Regime
from micuenta.credits.tests.factories import CreditFactory, originate
from micuenta.documents.models import OfficialDocument
from micuenta.employment.tests.factories import EmploymentRelationFactory
from micuenta.identity.tests.factories import TEST_PASSWORD, UserFactory
from micuenta.people.tests.factories import WorkerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def checked(page: Page) -> None:
    checked_at_both_widths(page, "avisos")


def test_download_scan_and_verify_an_aviso_then_its_suspension(page: Page, live_server, tmp_path: Path):
    worker = WorkerFactory.create()
    relation = EmploymentRelationFactory.create(worker=worker, started_on=date(2020, 1, 6), ended_on=None)
    credit = originate(
        CreditFactory.create(
            worker=worker, regime=Regime.ROA, discount_type=DiscountType.PORCENTAJE, discount_value=Decimal("20")
        )
    )
    UserFactory.create(worker=worker, email="trabajadora@correo.test")
    base = live_server.url

    page.goto(f"{base}{reverse('identity:login')}")
    page.get_by_label("Correo electrónico o NSS").fill("trabajadora@correo.test")
    page.get_by_label("Contraseña").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.goto(f"{base}{reverse('credits:balance')}")
    page.get_by_role("link", name="Avisos para tu patrón").click()
    expect(page.get_by_role("heading", name="Aviso para Retención de Descuentos")).to_be_visible()
    expect(page.get_by_text(relation.employer.registro_patronal)).to_be_visible()
    expect(page.get_by_text("20 % del salario").first).to_be_visible()
    checked(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar el aviso (PDF)").click()
    pdf = tmp_path / "aviso.pdf"
    download.value.save_as(pdf)
    if SHOTS:
        shutil.copy(pdf, Path(SHOTS) / "aviso-retencion.pdf")
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    codes = zxingcpp.read_barcodes(Image.open(next(tmp_path.glob("p*.png"))))
    link = next(c.text for c in codes if c.format == zxingcpp.BarcodeFormat.QRCode)
    assert link.startswith(f"{settings.MICUENTA_BASE_URL}/verificar/AVR-")
    verification = base + link.removeprefix(settings.MICUENTA_BASE_URL)

    browser = page.context.browser
    assert browser is not None
    employer = browser.new_context()  # the employer who received it: not signed in
    other = employer.new_page()
    other.goto(verification)
    expect(other.get_by_role("heading", name="Documento auténtico y vigente")).to_be_visible()
    expect(other.get_by_text(mask_nss(worker.nss))).to_be_visible()
    assert worker.nss not in other.content() and credit.numero_credito not in other.content()
    checked(other)

    other.get_by_label("El PDF que recibiste").set_input_files(str(pdf))
    other.get_by_role("button", name="Comprobar el archivo").click()
    expect(other.get_by_role("heading", name="Es el documento original")).to_be_visible()

    changed = bytearray(pdf.read_bytes())
    at = changed.index(b"Aviso")
    changed[at] = ord("B")
    copy = tmp_path / "copia.pdf"
    copy.write_bytes(bytes(changed))
    other.get_by_label("El PDF que recibiste").set_input_files(str(copy))
    other.get_by_role("button", name="Comprobar el archivo").click()
    expect(other.get_by_role("alert")).to_contain_text("no es el original")
    checked(other)

    credit.status, credit.paid_off_on = CreditStatus.LIQUIDADO, date(2026, 11, 30)
    credit.save(update_fields=["status", "paid_off_on"])
    page.reload()  # the person's page issues what the credit now calls for: the suspensión
    expect(page.get_by_role("heading", name="Aviso de Suspensión de Descuentos")).to_be_visible()
    suspension = OfficialDocument.objects.get(kind="aviso_suspension", worker_id=worker.pk)
    expect(page.get_by_text(f"Reemplazado por el {suspension.folio}")).to_be_visible()
    checked(page)

    other.goto(verification)
    expect(other.get_by_role("heading", name="Documento auténtico, reemplazado por otro")).to_be_visible()
    expect(other.get_by_text(suspension.folio).first).to_be_visible()
    employer.close()
