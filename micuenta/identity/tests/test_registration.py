"""Quiero una cuenta: formats before lookup, one answer for every refusal, codes, password, terms."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from micuenta.identity.models import (
    ConfirmationCode,
    Registration,
    SecurityEvent,
    SecurityEventKind,
    TermsAcceptance,
    TermsVersion,
    User,
)
from micuenta.identity.tests.helpers import REGISTRATION_PASSWORD, identity_data, last_code, register
from micuenta.notifications.models import OutboxMessage
from micuenta.people.tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db


def start(client, worker, **overrides):
    return client.post(reverse("identity:register"), identity_data(worker, **overrides))


def to_confirm_email(client, worker, email="nueva@correo.test", mobile="55 1234 5678"):
    assert start(client, worker)["Location"] == reverse("identity:register_contact")
    return client.post(reverse("identity:register_contact"), {"email": email, "mobile": mobile})


def test_step_one_shows_the_step_and_the_exact_labels(client):
    html = client.get(reverse("identity:register")).content.decode()
    assert "Paso 1 de 4" in html
    for label in ("Número de Seguridad Social (NSS)", "CURP", "RFC", "Comprobación de seguridad"):
        assert label in html
    assert 'id="reto-seguridad"' in html  # the signed puzzle for the browser


def test_format_errors_are_shown_per_field_before_any_lookup(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("identity:register"), {"nss": "123", "curp": "XXXX", "rfc": "ABC", "altcha": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="field-error"') >= 3
    assert 'aria-invalid="true"' in html
    assert not [q for q in queries.captured_queries if "people_worker" in q["sql"]]


def test_an_rfc_without_homoclave_says_to_add_it(client):
    worker = WorkerFactory.create()
    response = start(client, worker, rfc=worker.rfc[:10])
    assert "homoclave" in response.content.decode()


# The last two: well-formed JSON of the wrong shape (a salt that is an object, a list), which the altcha library
# does not expect; the person gets the challenge's message, never an error page.
CRAFTED_SALT = base64.b64encode(
    json.dumps({"algorithm": "SHA-256", "challenge": "x", "number": 1, "salt": {}, "signature": "x"}).encode()
).decode()


@pytest.mark.parametrize(
    "payload", ["", "bm8gZXMgdW4gcmV0bw==", "%%%", CRAFTED_SALT, base64.b64encode(b"[1]").decode()]
)
def test_a_missing_or_forged_challenge_is_refused(client, payload):
    worker = WorkerFactory.create()
    response = start(client, worker, altcha=payload)
    assert response.status_code == 200
    assert "comprobación de seguridad" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_solved_challenge_works_once(client):
    worker = WorkerFactory.create()
    data = identity_data(worker)
    assert client.post(reverse("identity:register"), data).status_code == 302
    again = client.post(reverse("identity:register"), data)
    assert again.status_code == 200
    assert "comprobación de seguridad" in again.content.decode()


def test_matching_data_open_step_two_without_identifiers_in_the_url(client):
    worker = WorkerFactory.create()
    response = start(client, worker)
    assert response["Location"] == reverse("identity:register_contact")
    page = client.get(response["Location"]).content.decode()
    assert "Paso 2 de 4" in page
    assert "Correo electrónico" in page and "Número de celular" in page
    assert "no uses el de tu trabajo" in page


@pytest.mark.parametrize("case", ["unknown_nss", "wrong_curp", "wrong_rfc", "has_account", "deceased"])
def test_every_refusal_gets_the_same_answer(client, user_factory, case):
    worker = WorkerFactory.create()
    other = WorkerFactory.create()
    if case == "unknown_nss":
        data = {"nss": other.nss}
        other.delete()
    elif case == "wrong_curp":
        data = {"curp": other.curp}
    elif case == "wrong_rfc":
        data = {"rfc": other.rfc}
    elif case == "deceased":
        data = {}
        worker.status = "fallecido"
        worker.save()
    else:
        data = {}
        user_factory(worker=worker, email="ya.registrada@correo.test")
    response = start(client, worker, **data)
    assert response.status_code == 302
    assert response["Location"] == reverse("identity:register_mismatch")
    page = client.get(response["Location"]).content.decode()
    assert "no coinciden con nuestros registros" in page
    assert "IMSS" in page and "RENAPO" in page and "SAT" in page and "corrección" in page
    # Whatever the reason (the same page for all), the alert itself points an account holder to the way in.
    alert = page[page.index('role="alert"') : page.index("</div>", page.index('role="alert"'))]
    assert "Si ya tienes una cuenta" in alert
    assert f'href="{reverse("identity:login")}"' in alert and f'href="{reverse("identity:password_reset")}"' in alert
    assert not Registration.objects.exists()


def test_an_account_holder_gets_a_notice_and_a_history_line(client, user_factory):
    worker = WorkerFactory.create()
    account = user_factory(worker=worker, email="ya.registrada@correo.test")
    start(client, worker)
    notice = OutboxMessage.objects.get(template="registration_attempt")
    assert notice.recipient_masked.startswith("y***@")
    assert SecurityEvent.objects.filter(user=account, kind=SecurityEventKind.REGISTRATION_REFUSED).exists()


def test_contact_step_sends_two_different_codes_one_by_email_one_by_sms(client):
    worker = WorkerFactory.create()
    response = to_confirm_email(client, worker)
    assert response["Location"] == reverse("identity:register_confirm_email")
    email = OutboxMessage.objects.get(channel="email", template="registration_code")
    sms = OutboxMessage.objects.get(channel="sms", template="registration_code")
    assert email.to_address == "nueva@correo.test" and sms.to_address == "5512345678"
    rows = ConfirmationCode.objects.filter(subject=f"worker:{worker.pk}")
    assert rows.count() == 2
    for row in rows:
        assert last_code(row.channel) not in row.code_hash  # only a keyed hash is stored


def a_minute_later() -> None:
    """As if the last codes were sent more than a minute ago (another may be sent now)."""
    ConfirmationCode.objects.update(sent_at=timezone.now() - timedelta(seconds=61))


def test_a_new_address_within_the_minute_waits_for_the_resend_delay(client):
    worker = WorkerFactory.create()
    to_confirm_email(client, worker, email="primera@correo.test")
    response = client.post(reverse("identity:register_contact"), {"email": "otra@correo.test", "mobile": "5512345678"})
    assert "Espera" in response.content.decode() and "segundos" in response.content.decode()


def test_contact_step_refuses_a_bad_mobile(client):
    worker = WorkerFactory.create()
    start(client, worker)
    response = client.post(reverse("identity:register_contact"), {"email": "nueva@correo.test", "mobile": "123"})
    assert "10 dígitos" in response.content.decode()
    assert not OutboxMessage.objects.exists()


def test_an_email_of_another_account_gets_a_notice_not_a_code_and_the_same_page(client, user_factory):
    user_factory(email="ocupado@correo.test")
    worker = WorkerFactory.create()
    response = to_confirm_email(client, worker, email="ocupado@correo.test")
    assert response["Location"] == reverse("identity:register_confirm_email")
    page = client.get(response["Location"]).content.decode()
    assert "o***@c***.test" in page and "Cambiar mi correo o mi celular" in page
    assert list(OutboxMessage.objects.filter(channel="email").values_list("template", flat=True)) == ["email_in_use"]
    # Nothing that arrives anywhere confirms it; the person can change the address.
    row = ConfirmationCode.objects.get(purpose="registro-correo")
    assert row.destination_masked == ""
    a_minute_later()
    response = client.post(reverse("identity:register_contact"), {"email": "libre@correo.test", "mobile": "5512345678"})
    assert response["Location"] == reverse("identity:register_confirm_email")


def test_a_code_confirms_only_the_address_it_was_sent_to(client):
    """Two registrations of one worker in progress: the code sent to B's address does not confirm A's."""
    worker = WorkerFactory.create()
    to_confirm_email(client, worker, email="de.a@correo.test")
    a_minute_later()
    other = Client()
    to_confirm_email(other, worker, email="de.b@correo.test")
    code_for_b = last_code("email")
    html = client.post(reverse("identity:register_confirm_email"), {"code": code_for_b}).content.decode()
    assert "no es correcto" in html
    assert other.post(reverse("identity:register_confirm_email"), {"code": code_for_b}).status_code == 302


def test_changing_only_the_mobile_keeps_the_confirmed_email(client):
    worker = WorkerFactory.create()
    to_confirm_email(client, worker)
    client.post(reverse("identity:register_confirm_email"), {"code": last_code("email")})
    a_minute_later()
    response = client.post(reverse("identity:register_contact"), {"email": "nueva@correo.test", "mobile": "5587654321"})
    assert response["Location"] == reverse("identity:register_confirm_mobile")
    assert OutboxMessage.objects.filter(channel="email", template="registration_code").count() == 1
    assert OutboxMessage.objects.filter(channel="sms", template="registration_code").count() == 2


def test_codes_expire_after_ten_minutes(client, monkeypatch):
    worker = WorkerFactory.create()
    to_confirm_email(client, worker)
    code = last_code("email")
    later = timezone.now() + timedelta(minutes=10, seconds=1)
    monkeypatch.setattr("micuenta.identity.services.codes.timezone.now", lambda: later)
    response = client.post(reverse("identity:register_confirm_email"), {"code": code})
    assert response.status_code == 200
    assert "venció" in response.content.decode()


def test_a_code_works_once(client):
    worker = WorkerFactory.create()
    to_confirm_email(client, worker)
    code = last_code("email")
    assert client.post(reverse("identity:register_confirm_email"), {"code": code}).status_code == 302
    from micuenta.identity.errors import IdentityCode, IdentityError
    from micuenta.identity.services.codes import code_verify
    from micuenta.identity.tests.helpers import TEST_ACTOR

    with pytest.raises(IdentityError) as refused:
        code_verify(actor=TEST_ACTOR, purpose="registro-correo", subject=f"worker:{worker.pk}", entered=code)
    assert refused.value.code == IdentityCode.CODE_USED == "codigo_usado"


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_five_wrong_tries_lock_the_code_and_a_resend_does_not_reset_them(client, monkeypatch):
    worker = WorkerFactory.create()
    to_confirm_email(client, worker)
    code = last_code("email")
    url = reverse("identity:register_confirm_email")
    for left in (4, 3, 2, 1):
        html = client.post(url, {"code": wrong(code)}).content.decode()
        assert f"{left} intento" in html
    # A new code a minute later: the count of wrong tries stays at 4.
    later = timezone.now() + timedelta(seconds=61)
    monkeypatch.setattr("micuenta.identity.services.codes.timezone.now", lambda: later)
    client.post(url, {"resend": "1"})
    new_code = last_code("email")
    row = ConfirmationCode.objects.get(subject=f"worker:{worker.pk}", purpose="registro-correo")
    assert row.failed_attempts == 4 and row.sends_today == 2
    html = client.post(url, {"code": wrong(new_code)}).content.decode()
    assert "demasiadas veces" in html
    html = client.post(url, {"code": new_code}).content.decode()  # even the right one, now
    assert "demasiadas veces" in html
    assert Registration.objects.get().email_confirmed_at is None


def test_resend_waits_sixty_seconds_and_stops_at_the_daily_cap(client, monkeypatch, settings):
    worker = WorkerFactory.create()
    to_confirm_email(client, worker)
    url = reverse("identity:register_confirm_email")
    response = client.post(url, {"resend": "1"}, follow=True)
    assert "Espera" in response.content.decode() and "segundos" in response.content.decode()
    assert OutboxMessage.objects.filter(channel="email").count() == 1
    now = timezone.now()
    for n in range(1, settings.MICUENTA_CODE_MAX_SENDS_PER_DAY):
        moment = now + timedelta(seconds=61 * n)
        monkeypatch.setattr("micuenta.identity.services.codes.timezone.now", lambda moment=moment: moment)
        client.post(url, {"resend": "1"})
    assert OutboxMessage.objects.filter(channel="email").count() == settings.MICUENTA_CODE_MAX_SENDS_PER_DAY
    moment = now + timedelta(seconds=61 * settings.MICUENTA_CODE_MAX_SENDS_PER_DAY)
    monkeypatch.setattr("micuenta.identity.services.codes.timezone.now", lambda: moment)
    response = client.post(url, {"resend": "1"}, follow=True)
    assert "máximo de códigos por hoy" in response.content.decode()
    assert OutboxMessage.objects.filter(channel="email").count() == settings.MICUENTA_CODE_MAX_SENDS_PER_DAY


def test_the_resend_button_is_on_the_code_pages(client):
    worker = WorkerFactory.create()
    to_confirm_email(client, worker)
    html = client.get(reverse("identity:register_confirm_email")).content.decode()
    assert "Paso 3 de 4" in html and "Código de confirmación" in html and "Reenviar código" in html
    assert "n***@c***.test" in html  # where it went, masked


def test_the_mobile_cannot_be_confirmed_before_the_email(client):
    worker = WorkerFactory.create()
    to_confirm_email(client, worker)
    response = client.post(reverse("identity:register_confirm_mobile"), {"code": last_code("sms")})
    assert response["Location"] == reverse("identity:register_confirm_email")
    assert client.get(reverse("identity:register_password"))["Location"] == reverse("identity:register_confirm_email")


def test_the_whole_registration_creates_an_active_account_with_terms_and_a_welcome(client):
    worker = WorkerFactory.create()
    register(client, worker, email="Nueva.Persona@Correo.test")
    account = User.objects.get(worker=worker)
    assert account.is_active and account.email == "nueva.persona@correo.test" and account.mobile == "5512345678"
    assert account.password.startswith("argon2$argon2id$")
    acceptance = TermsAcceptance.objects.get(user=account)
    assert acceptance.terms == TermsVersion.objects.first()
    assert abs((timezone.now() - acceptance.accepted_at).total_seconds()) < 60
    assert OutboxMessage.objects.filter(template="welcome", channel="email").count() == 1
    assert SecurityEvent.objects.filter(user=account, kind=SecurityEventKind.ACCOUNT_CREATED).exists()
    assert "Tu cuenta está lista" in client.get(reverse("identity:register_done")).content.decode()


def test_terms_must_be_accepted_and_passwords_must_match(client):
    worker = WorkerFactory.create()
    to_confirm_email(client, worker)
    client.post(reverse("identity:register_confirm_email"), {"code": last_code("email")})
    client.post(reverse("identity:register_confirm_mobile"), {"code": last_code("sms")})
    page = client.get(reverse("identity:register_password")).content.decode()
    for label in ("Paso 4 de 4", "Contraseña", "Confirma tu contraseña", "Acepto los términos y condiciones", "12"):
        assert label in page
    html = client.post(
        reverse("identity:register_password"), {"password1": REGISTRATION_PASSWORD, "password2": "otra cosa distinta"}
    ).content.decode()
    assert "acepta los términos" in html
    assert "no son iguales" in html
    assert not User.objects.filter(worker=worker).exists()


def password_errors(client, worker, password):
    to_confirm_email(client, worker)
    client.post(reverse("identity:register_confirm_email"), {"code": last_code("email")})
    client.post(reverse("identity:register_confirm_mobile"), {"code": last_code("sms")})
    response = client.post(
        reverse("identity:register_password"), {"password1": password, "password2": password, "accept_terms": "on"}
    )
    return response


@pytest.mark.parametrize(
    ("make_password", "message"),
    [
        (lambda w: "corta1", "al menos 8"),
        (lambda w: "x" * 129, "hasta 128"),
        (lambda w: "password123", "demasiado común"),
        (lambda w: f"mi nss es {w.nss}", "tu NSS"),
        (lambda w: f"{w.curp.lower()}!", "tu CURP"),
        (lambda w: f"rfc {w.rfc}", "tu RFC"),
        (lambda w: f"soy {w.primer_apellido} y ya", "tu nombre"),
        (lambda w: "nueva.persona!2026", "tu correo"),
    ],
)
def test_password_rules_refuse_short_long_common_and_the_persons_own_data(client, make_password, message):
    worker = WorkerFactory.create(primer_apellido="Cervantes")
    client.post(reverse("identity:register"), identity_data(worker))
    client.post(reverse("identity:register_contact"), {"email": "nueva.persona@correo.test", "mobile": "5512345678"})
    client.post(reverse("identity:register_confirm_email"), {"code": last_code("email")})
    client.post(reverse("identity:register_confirm_mobile"), {"code": last_code("sms")})
    password = make_password(worker)
    response = client.post(
        reverse("identity:register_password"), {"password1": password, "password2": password, "accept_terms": "on"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(worker=worker).exists()


@pytest.mark.parametrize("password", ["a" * 8 + "zqwx", "sin mayusculas ni numeros", "ñ" * 3 + " é" * 30 + "!" * 4])
def test_no_composition_rules_and_sixty_four_characters_are_allowed(client, password):
    worker = WorkerFactory.create()
    response = password_errors(client, worker, password)
    assert response.status_code == 302, response.content.decode()[-2500:]
    assert User.objects.get(worker=worker).check_password(password)


def test_an_abandoned_registration_expires_after_a_day(client):
    worker = WorkerFactory.create()
    to_confirm_email(client, worker)
    Registration.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(reverse("identity:register_confirm_email"), {"code": last_code("email")})
    assert response["Location"] == reverse("identity:register")
    assert "venció" in client.get(response["Location"]).content.decode()


def test_registration_ttl_is_24_hours(client):
    worker = WorkerFactory.create()
    start(client, worker)
    registration = Registration.objects.get()
    assert registration.expires_at - registration.created_at == timedelta(hours=24)


def test_cleanup_removes_expired_registrations_and_old_codes(client):
    from django.core.management import call_command

    worker = WorkerFactory.create()
    to_confirm_email(client, worker)
    Registration.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    ConfirmationCode.objects.update(created_at=timezone.now() - timedelta(days=2))
    call_command("identity_cleanup")
    assert not Registration.objects.exists()
    assert not ConfirmationCode.objects.exists()


def test_the_sms_code_page_does_not_send_people_to_the_spam_folder(client):
    worker = WorkerFactory.create()
    to_confirm_email(client, worker)
    assert "spam" in client.get(reverse("identity:register_confirm_email")).content.decode()
    client.post(reverse("identity:register_confirm_email"), {"code": last_code("email")})
    sms_page = client.get(reverse("identity:register_confirm_mobile")).content.decode()
    assert "spam" not in sms_page and "señal" in sms_page


def test_identifiers_pasted_with_invisible_or_full_width_characters_are_read_as_printed(client):
    worker = WorkerFactory.create()
    full_width_nss = "".join(chr(ord(c) + 0xFEE0) for c in worker.nss)  # "１２３…" of a full-width keyboard
    response = start(client, worker, nss=full_width_nss, curp=f"{worker.curp[:9]}\u200b{worker.curp[9:]}\u200e")
    assert response.status_code == 302, response.content.decode()


@pytest.mark.parametrize("rfc", ["😀" * 10, "1234567890", "ABCDEFGHIJ"])
def test_ten_characters_that_are_not_an_rfc_are_not_told_to_add_the_homoclave(client, rfc):
    html = start(client, WorkerFactory.create(), rfc=rfc).content.decode()
    assert 'id="id_rfc-error"' in html
    assert "Escribe tu RFC completo" not in html  # that is for a real RFC typed without its last 3 characters
