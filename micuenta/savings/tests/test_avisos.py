"""Avisos de descuentos: a retención per current employer of a credit paid through the payroll, a modificación
when the discount changes, a suspensión once it is paid off; each signed, listed and downloadable by its owner
only, and verifiable."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from micuenta.core.actors import Actor
from micuenta.credits.models import CreditStatus, DiscountType, Regime
from micuenta.credits.tests.factories import CreditFactory, originate
from micuenta.documents.models import DocumentStatus
from micuenta.documents.services import document_pdf
from micuenta.employment.tests.factories import EmploymentRelationFactory
from micuenta.identity.tests.factories import UserFactory
from micuenta.people.tests.factories import WorkerFactory
from micuenta.savings.avisos import avisos_ensure

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("pruebas")


def roa_credit(**kwargs):
    worker = WorkerFactory.create()
    relation = EmploymentRelationFactory.create(worker=worker, started_on=date(2020, 1, 6), ended_on=None)
    credit = originate(
        CreditFactory.create(
            worker=worker,
            regime=Regime.ROA,
            discount_type=DiscountType.PORCENTAJE,
            discount_value=Decimal("20.0000"),
            **kwargs,
        )
    )
    return credit, relation


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_a_retencion_per_current_employer_once():
    credit, relation = roa_credit()
    EmploymentRelationFactory.create(worker=credit.worker, started_on=date(2018, 1, 1), ended_on=date(2019, 6, 30))
    first = avisos_ensure(actor=SYSTEM, credit=credit)
    assert [d.kind for d in first] == ["aviso_retencion"]
    assert avisos_ensure(actor=SYSTEM, credit=credit) == []
    text = text_of(document_pdf(first[0]))
    assert first[0].folio in text and relation.employer.registro_patronal in text
    assert credit.worker.nss in text and credit.numero_credito in text
    assert "20 % del salario diario integrado" in text


def test_a_change_of_discount_issues_a_modificacion_that_replaces_it():
    credit, _ = roa_credit()
    (retencion,) = avisos_ensure(actor=SYSTEM, credit=credit)
    credit.discount_value = Decimal("25.0000")
    credit.save(update_fields=["discount_value"])
    (modificacion,) = avisos_ensure(actor=SYSTEM, credit=credit)
    retencion.refresh_from_db()
    assert modificacion.kind == "aviso_modificacion"
    assert (retencion.status, retencion.replaced_by_id) == (DocumentStatus.REEMPLAZADO, modificacion.pk)
    text = text_of(document_pdf(modificacion))
    assert "Descuento anterior" in text and "20 % del salario" in text and "25 % del salario" in text


def test_paid_off_a_suspension_replaces_the_aviso_in_force():
    credit, _ = roa_credit()
    avisos_ensure(actor=SYSTEM, credit=credit)
    credit.status = CreditStatus.LIQUIDADO
    credit.save(update_fields=["status"])
    (suspension,) = avisos_ensure(actor=SYSTEM, credit=credit)
    assert suspension.kind == "aviso_suspension"
    assert "deben devolverse al trabajador" in text_of(document_pdf(suspension))
    assert avisos_ensure(actor=SYSTEM, credit=credit) == []


def test_a_credit_paid_directly_needs_no_aviso():
    credit, _ = roa_credit()
    credit.regime = Regime.REA
    credit.save(update_fields=["regime"])
    assert avisos_ensure(actor=SYSTEM, credit=credit) == []


def test_the_page_lists_them_and_only_the_owner_downloads_them(client):
    credit, relation = roa_credit()
    owner = UserFactory.create(worker=credit.worker)
    client.force_login(owner)
    html = client.get(reverse("avisos:index")).content.decode()
    assert "Aviso para Retención de Descuentos" in html and relation.employer.registro_patronal in html
    folio = html.split('class="folio">', 1)[1].split("<", 1)[0]
    response = client.get(reverse("avisos:pdf", args=[folio]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    client.force_login(UserFactory.create(worker=WorkerFactory.create()))
    assert client.get(reverse("avisos:pdf", args=[folio])).status_code == 404


def test_the_daily_command_issues_what_is_missing_once(capsys):
    from django.core.management import call_command

    roa_credit()
    call_command("avisos_issue")
    call_command("avisos_issue")
    assert capsys.readouterr().out.splitlines() == ["Avisos emitidos: 1", "Avisos emitidos: 0"]


def test_paid_off_before_any_aviso_the_employer_at_payoff_gets_a_suspension():
    credit, relation = roa_credit()
    EmploymentRelationFactory.create(worker=credit.worker, started_on=date(2010, 1, 1), ended_on=date(2012, 1, 1))
    credit.status, credit.paid_off_on = CreditStatus.LIQUIDADO, date(2026, 6, 30)
    credit.save(update_fields=["status", "paid_off_on"])
    issued = avisos_ensure(actor=SYSTEM, credit=credit)
    assert [(d.kind, d.data["registro_patronal"]) for d in issued] == [
        ("aviso_suspension", relation.employer.registro_patronal)
    ]
    assert avisos_ensure(actor=SYSTEM, credit=credit) == []
