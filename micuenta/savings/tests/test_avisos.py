"""Avisos de descuentos: a retención per current employer of a credit paid through the payroll, a modificación
when the discount changes, a suspensión once it is paid off; each signed, listed and downloadable by its owner
only, and verifiable."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from micuenta.core.actors import Actor
from micuenta.credits.models import CreditStatus, DiscountType, Regime
from micuenta.credits.selectors import credit_debt
from micuenta.credits.tests.factories import CreditFactory, originate
from micuenta.documents.models import DocumentStatus, OfficialDocument
from micuenta.documents.services import document_pdf
from micuenta.employment.tests.factories import EmploymentRelationFactory
from micuenta.feeds.tests.helpers import IMSS_HEADER, run_feed, write_feed
from micuenta.identity.tests.factories import UserFactory
from micuenta.notifications.models import OutboxMessage
from micuenta.people.tests.factories import WorkerFactory
from micuenta.savings.avisos import avisos_ensure
from micuenta.savings.tasks import issue_avisos

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("pruebas")
NEW_NRP = "B1234567895"
NEW_RFC = "CAT850101AB1"  # persona moral with a valid check digit


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


def test_an_aviso_issued_unasked_is_told_by_email_without_what_it_prints():
    credit, _ = roa_credit()
    owner = UserFactory.create(worker=credit.worker)
    (retencion,) = avisos_ensure(actor=SYSTEM, credit=credit)
    (message,) = OutboxMessage.objects.filter(template="documento_emitido")
    assert message.to_address == owner.email
    assert message.subject == "Tienes un documento nuevo: Aviso para Retención de Descuentos"
    assert retencion.folio in message.body and "/mi-credito/avisos/" in message.body
    assert "Entrégalo a tu patrón" in message.body and "/verificar/" in message.body
    assert credit.worker.nss not in message.body and credit.numero_credito not in message.body
    assert avisos_ensure(actor=SYSTEM, credit=credit) == []
    assert OutboxMessage.objects.filter(template="documento_emitido").count() == 1  # nothing new, nothing sent


def queued_avisos() -> list[int]:
    issued: list[int] = []
    for task in DBTaskResult.objects.filter(task_path="micuenta.savings.tasks.issue_avisos"):
        issued.append(issue_avisos.call(*task.args_kwargs["args"], **task.args_kwargs["kwargs"]))
        task.delete()
    return issued


def test_a_new_employer_in_the_imss_file_gets_its_retencion_after_the_feed(
    tmp_path, django_capture_on_commit_callbacks
):
    credit, relation = roa_credit()
    avisos_ensure(actor=SYSTEM, credit=credit)
    other = WorkerFactory.create()  # touched by the file, without a credit: no task for them
    rows = [
        f'{credit.worker.nss},{NEW_NRP},"Comercial del Bajío S.A. de C.V.",{NEW_RFC},ALTA,2026-11-02,520.00',
        f'{other.nss},{NEW_NRP},"Comercial del Bajío S.A. de C.V.",{NEW_RFC},ALTA,2026-11-02,480.00',
    ]
    with django_capture_on_commit_callbacks(execute=True):
        outcome = run_feed("import_employment", write_feed(tmp_path / "imss.csv", IMSS_HEADER, rows))
    assert outcome.run.posted == 2
    (task,) = DBTaskResult.objects.filter(task_path="micuenta.savings.tasks.issue_avisos")
    assert task.args_kwargs["kwargs"] == {"worker_ids": [credit.worker_id]}
    assert queued_avisos() == [1]
    new = OfficialDocument.objects.get(kind="aviso_retencion", data__registro_patronal=NEW_NRP)
    assert new.worker_id == credit.worker_id and new.status == DocumentStatus.VIGENTE
    first = OfficialDocument.objects.get(
        kind="aviso_retencion", data__registro_patronal=relation.employer.registro_patronal
    )
    assert first.status == DocumentStatus.VIGENTE  # the first employer's stays in force


def test_a_bank_payment_that_pays_the_credit_off_gets_its_suspension(tmp_path, django_capture_on_commit_callbacks):
    credit, relation = roa_credit(origination_date=date(2025, 3, 14))
    (retencion,) = avisos_ensure(actor=SYSTEM, credit=credit)
    today = timezone.localdate()
    payoff = credit_debt(credit, today=today).payoff
    row = f"{today:%Y-%m-%d},{payoff},5503,{credit.numero_credito},spei,LIQ-1"
    with django_capture_on_commit_callbacks(execute=True):
        outcome = run_feed(
            "import_bank_payments",
            write_feed(tmp_path / "banco.csv", "fecha_pago,importe,referencia,concepto,canal,folio", [row]),
        )
    assert outcome.run.posted == 1
    credit.refresh_from_db()
    assert credit.status == CreditStatus.LIQUIDADO
    assert queued_avisos() == [1]
    retencion.refresh_from_db()
    suspension = OfficialDocument.objects.get(kind="aviso_suspension")
    assert (retencion.status, retencion.replaced_by_id) == (DocumentStatus.REEMPLAZADO, suspension.pk)
    assert suspension.data["registro_patronal"] == relation.employer.registro_patronal


def test_a_modificacion_tells_the_employer_the_old_discount_holds_until_it_applies(client):
    credit, _ = roa_credit()
    (retencion,) = avisos_ensure(actor=SYSTEM, credit=credit)
    credit.discount_type, credit.discount_value = DiscountType.CUOTA_FIJA, Decimal("2500.00")
    credit.save(update_fields=["discount_type", "discount_value"])
    (modificacion,) = avisos_ensure(actor=SYSTEM, credit=credit)
    starts = date.fromisoformat(modificacion.data["vigente_desde"])
    html = client.get(reverse("documents:verify_link", args=[retencion.folio, retencion.code])).content.decode()
    assert "Documento auténtico, reemplazado por otro" in html
    assert f"Lo reemplaza el aviso {modificacion.folio}, que cambia el descuento a partir del {starts:%d/%m/%Y}" in html
    assert "hasta esa fecha el patrón sigue aplicando el descuento de este aviso" in html
    text = text_of(document_pdf(modificacion))
    assert "$2,500.00 mensuales" in text and "al mes" not in text.split("Nuevo descuento", 1)[1][:60]


def test_the_same_value_in_another_form_is_a_modificacion():
    credit, _ = roa_credit()
    avisos_ensure(actor=SYSTEM, credit=credit)  # 20 % del salario
    credit.discount_type = DiscountType.FACTOR  # 20 veces la UMI: the same number, another discount
    credit.save(update_fields=["discount_type"])
    assert [d.kind for d in avisos_ensure(actor=SYSTEM, credit=credit)] == ["aviso_modificacion"]


def test_at_payoff_an_employer_left_before_gets_no_suspension():
    credit, current = roa_credit()
    former = EmploymentRelationFactory.create(worker=credit.worker, started_on=date(2019, 1, 1), ended_on=None)
    avisos_ensure(actor=SYSTEM, credit=credit)  # a retención for each of the two current employers
    former.ended_on = date(2026, 3, 31)
    former.save(update_fields=["ended_on"])
    credit.status, credit.paid_off_on = CreditStatus.LIQUIDADO, date(2026, 11, 30)
    credit.save(update_fields=["status", "paid_off_on"])
    issued = avisos_ensure(actor=SYSTEM, credit=credit)
    assert [(d.kind, d.data["registro_patronal"]) for d in issued] == [
        ("aviso_suspension", current.employer.registro_patronal)
    ]


def test_the_january_umi_update_of_a_factor_discount_is_a_modificacion(monkeypatch):
    from micuenta.core.models import Umi
    from micuenta.core.policies import clear_policy_cache

    credit, _ = roa_credit()
    credit.discount_type, credit.discount_value = DiscountType.FACTOR, Decimal("22.2224")
    credit.save(update_fields=["discount_type", "discount_value"])
    (retencion,) = avisos_ensure(actor=SYSTEM, credit=credit)
    # 22.2224 × 3,064.62 (the UMI of 2026, a month) = 68,103.2115
    assert retencion.data["descuento"]["mensual"] == "$68,103.21"
    assert avisos_ensure(actor=SYSTEM, credit=credit) == []
    Umi.objects.create(
        valid_from=date(2027, 1, 1),
        daily=Decimal("104.84"),
        monthly=Decimal("3187.14"),
        annual=Decimal("38245.68"),
        source="prueba",
    )
    clear_policy_cache()
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2027, 1, 11))
    try:
        (modificacion,) = avisos_ensure(actor=SYSTEM, credit=credit)
    finally:
        clear_policy_cache()
    assert modificacion.kind == "aviso_modificacion"
    assert modificacion.data["descuento"]["mensual"] == "$70,825.90"  # 22.2224 × 3,187.14 = 70,825.8999
    assert modificacion.data["vigente_desde"] == "2027-03-01"  # the first day of the next bimestre
