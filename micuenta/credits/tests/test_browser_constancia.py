"""The Constancia de Intereses in Chromium, axe-core on every page at 390 and 1280 px: a borrower consults 2025,
downloads the signed PDF, its QR code (read from the rendered page) opens the public verification, and the
original PDF is recognised while a copy with one changed byte is refused."""

from __future__ import annotations

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

from micuenta.core.money import format_pesos
from micuenta.core.tests.browser import checked_at_both_widths
from micuenta.credits.allocation import PaymentIn
from micuenta.credits.constancia import constancia_figures
from micuenta.credits.models import Regime
from micuenta.credits.tests.factories import CreditFactory, accrue, originate, payments_post
from micuenta.identity.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def checked(page: Page) -> None:
    checked_at_both_widths(page, "constancia")


def test_consult_download_scan_and_verify_the_constancia(page: Page, live_server, tmp_path: Path):
    credit = originate(CreditFactory.create(origination_date=date(2024, 10, 14), regime=Regime.REA))
    accrue(month=date(2025, 12, 1), credit_ids=[credit.pk])
    payments_post(
        [PaymentIn(credit.pk, f"p:{credit.pk}:{m}", Decimal("9000.00"), date(2025, m, 20)) for m in (2, 6, 11)]
    )
    credit.refresh_from_db()
    UserFactory.create(worker=credit.worker, email="acreditada@correo.test")
    figures = constancia_figures(credit, 2025)
    base = live_server.url

    page.goto(f"{base}{reverse('identity:login')}")
    page.get_by_label("Correo electrónico o NSS").fill("acreditada@correo.test")
    page.get_by_label("Contraseña").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.goto(f"{base}{reverse('credits:balance')}")
    page.get_by_role("link", name="Constancia de Intereses").click()
    page.get_by_label("Ejercicio fiscal").select_option("2025")
    page.get_by_role("button", name="Consultar").click()
    expect(page.get_by_text(format_pesos(figures.real_interest)).first).to_be_visible()
    checked(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar la constancia (PDF firmado)").click()
    pdf = tmp_path / "constancia.pdf"
    download.value.save_as(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    codes = zxingcpp.read_barcodes(Image.open(next(tmp_path.glob("p*.png"))))
    link = next(c.text for c in codes if c.format == zxingcpp.BarcodeFormat.QRCode)
    assert link.startswith(f"{settings.MICUENTA_BASE_URL}/verificar/CIN-")

    page.context.clear_cookies()  # whoever received it: not signed in
    page.goto(base + link.removeprefix(settings.MICUENTA_BASE_URL))
    expect(page.get_by_role("heading", name="Documento auténtico y vigente")).to_be_visible()
    expect(page.get_by_text(format_pesos(figures.real_interest)).first).to_be_visible()
    checked(page)

    page.get_by_label("El PDF que recibiste").set_input_files(str(pdf))
    page.get_by_role("button", name="Comprobar el archivo").click()
    expect(page.get_by_role("heading", name="Es el documento original")).to_be_visible()
    checked(page)

    changed = bytearray(pdf.read_bytes())
    at = changed.index(b"Constancia")
    changed[at] = ord("K")
    copy = tmp_path / "copia.pdf"
    copy.write_bytes(bytes(changed))
    page.get_by_label("El PDF que recibiste").set_input_files(str(copy))
    page.get_by_role("button", name="Comprobar el archivo").click()
    expect(page.get_by_role("alert")).to_contain_text("no es el original")
    expect(page.get_by_role("heading", name="Es el documento original")).to_have_count(0)
    checked(page)
