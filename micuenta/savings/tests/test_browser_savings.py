"""Mi ahorro in a real browser, as the demo saver: the total, the movements and their chart, the files, the jobs."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from micuenta.core.tests.browser import assert_accessible, assert_fits_width, tab_to
from micuenta.demo.accounts import DEMO_PASSWORD
from micuenta.demo.services import demo_data_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVER = "ana.demo@micuenta.test"


def checked(page: Page) -> None:
    """axe-core finds nothing serious at desktop width nor on a phone, and the page never scrolls sideways."""
    assert_accessible(page)
    assert_fits_width(page, 390)
    assert_accessible(page)
    assert_fits_width(page, 320)
    page.set_viewport_size({"width": 1280, "height": 900})


def pesos(text: str) -> Decimal:
    return Decimal(text.strip().replace("$", "").replace(",", ""))


@pytest.fixture
def signed_in_saver(page: Page, live_server, settings) -> str:
    settings.MICUENTA_DEMO = True
    demo_data_load()
    base = live_server.url
    page.goto(f"{base}{reverse('identity:login')}")
    page.get_by_label("Correo electrónico o NSS").fill(SAVER)
    page.get_by_label("Contraseña").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Iniciar sesión").click()
    expect(page).to_have_url(f"{base}{reverse('core:dashboard')}")
    return base


def test_the_saver_reads_her_balance_movements_files_and_jobs(page: Page, signed_in_saver: str, tmp_path: Path):
    base = signed_in_saver

    # Cuánto ahorro tengo, from the main menu.
    page.get_by_role("navigation", name="Menú principal").get_by_role("link", name="Mi ahorro").click()
    expect(page).to_have_url(f"{base}{reverse('savings:balance')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cuánto ahorro tengo")
    total_text = page.locator(".total-amount").inner_text().strip()
    total = pesos(total_text)
    assert total > 0
    expect(page.get_by_text(re.compile(r"Información al \d\d/\d\d/\d{4}"))).to_be_visible()
    pockets = [pesos(t) for t in page.locator(".pocket-amount").all_inner_texts()]
    assert sum(pockets) == total
    expect(page.get_by_role("region", name="Últimas aportaciones de tus patrones").locator("tbody tr")).to_have_count(
        12
    )
    checked(page)

    # Resumen de movimientos: every movement, the chart and its table.
    sub = page.get_by_role("navigation", name="Mi ahorro")
    sub.get_by_role("link", name="Resumen de movimientos").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resumen de movimientos")
    expect(sub.get_by_role("link", name="Resumen de movimientos")).to_have_attribute("aria-current", "page")
    movements = page.get_by_role("region", name="Movimientos", exact=True).locator("tbody tr")
    expect(movements).to_have_count(25)
    net = pesos(page.locator("dl.totals dd.net").inner_text())
    assert net == total  # the whole history adds up to the balance
    count = int(page.locator("dl.totals div").filter(has_text="Número de movimientos").locator("dd").inner_text())
    chart = page.get_by_role("img", name="Tu saldo a lo largo del tiempo")
    expect(chart).to_be_visible()
    assert page.locator("svg.chart").count() == 1
    first_why = page.get_by_text("¿Por qué cambió mi saldo?").first
    first_why.click()
    expect(page.locator("details.why").first.get_by_text("Tu patrón depositó el 5 %")).to_be_visible()
    page.get_by_text("Ver los datos de la gráfica en una tabla").click()
    chart_rows = page.get_by_role("region", name="Saldo al cierre de cada año").locator("tbody tr")
    expect(chart_rows.first).to_be_visible()
    assert pesos(chart_rows.last.locator("td").last.inner_text()) == total
    checked(page)

    # Every page of movements, added up, gives the balance too.
    shown: list[Decimal] = []
    number = 1
    while True:
        expect(page.get_by_text(re.compile(rf"^Página {number} de \d+$"))).to_be_visible()
        shown += [pesos(t) for t in movements.locator("td.num").all_inner_texts()]
        following = page.get_by_role("link", name="Página siguiente")
        if following.count() == 0:
            break
        following.click()
        number += 1
    assert len(shown) == count
    assert sum(shown) == total
    page.get_by_role("navigation", name="Mi ahorro").get_by_role("link", name="Resumen de movimientos").click()

    # The CSV: every movement, adding up to the balance.
    tab_to(page, page.get_by_role("link", name="Descargar CSV"))
    with page.expect_download() as csv_download:
        page.keyboard.press("Enter")
    assert csv_download.value.suggested_filename == "resumen-de-movimientos.csv"
    csv_path = tmp_path / "movimientos.csv"
    csv_download.value.save_as(csv_path)
    data = csv_path.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert len(rows) == count
    assert sum(Decimal(row["monto"]) for row in rows) == total

    # The PDF: the same total as on screen.
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Descargar PDF").click()
    assert pdf_download.value.suggested_filename == "resumen-de-movimientos.pdf"
    pdf_path = tmp_path / "movimientos.pdf"
    pdf_download.value.save_as(pdf_path)
    pdf_text = " ".join(p.extract_text() for p in PdfReader(pdf_path).pages)
    assert f"Saldo actual de tu Subcuenta de Vivienda: {total_text}" in pdf_text
    assert "Ana Sofía Villarreal Quiroga" in pdf_text

    # A filter: the yields only; the file links carry it.
    page.get_by_label("Tipo de movimiento").select_option(label="Rendimientos")
    page.get_by_label("Desde").fill("2022-01-01")
    page.get_by_role("button", name="Ver movimientos").click()
    expect(page.get_by_role("heading", name="Periodo: del 01/01/2022 a la fecha")).to_be_visible()
    expect(page.get_by_role("link", name="Descargar CSV")).to_have_attribute(
        "href", f"{reverse('savings:movements_csv')}?tipo=rendimiento&desde=2022-01-01"
    )
    assert all(t == "Rendimientos" for t in movements.locator("td:nth-child(2)").all_inner_texts())
    checked(page)

    # A filter that makes no sense is explained next to its field.
    page.get_by_label("Desde").fill("2025-12-31")
    page.get_by_label("Hasta").fill("2025-01-01")
    page.get_by_role("button", name="Ver movimientos").click()
    expect(page.get_by_role("alert")).to_contain_text("Revisa el filtro")
    expect(page.get_by_label("Hasta")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("«Hasta» debe ser el mismo día que «Desde» o uno posterior.")).to_be_visible()
    checked(page)

    # Relaciones laborales: the jobs in order, the gaps between them, the current run.
    page.get_by_role("navigation", name="Mi ahorro").get_by_role("link", name="Relaciones laborales").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Relaciones laborales")
    jobs = page.get_by_role("region", name="Tus empleos").locator("tbody tr")
    expect(jobs).to_have_count(7)  # 4 jobs and the 3 gaps between them
    expect(jobs.last).to_contain_text("Vigente")
    expect(page.locator(".gap-row").first).to_contain_text(
        "Sin relación laboral registrada del 31/03/2012 al 31/05/2012"
    )
    expect(page.get_by_text(re.compile(r"Cotizas sin interrupción desde el"))).to_be_visible()
    checked(page)
