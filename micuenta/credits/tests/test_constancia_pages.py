"""Mi crédito → Constancia de Intereses: closed years only, the figures on screen are the PDF's, the PDF is signed,
issued once and downloaded again as the same bytes, and verifiable by its QR link."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from micuenta.core.money import format_pesos
from micuenta.credits.allocation import PaymentIn
from micuenta.credits.constancia import constancia_figures
from micuenta.credits.models import Regime
from micuenta.credits.tests.factories import CreditFactory, accrue, originate, payments_post
from micuenta.documents.models import OfficialDocument
from micuenta.identity.tests.factories import UserFactory
from micuenta.mfa.tests.helpers import sign_in_verified

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
