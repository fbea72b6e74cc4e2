"""Mi crédito → Constancia de Intereses: closed years only, the figures on screen are the PDF's, the PDF is signed,
issued once and downloaded again as the same bytes, and verifiable by its QR link."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from micuenta.core.models import Inpc
from micuenta.core.money import format_pesos
from micuenta.credits.allocation import PaymentIn
from micuenta.credits.constancia import constancia_figures
from micuenta.credits.models import Regime
from micuenta.credits.tests.factories import CreditFactory, accrue, originate, payments_post
from micuenta.documents.models import DocumentStatus, OfficialDocument
from micuenta.identity.tests.factories import UserFactory
from micuenta.mfa.tests.helpers import sign_in_verified
from micuenta.people.tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def borrower(client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 3, 1))
    credit = originate(CreditFactory.create(origination_date=date(2024, 10, 14), regime=Regime.REA))
    accrue(month=date(2025, 12, 1), credit_ids=[credit.pk])
    payments_post(
        [PaymentIn(credit.pk, f"p:{credit.pk}:{m}", Decimal("2500.00"), date(2025, m, 20)) for m in (1, 4, 7, 10)]
    )
    credit.refresh_from_db()
    user = UserFactory.create(worker=credit.worker)
    sign_in_verified(client, user)
    return credit


def test_the_page_offers_closed_years_and_shows_the_figures(client, borrower):
    html = client.get(reverse("credits:constancia")).content.decode()
    assert '<option value="2025"' in html and '<option value="2024"' in html and '<option value="2026"' not in html
    shown = client.get(reverse("credits:constancia"), {"ejercicio": "2025"}).content.decode()
    figures = constancia_figures(borrower, 2025)
    assert format_pesos(figures.real_interest) in shown and format_pesos(figures.nominal_paid) in shown
    assert "corrígelo en «Corregir mis datos»" in shown
    refused = client.get(reverse("credits:constancia"), {"ejercicio": "2026"})
    assert refused.status_code == 400 and "Elige un ejercicio de la lista" in refused.content.decode()


def test_the_pdf_is_issued_once_signed_and_holds_the_figures_shown(client, borrower):
    url = reverse("credits:constancia_pdf", args=[2025])
    first = client.get(url)
    again = client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert first.content == again.content
    assert OfficialDocument.objects.filter(kind="constancia_intereses").count() == 1
    document = OfficialDocument.objects.get(kind="constancia_intereses")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(first.content)).pages)
    figures = constancia_figures(borrower, 2025)
    for amount in (figures.nominal_accrued, figures.nominal_paid, figures.real_interest):
        assert format_pesos(amount) in text
    assert document.folio in text and borrower.worker.rfc in text
    verified = client.get(reverse("documents:verify_link", args=[document.folio, document.code])).content.decode()
    assert "Documento auténtico y vigente" in verified and format_pesos(figures.real_interest) in verified
    assert borrower.worker.rfc not in verified and borrower.worker.nss not in verified
    assert client.get(reverse("credits:constancia_pdf", args=[2026])).status_code == 404


def pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def test_the_page_shows_the_balances_and_the_property(client, borrower):
    shown = client.get(reverse("credits:constancia"), {"ejercicio": "2025"}).content.decode()
    figures = constancia_figures(borrower, 2025)
    assert "Saldo insoluto al inicio del ejercicio" in shown and format_pesos(figures.inputs.balance_at_start) in shown
    assert format_pesos(figures.inputs.month_end_balances[-1]) in shown
    assert borrower.calle_numero in shown and borrower.codigo_postal in shown


def test_a_corrected_rfc_issues_the_constancia_again_and_replaces_the_old_one(client, borrower):
    url = reverse("credits:constancia_pdf", args=[2025])
    first = client.get(url).content
    old = OfficialDocument.objects.get(kind="constancia_intereses")
    worker = borrower.worker
    worker.rfc = worker.rfc[:10] + ("AB1" if worker.rfc[10:] != "AB1" else "CD2")
    worker.save(update_fields=["rfc"])
    second = client.get(url).content
    assert second != first and worker.rfc in pdf_text(second)
    old.refresh_from_db()
    new = OfficialDocument.objects.get(kind="constancia_intereses", status=DocumentStatus.VIGENTE)
    assert (old.status, old.replaced_by_id) == (DocumentStatus.REEMPLAZADO, new.pk)
    assert new.data["intereses_reales"] == old.data["intereses_reales"]  # the same figures, the new holder data
    assert client.get(url).content == second  # and from then on, the same bytes again


def test_a_co_borrower_sees_the_figures_but_the_constancia_is_the_holders(client, borrower):
    co = WorkerFactory.create()
    borrower.co_borrower = co
    borrower.save(update_fields=["co_borrower"])
    client.logout()
    sign_in_verified(client, UserFactory.create(worker=co))
    query = {"credito": borrower.numero_credito, "ejercicio": "2025"}
    shown = client.get(reverse("credits:constancia"), query).content.decode()
    assert format_pesos(constancia_figures(borrower, 2025).real_interest) in shown
    assert "se expide a nombre de su titular" in shown and "Descargar la constancia" not in shown
    assert co.rfc not in shown and borrower.worker.rfc not in shown
    pdf = client.get(reverse("credits:constancia_pdf", args=[2025]), {"credito": borrower.numero_credito})
    assert pdf.status_code == 404 and not OfficialDocument.objects.exists()


def test_odd_years_are_refused_in_words(client, borrower):
    for value in ("²", "٢٠٢٥", "02025", "2025 ", "x" * 500):
        response = client.get(reverse("credits:constancia"), {"ejercicio": value})
        assert response.status_code == 400 and "Elige un ejercicio de la lista" in response.content.decode()


def test_years_without_their_inpc_are_not_offered_and_say_where_to_ask(client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 3, 1))
    credit = originate(CreditFactory.create(origination_date=date(2012, 5, 14), regime=Regime.REA))
    sign_in_verified(client, UserFactory.create(worker=credit.worker))
    first_inpc = Inpc.objects.order_by("year", "month").first()
    assert first_inpc is not None and (first_inpc.year, first_inpc.month) == (2018, 1)
    html = client.get(reverse("credits:constancia")).content.decode()
    assert '<option value="2019"' in html and '<option value="2018"' not in html  # 2018 needs December 2017's
    assert "si necesitas la constancia de 2012 a 2018" in html.lower() and "Infonatel" in html
    assert client.get(reverse("credits:constancia"), {"ejercicio": "2015"}).status_code == 400
    assert client.get(reverse("credits:constancia_pdf", args=[2015])).status_code == 404


def test_a_year_closed_before_its_december_inpc_is_said_to_come_later(client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2027, 1, 8))
    credit = originate(CreditFactory.create(origination_date=date(2024, 10, 14), regime=Regime.REA))
    sign_in_verified(client, UserFactory.create(worker=credit.worker))
    html = client.get(reverse("credits:constancia")).content.decode()
    assert '<option value="2026"' not in html and '<option value="2025"' in html
    assert "La constancia de 2026 estará lista cuando el INEGI publique el INPC de diciembre de 2026" in html
