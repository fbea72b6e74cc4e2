"""Mi perfil → Seguridad → Actividad de seguridad, and "No fui yo"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from micuenta.core.actors import Actor, ActorKind
from micuenta.identity.errors import IdentityCode, IdentityError
from micuenta.identity.models import SecurityEvent, SecurityEventKind
from micuenta.identity.selectors import tramite_detail
from micuenta.identity.services.history import security_event_record
from micuenta.identity.services.security import security_event_report
from micuenta.identity.tests.helpers import TEST_ACTOR
from micuenta.identity.tests.signin import is_signed_in, sign_in
from micuenta.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

URL = reverse("security:activity")


def event(user, kind=SecurityEventKind.LOGIN, when=None, **fields):
    row = security_event_record(actor=TEST_ACTOR, kind=kind, user=user)
    SecurityEvent.objects.filter(pk=row.pk).update(
        created_at=when or datetime(2026, 3, 10, 18, 30, tzinfo=UTC), **fields
    )
    row.refresh_from_db()
    return row


def test_each_event_shows_when_in_mexico_city_what_device_place_network_and_detail(client, person):
    event(
        person,
        SecurityEventKind.EMAIL_CHANGED,
        device="Chrome en Android",
        place="Red local o privada",
        network="10.1.2.0/24",
        detail="De l***@e***.test a n***@e***.test.",
    )
    sign_in(client, person)
    html = client.get(URL).content.decode()
    assert "<h1>Actividad de seguridad</h1>" in html
    assert "Cambio de correo electrónico" in html
    assert "10 de marzo de 2026, 12:30" in html  # 18:30 UTC is 12:30 in the centre of Mexico
    assert "Chrome en Android" in html
    assert "Red local o privada" in html
    assert "10.1.2.0/24" in html
    assert "De l***@e***.test a n***@e***.test." in html
    assert ">No fui yo<" in html


def test_newest_first_twenty_a_page_and_only_the_persons_own(client, person, other_person):
    start = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    for day in range(25):
        event(person, when=start + timedelta(days=day))
    event(other_person, SecurityEventKind.PASSWORD_CHANGED)
    sign_in(client, person)

    first = client.get(URL).content.decode()
    assert first.count('class="button-secondary">No fui yo') == 20
    assert first.index("25 de enero de 2026") < first.index("24 de enero de 2026")
    assert "Página 1 de 2" in first
    assert "Cambio de contraseña" not in first

    second = client.get(URL, {"pagina": 2}).content.decode()
    assert second.count('class="button-secondary">No fui yo') == 5
    assert "1 de enero de 2026" in second


def test_no_fui_yo_asks_first_then_locks_the_account_signs_out_everywhere_and_notifies(client, person):
    suspicious = event(person, SecurityEventKind.LOGIN, device="Edge en Windows")
    sign_in(client, person)
    elsewhere = Client()
    sign_in(elsewhere, person, device="Edge en Windows")
    url = reverse("security:report", kwargs={"pk": suspicious.pk})

    # The button of the list opens the explanation; nothing happens yet.
    html = client.post(url).content.decode()
    assert "Bloquearemos tu cuenta" in html
    assert "Sí, no fui yo: bloquear mi cuenta" in html
    person.refresh_from_db()
    assert person.security_locked_at is None
    assert client.get(url).status_code == 200

    response = client.post(url, {"confirmar": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("security:locked")

    person.refresh_from_db()
    suspicious.refresh_from_db()
    assert person.security_locked_at is not None
    assert "No fui yo" in person.security_lock_reason
    assert suspicious.reported_at is not None
    assert not is_signed_in(client)
    assert not is_signed_in(elsewhere)
    kinds = set(SecurityEvent.objects.filter(user=person).values_list("kind", flat=True))
    assert {SecurityEventKind.REPORTED, SecurityEventKind.SECURITY_LOCK} <= kinds
    notice = OutboxMessage.objects.get(template="account_locked")
    assert notice.to_address == person.email

    page = client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    assert "Bloqueamos tu cuenta para protegerla" in text
    assert "Olvidé mi contraseña" in text
    assert "Centro de Servicio Infonavit (CESI)" in text
    assert "identificación oficial" in text
    assert settings.MICUENTA_INSTITUTION["phone_national"] in text
    assert settings.MICUENTA_INSTITUTION["phone_local"] in text


def test_another_persons_event_is_not_found(client, person, other_person):
    theirs = event(other_person)
    sign_in(client, person)
    url = reverse("security:report", kwargs={"pk": theirs.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirmar": "1"}).status_code == 404
    other_person.refresh_from_db()
    theirs.refresh_from_db()
    assert other_person.security_locked_at is None
    assert theirs.reported_at is None
    assert is_signed_in(client)


def test_a_reported_event_shows_it_and_cannot_lock_twice(client, person):
    row = event(person, reported_at=datetime(2026, 3, 11, 18, 0, tzinfo=UTC))
    sign_in(client, person)
    html = client.get(URL).content.decode()
    assert "Reportaste esto como «No fui yo» el 11 de marzo de 2026, 12:00." in html
    client.post(reverse("security:report", kwargs={"pk": row.pk}), {"confirmar": "1"})
    person.refresh_from_db()
    assert person.security_locked_at is None


def test_activity_needs_sign_in(client):
    assert client.get(URL)["Location"].startswith(reverse("identity:login"))


# --- Lines written by staff ------------------------------------------------------------------------------

STAFF_BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36"
)


def staff_member(user_factory):
    return user_factory(is_staff=True, worker=None)


def staff_line(user, staff, kind, detail):
    actor = Actor(kind=ActorKind.STAFF, user_id=staff.pk, address="127.0.0.7", user_agent=STAFF_BROWSER)
    return security_event_record(actor=actor, kind=kind, user=user, detail=detail)


def test_a_document_reviewed_by_staff_names_the_institute_and_the_folio_not_their_device(client, person, user_factory):
    row = staff_line(
        person,
        staff_member(user_factory),
        SecurityEventKind.DOCUMENT_VIEWED,
        tramite_detail("ine.pdf", "COR-2026-000009"),
    )
    assert (row.device, row.place) == ("", "")  # the staff member's browser is not kept in the person's history
    sign_in(client, person)
    html = client.get(URL).content.decode()
    assert (
        "<dt>Quién</dt><dd>Personal del Instituto revisó un documento de tu trámite "
        '<span class="folio">COR-2026-000009</span></dd>'
    ) in html
    assert "<dt>Detalle</dt><dd>ine.pdf</dd>" in html
    assert "Personal del CESI" not in html
    assert "HeadlessChrome" not in html and "Linux" not in html and "127.0.0" not in html
    assert "<dt>Dispositivo</dt>" not in html and "<dt>Red</dt>" not in html
    assert reverse("security:report", kwargs={"pk": row.pk}) not in html
    assert "no es un acceso a tu cuenta" in html


def test_a_correction_applied_by_staff_names_the_institute_and_offers_no_no_fui_yo(client, person, user_factory):
    row = staff_line(
        person,
        staff_member(user_factory),
        SecurityEventKind.DATA_CORRECTED,
        tramite_detail("Dato corregido: CURP", "COR-2026-000010"),
    )
    sign_in(client, person)
    html = client.get(URL).content.decode()
    folio = '<span class="folio">COR-2026-000010</span>'
    assert f"Personal del Instituto aplicó la corrección de tu trámite {folio}" in html
    assert "Dato corregido: CURP" in html
    assert ">No fui yo<" not in html
    assert reverse("security:report", kwargs={"pk": row.pk}) not in html


def test_no_fui_yo_refuses_a_line_of_the_institutes_staff_and_locks_nothing(client, person, user_factory):
    row = staff_line(
        person, staff_member(user_factory), SecurityEventKind.DOCUMENT_VIEWED, tramite_detail("ine.pdf", "COR-1")
    )
    sign_in(client, person)
    url = reverse("security:report", kwargs={"pk": row.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert "Sí, no fui yo: bloquear mi cuenta" not in page.content.decode()
    response = client.post(url, {"confirmar": "1"})
    assert response.status_code == 400
    assert "no hace falta bloquearla" in response.content.decode()
    person.refresh_from_db()
    row.refresh_from_db()
    assert person.security_locked_at is None
    assert row.reported_at is None
    assert is_signed_in(client)
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.REPORTED).exists()
    with pytest.raises(IdentityError) as refused:
        security_event_report(actor=TEST_ACTOR, user=person, event=row)
    assert refused.value.code == IdentityCode.NOT_REPORTABLE


def test_a_cesi_advisors_line_says_so_without_their_device_and_can_still_be_reported(client, person, user_factory):
    row = staff_line(
        person,
        staff_member(user_factory),
        SecurityEventKind.EMAIL_CHANGED,
        "De l***@e***.test a n***@e***.test.",
    )
    sign_in(client, person)
    html = client.get(URL).content.decode()
    assert "<dt>Quién</dt><dd>Personal del CESI, al atenderte en persona</dd>" in html
    assert "En un Centro de Servicio Infonavit (CESI)" in html
    assert "HeadlessChrome" not in html and "<dt>Dispositivo</dt>" not in html
    # Done in the person's name: if they did not go to a CESI, someone went with their data.
    assert reverse("security:report", kwargs={"pk": row.pk}) in html
    report = client.get(reverse("security:report", kwargs={"pk": row.pk})).content.decode()
    assert "Si no fuiste a un CESI" in report
    assert "Sí, no fui yo: bloquear mi cuenta" in report
