"""The person's pages of trámites and the back office's, through HTTP: who sees what, hostile files, bounded
queries."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pikepdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from micuenta.mfa.tests.helpers import sign_in_verified
from micuenta.people.tests.factories import WorkerFactory
from micuenta.tramites.models import Case, CaseDocument, Status
from micuenta.tramites.tests.factories import (
    analyst,
    file_curp_correction,
    other_curp,
    pdf_bytes,
    person,
    staff,
    supervisor,
)
from micuenta.uploads.storage import private_storage

pytestmark = pytest.mark.django_db


def stored_files() -> list[str]:
    root = Path(private_storage().location)  # type: ignore[attr-defined]
    return [str(p) for p in root.rglob("*") if p.is_file()]


def curp_form(worker, **files):
    return {"curp": other_curp(worker), "explanation": "", **files}


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> io.BytesIO:
    buffer = io.BytesIO(content)
    buffer.name = name
    return buffer


def big_png() -> bytes:
    image = Image.new("1", (40_000, 40_000))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def pdf_with_javascript() -> bytes:
    document = pikepdf.new()
    document.add_blank_page()
    document.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hola")
    return buffer.getvalue()


HOSTILE = {
    "html_polyglot": lambda: b"<html><script>alert(1)</script></html>\n" + pdf_bytes(),
    "javascript": pdf_with_javascript,
    "too_big": lambda: b"%PDF-1.4\n" + b"0" * (12 * 1024 * 1024),
    "empty": lambda: b"",
    "zip": zip_bytes,
    "bomb": big_png,
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_file_is_refused_on_its_field_and_leaves_nothing(client, kind):
    owner = person()
    client.force_login(owner)
    before = set(stored_files())
    data = curp_form(
        owner.worker,
        doc_constancia_curp=upload("../../constancia.pdf", HOSTILE[kind]()),
        doc_identificacion=upload("ine.pdf", pdf_bytes()),
    )
    response = client.post(f"{reverse('tramites:correccion')}?dato=curp", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_doc_constancia_curp-error"' in html
    assert Case.objects.count() == 0 and CaseDocument.objects.count() == 0
    assert set(stored_files()) == before


def test_a_name_with_control_characters_and_a_path_is_cleaned(client):
    owner = person()
    client.force_login(owner)
    data = curp_form(
        owner.worker,
        doc_constancia_curp=upload("../../a\x07b\u202ec.pdf", pdf_bytes()),
        doc_identificacion=upload("ine.pdf", pdf_bytes()),
    )
    response = client.post(f"{reverse('tramites:correccion')}?dato=curp", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    names = list(CaseDocument.objects.values_list("name", flat=True))
    assert all("/" not in n and "\x07" not in n and "\u202e" not in n for n in names), names


def test_another_person_and_staff_without_the_role_get_404_on_the_case_and_its_files(client):
    owner = person()
    case = file_curp_correction(owner)
    document = case.documents.first()
    urls = [
        reverse("tramites:case", kwargs={"folio": case.folio}),
        reverse("tramites:document", kwargs={"folio": case.folio, "document_id": document.pk}),
    ]
    client.force_login(person())
    assert [client.get(url).status_code for url in urls] == [404, 404]
    from micuenta.backoffice.roles import ASESOR_GROUP

    cesi = staff(ASESOR_GROUP)
    staff_urls = [
        reverse("backoffice:tramites_case", kwargs={"folio": case.folio}),
        reverse("backoffice:tramites_document", kwargs={"folio": case.folio, "document_id": document.pk}),
    ]
    sign_in_verified(client, cesi)  # past the second factor: the role alone must refuse
    assert [client.get(url).status_code for url in staff_urls] == [404, 404]


def test_the_owner_downloads_their_document_as_an_attachment(client):
    owner = person()
    case = file_curp_correction(owner)
    client.force_login(owner)
    document = case.documents.first()
    response = client.get(reverse("tramites:document", kwargs={"folio": case.folio, "document_id": document.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize("count", [10, 1000])
def test_the_list_of_a_persons_cases_takes_the_same_queries_with_10_and_1000(client, count):
    owner = person()
    first = file_curp_correction(owner, documents=0)
    Case.objects.filter(pk=first.pk).update(status=Status.CANCELADA, closed_at=first.submitted_at)
    Case.objects.bulk_create(
        Case(folio=f"COR-2000-{k:06d}", kind=first.kind, worker=owner.worker, status=Status.CANCELADA,
             data=first.data, due_on=first.due_on, closed_at=first.submitted_at)
        for k in range(count - 1)
    )  # fmt: skip
    client.force_login(owner)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("tramites:index")).status_code == 200
    assert len(queries) <= 14, [q["sql"] for q in queries]


@pytest.mark.parametrize("count", [10, 1000])
def test_the_staff_queue_takes_the_same_queries_with_10_and_1000(client, count):
    owner = person()
    first = file_curp_correction(owner, documents=0)
    workers = WorkerFactory.create_batch(5)
    Case.objects.bulk_create(
        Case(folio=f"COR-2000-{k:06d}", kind=first.kind, worker=workers[k % 5], status=Status.CANCELADA,
             data=first.data, due_on=first.due_on, closed_at=first.submitted_at)
        for k in range(count - 1)
    )  # fmt: skip
    sign_in_verified(client, analyst())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{reverse('backoffice:tramites_queue')}?estado=cancelada")
    assert response.status_code == 200, response
    assert len(queries) <= 16, [q["sql"] for q in queries]


def test_the_case_page_names_the_data_being_corrected_as_it_is_written(client):
    owner = person()
    case = file_curp_correction(owner, documents=0)
    client.force_login(owner)
    html = client.get(reverse("tramites:case", kwargs={"folio": case.folio})).content.decode()
    assert "<dt>Dato por corregir</dt>" in html
    assert "<dd>CURP</dd>" in html and "Curp" not in html


def test_staff_read_each_step_in_words_with_who_took_it(client):
    from micuenta.tramites.services import case_take
    from micuenta.tramites.tests.factories import staff_actor

    case = file_curp_correction(person(), documents=0)
    jorge = analyst(first_name="Jorge", last_name="Beltrán")
    case_take(actor=staff_actor(jorge), case_id=case.pk)
    sign_in_verified(client, jorge)
    html = client.get(reverse("backoffice:tramites_case", kwargs={"folio": case.folio})).content.decode()
    assert "Presentada · Derechohabiente" in html
    assert "Tomada · Jorge Beltrán" in html
    assert "Sistema" not in html


def test_the_persons_security_activity_names_the_institutes_staff_not_their_browser(client):
    from micuenta.identity.models import SecurityEvent, SecurityEventKind
    from micuenta.tramites.services import case_approve, case_confirm, case_take
    from micuenta.tramites.tests.factories import staff_actor, supervisor, supervisor_actor

    owner = person()
    case = file_curp_correction(owner)
    jorge, lucia = analyst(), supervisor()
    case_take(actor=staff_actor(jorge), case_id=case.pk)
    document = case.documents.first()
    sign_in_verified(client, jorge)
    browser = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/120.0 Safari/537.36"}
    url = reverse("backoffice:tramites_document", kwargs={"folio": case.folio, "document_id": document.pk})
    assert client.get(url, **browser).status_code == 200
    case_approve(actor=staff_actor(jorge), case_id=case.pk)
    case_confirm(actor=supervisor_actor(lucia), case_id=case.pk)
    lines = SecurityEvent.objects.filter(
        user=owner, kind__in=[SecurityEventKind.DOCUMENT_VIEWED, SecurityEventKind.DATA_CORRECTED]
    )
    assert lines.count() == 2
    assert set(lines.values_list("device", "place")) == {("", "")}

    client.force_login(owner)
    html = client.get(reverse("security:activity")).content.decode()
    folio = f'<span class="folio">{case.folio}</span>'
    assert f"Personal del Instituto revisó un documento de tu trámite {folio}" in html
    assert f"Personal del Instituto aplicó la corrección de tu trámite {folio}" in html
    assert "Dato corregido: CURP" in html
    assert "Personal del CESI" not in html
    assert "HeadlessChrome" not in html and "Linux" not in html
    assert ">No fui yo<" not in html


def test_each_staff_decision_is_its_own_section_with_a_heading(client):
    from micuenta.tramites.services import case_approve, case_take
    from micuenta.tramites.tests.factories import staff_actor, supervisor

    case = file_curp_correction(person(), documents=0)
    jorge = analyst()
    case_take(actor=staff_actor(jorge), case_id=case.pk)
    url = reverse("backoffice:tramites_case", kwargs={"folio": case.folio})
    sign_in_verified(client, jorge)
    html = client.get(url).content.decode()
    for heading in ("Aprobar", "Necesitamos más información", "Rechazar"):
        assert f">{heading}</h3>" in html
    assert html.count('<section class="decision"') == 3

    case_approve(actor=staff_actor(jorge), case_id=case.pk)
    sign_in_verified(client, supervisor())
    html = client.get(url).content.decode()
    assert ">Confirmar la aprobación</h3>" in html and ">Regresar a revisión</h3>" in html
    assert html.count('<section class="decision"') == 2


def test_folios_are_kept_whole_on_the_persons_case_page(client):
    owner = person()
    case = file_curp_correction(owner, documents=0)
    client.force_login(owner)
    html = client.get(reverse("tramites:case", kwargs={"folio": case.folio})).content.decode()
    assert f'<dd><span class="folio">{case.folio}</span></dd>' in html
    assert '<dl class="facts case-facts">' in html


def _asked(owner, **kwargs):
    from micuenta.tramites.services import case_request_information, case_take
    from micuenta.tramites.tests.factories import staff_actor

    case = file_curp_correction(owner, **kwargs)
    jorge = analyst()
    case_take(actor=staff_actor(jorge), case_id=case.pk)
    case_request_information(actor=staff_actor(jorge), case_id=case.pk, text="Manda tu INE por ambos lados.")
    return case, jorge


def test_the_answer_takes_several_files_at_once(client):
    owner = person()
    case, _ = _asked(owner)
    client.force_login(owner)
    url = reverse("tramites:answer", kwargs={"folio": case.folio})
    files = [upload("ine-frente.pdf", pdf_bytes("frente")), upload("ine-reverso.pdf", pdf_bytes("reverso"))]
    response = client.post(url, {"text": "", "documents": files})
    assert response.status_code == 302
    names = set(CaseDocument.objects.filter(case=case).values_list("name", flat=True))
    assert {"ine-frente.pdf", "ine-reverso.pdf"} <= names
    assert Case.objects.get(pk=case.pk).status == Status.EN_REVISION


def test_an_answer_to_a_request_already_answered_says_so_and_sends_nothing(client):
    owner = person()
    case, _ = _asked(owner)
    client.force_login(owner)
    url = reverse("tramites:answer", kwargs={"folio": case.folio})
    assert client.post(url, {"text": "Primera respuesta."}).status_code == 302
    second = client.post(url, {"text": "Segunda respuesta."}, follow=True)
    html = second.content.decode()
    assert "ya no espera una respuesta, así que no enviamos lo que escribiste" in html
    assert not case.messages.filter(text="Segunda respuesta.").exists()


def test_a_case_at_its_file_limit_offers_no_file_field_and_refuses_more(client, settings):
    owner = person()
    case, _ = _asked(owner)  # two documents filed
    settings.MICUENTA_UPLOAD_MAX_FILES = 3
    client.force_login(owner)
    url = reverse("tramites:answer", kwargs={"folio": case.folio})
    too_many = client.post(url, {"documents": [upload("a.pdf", pdf_bytes()), upload("b.pdf", pdf_bytes())]})
    assert too_many.status_code == 400
    assert "En esta solicitud caben 1 archivo más y elegiste 2" in too_many.content.decode()
    settings.MICUENTA_UPLOAD_MAX_FILES = 2
    page = client.get(reverse("tramites:case", kwargs={"folio": case.folio})).content.decode()
    assert 'name="documents"' not in page and "ya tiene 2 archivos, el máximo" in page


def test_the_cancel_page_of_a_decided_case_offers_no_button(client):
    from micuenta.tramites.services import case_approve, case_take
    from micuenta.tramites.tests.factories import staff_actor

    owner = person()
    case = file_curp_correction(owner)
    jorge = analyst()
    case_take(actor=staff_actor(jorge), case_id=case.pk)
    case_approve(actor=staff_actor(jorge), case_id=case.pk)
    client.force_login(owner)
    html = client.get(reverse("tramites:withdraw", kwargs={"folio": case.folio})).content.decode()
    assert "ya no puede cancelarse" in html and "Sí, cancelar la solicitud" not in html


def test_only_the_analyst_working_a_case_and_supervisors_open_its_documents(client):
    owner = person()
    case, jorge = _asked(owner)
    document = case.documents.first()
    url = reverse("backoffice:tramites_document", kwargs={"folio": case.folio, "document_id": document.pk})
    sign_in_verified(client, analyst())
    assert client.get(url).status_code == 404
    page = client.get(reverse("backoffice:tramites_case", kwargs={"folio": case.folio})).content.decode()
    assert "tómala (o pide que te la reasignen) para verlos" in page and url not in page
    client.logout()
    sign_in_verified(client, jorge)
    assert client.get(url).status_code == 200
    client.logout()
    sign_in_verified(client, supervisor())
    assert client.get(url).status_code == 200


def test_a_supervisor_reassigns_a_case_from_its_page(client):
    owner = person()
    case, _ = _asked(owner)
    ana = analyst(first_name="Ana", last_name="Reyes")
    sign_in_verified(client, supervisor())
    action = reverse("backoffice:tramites_action", kwargs={"folio": case.folio, "action": "reasignar"})
    refused = client.post(action, {"reasignar-assignee": str(owner.pk)})
    assert refused.status_code == 400 and "Elige de la lista" in refused.content.decode()
    done = client.post(action, {"reasignar-assignee": str(ana.pk)}, follow=True)
    assert "a Ana Reyes" in done.content.decode()
    assert Case.objects.get(pk=case.pk).assigned_to_id == ana.pk
