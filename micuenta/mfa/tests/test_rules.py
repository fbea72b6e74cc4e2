"""The rules of the second factor, through the pages."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from micuenta.identity.models import SecurityEvent, SecurityEventKind
from micuenta.identity.tests.factories import TEST_PASSWORD
from micuenta.mfa import selectors
from micuenta.mfa import session as mfa_session
from micuenta.mfa.tests.helpers import enrol_totp, totp_code
from micuenta.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

MANAGE = "/mi-perfil/seguridad/dos-pasos/"
SETUP = "/mi-perfil/seguridad/dos-pasos/aplicacion/"
CODES = "/mi-perfil/seguridad/dos-pasos/codigos-de-recuperacion/"
REMOVE = "/mi-perfil/seguridad/dos-pasos/quitar/"
VERIFY = "/verificacion/"


def test_the_urls_are_the_named_ones():
    assert reverse("mfa:verify") == VERIFY
    assert reverse("mfa:manage") == MANAGE
    assert reverse("mfa:totp_setup") == SETUP
    assert reverse("mfa:recovery_codes") == CODES
    assert reverse("mfa:remove") == REMOVE
    assert reverse("mfa:passkey_add") == "/mi-perfil/seguridad/dos-pasos/llave-de-acceso/"
    assert reverse("mfa:lost") == "/verificacion/sin-acceso/"


def test_totp_is_confirmed_only_with_a_valid_code(client, person):
    client.force_login(person)
    page = client.get(SETUP).content.decode()
    assert "Activar aplicación de autenticación" in page
    assert '<svg role="img"' in page and "data:" not in page
    device = TOTPDevice.objects.get(user=person)
    assert device.confirmed is False
    assert selectors.totp_secret_text(device) in page

    wrong = "000000" if totp_code(device) != "000000" else "111111"
    response = client.post(SETUP, {"code": wrong})
    assert response.status_code == 200
    assert "El código no es correcto" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert not StaticDevice.objects.filter(user=person).exists()

    response = client.post(SETUP, {"code": "12ab56"})
    assert "El código tiene 6 números" in response.content.decode()

    device.throttle_reset()
    response = client.post(SETUP, {"code": totp_code(device)})
    assert response.status_code == 302
    assert response["Location"] == CODES
    device.refresh_from_db()
    assert device.confirmed is True
    # First factor: ten recovery codes, shown once.
    assert StaticToken.objects.filter(device__user=person).count() == 10
    page = client.get(CODES).content.decode()
    assert "Ya guardé mis códigos" in page
    shown = client.session[mfa_session.SESSION_NEW_CODES]["codes"]
    assert len(shown) == 10 and all(code in page for code in shown)
    response = client.post(CODES, {"action": "guardados"})
    assert response["Location"] == MANAGE
    assert "Ya guardé mis códigos" not in client.get(CODES).content.decode()

    assert SecurityEvent.objects.filter(user=person, kind=SecurityEventKind.MFA_ENABLED).count() == 1
    assert OutboxMessage.objects.filter(template="mfa_enabled").count() == 1
    manage = client.get(MANAGE).content.decode()
    assert "Activada." in manage and "Te quedan 10 de 10 códigos" in manage


def test_once_enabled_a_password_alone_opens_only_the_allow_list(client, person):
    client.force_login(person)
    device = enrol_totp(client)
    client.logout()

    response = client.post(reverse("identity:login"), {"username": person.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    for url in ("/inicio/", reverse("core:dashboard"), reverse("identity:profile"), MANAGE, SETUP, CODES, REMOVE):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{VERIFY}?next="), url
    for url in (VERIFY, reverse("mfa:lost"), reverse("core:health")):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("otp_webauthn:js-i18n-catalog")).status_code == 200
    # A POST is refused too, and so is a JSON request.
    assert client.post(CODES, {"action": "generar", "password": TEST_PASSWORD})["Location"] == VERIFY
    assert client.get(MANAGE, headers={"accept": "application/json"}).status_code == 403

    page = client.get(f"{VERIFY}?next={reverse('identity:profile')}").content.decode()
    assert "Verificación en dos pasos" in page and "Código de verificación" in page and "Cerrar sesión" in page
    assert "Usar llave de acceso" not in page  # no passkey
    response = client.post(VERIFY, {"code": totp_code(device, steps_ahead=1), "next": reverse("identity:profile")})
    assert response.status_code == 302
    assert response["Location"] == reverse("identity:profile")
    assert client.get(reverse("identity:profile")).status_code == 200


def test_next_must_be_on_this_site(client, person):
    client.force_login(person)
    device = enrol_totp(client)
    client.logout()
    client.force_login(person)
    response = client.post(VERIFY, {"code": totp_code(device, steps_ahead=1), "next": "https://malo.example/"})
    assert response["Location"] == reverse("core:dashboard")


def test_recovery_codes_work_once_each(client, person):
    client.force_login(person)
    enrol_totp(client)
    codes = client.session[mfa_session.SESSION_NEW_CODES]["codes"]
    client.logout()

    client.force_login(person)
    response = client.post(VERIFY, {"code": codes[0].upper().replace("-", " ")})
    assert response.status_code == 302
    assert StaticToken.objects.filter(device__user=person).count() == 9
    assert OutboxMessage.objects.filter(template="mfa_recovery_code_used").count() == 1
    client.logout()

    client.force_login(person)
    response = client.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 200
    assert "El código no es correcto" in response.content.decode()
    assert SecurityEvent.objects.filter(user=person, kind=SecurityEventKind.MFA_FAILED).count() == 1
    StaticDevice.objects.get(user=person).throttle_reset()
    assert client.post(VERIFY, {"code": codes[1]}).status_code == 302


def test_wrong_codes_are_throttled_and_the_page_says_when_to_try_again(client, person):
    client.force_login(person)
    device = enrol_totp(client)
    client.logout()
    client.force_login(person)
    good = totp_code(device, steps_ahead=1)
    wrong = "000000" if good != "000000" else "111111"

    first = client.post(VERIFY, {"code": wrong}).content.decode()
    assert "El código no es correcto" in first and "podrás intentarlo" not in first
    client.post(VERIFY, {"code": wrong})
    third = client.post(VERIFY, {"code": wrong}).content.decode()
    assert "El código no es correcto" in third and "podrás intentarlo de nuevo" in third
    # From the third wrong code on, even the right code waits: django-otp doubles the wait after each failure.
    refused = client.post(VERIFY, {"code": good})
    assert refused.status_code == 200
    assert "podrás intentarlo de nuevo" in refused.content.decode()
    assert not client.session.get("otp_device_id")

    message = client.post(VERIFY, {"code": good}).content.decode()
    assert "a partir de las" in message and "segundos" in message
    assert SecurityEvent.objects.filter(user=person, kind=SecurityEventKind.MFA_FAILED).count() == 3

    device.throttle_reset()
    assert client.post(VERIFY, {"code": good}).status_code == 302


def test_removal_needs_the_password_and_the_last_factor_takes_the_codes(client, person):
    client.force_login(person)
    device = enrol_totp(client)
    page = client.get(f"{REMOVE}?factor={device.persistent_id}").content.decode()
    assert "Es tu único método" in page and "checked" in page

    response = client.post(REMOVE, {"factor": device.persistent_id, "password": "no-es"})
    assert response.status_code == 200
    assert "La contraseña no es correcta" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

    response = client.post(REMOVE, {"factor": device.persistent_id, "password": TEST_PASSWORD})
    assert response["Location"] == MANAGE
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    assert SecurityEvent.objects.filter(user=person, kind=SecurityEventKind.MFA_DISABLED).count() == 1
    assert OutboxMessage.objects.filter(template="mfa_disabled").count() == 1
    client.logout()
    client.force_login(person)
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_a_factor_of_another_person_cannot_be_chosen(client, person, other_person):
    client.force_login(person)
    enrol_totp(client)
    theirs = TOTPDevice.objects.create(user=other_person, name="x", confirmed=True)
    response = client.post(REMOVE, {"factor": theirs.persistent_id, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "Elige qué quieres quitar" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=theirs.pk).exists()


def test_new_recovery_codes_need_the_password_and_replace_the_old(client, person):
    client.force_login(person)
    enrol_totp(client)
    old = set(StaticToken.objects.filter(device__user=person).values_list("token", flat=True))
    client.post(CODES, {"action": "guardados"})

    response = client.post(CODES, {"action": "generar", "password": "no-es"})
    assert "La contraseña no es correcta" in response.content.decode()
    response = client.post(CODES, {"action": "generar", "password": TEST_PASSWORD})
    assert response["Location"] == CODES
    new = set(StaticToken.objects.filter(device__user=person).values_list("token", flat=True))
    assert len(new) == 10 and not (old & new)
    assert OutboxMessage.objects.filter(template="mfa_recovery_codes").count() == 1


def test_an_account_without_a_factor_costs_no_device_query_per_request(client, person, django_assert_max_num_queries):
    client.force_login(person)
    person.refresh_from_db()
    assert person.mfa_enabled is False
    client.get(reverse("core:dashboard"))
    with django_assert_max_num_queries(20) as ctx:
        client.get(reverse("core:dashboard"))
    tables = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "otp_totp" not in tables and "otp_static" not in tables and "webauthn" not in tables


def test_adding_a_factor_reaches_the_accounts_other_sessions(client, person):
    """A session signed in with the password alone elsewhere must verify as soon as a factor is added."""
    elsewhere = Client()
    elsewhere.force_login(person)
    assert elsewhere.get(reverse("core:dashboard")).status_code == 200

    client.force_login(person)
    device = enrol_totp(client)
    person.refresh_from_db()
    assert person.mfa_enabled is True
    response = elsewhere.get(reverse("core:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)

    device.delete()
    StaticDevice.objects.filter(user=person).delete()
    person.refresh_from_db()
    assert person.mfa_enabled is False
    assert elsewhere.get(reverse("core:dashboard")).status_code == 200


def test_the_flag_lives_on_the_account_not_in_a_session_a_request_could_overwrite(client, person):
    elsewhere = Client()
    elsewhere.force_login(person)
    stale = SessionStore(session_key=elsewhere.session.session_key)
    stale.load()
    client.force_login(person)
    enrol_totp(client)
    stale.save()  # an in-flight request of the other session saves its old copy afterwards
    response = elsewhere.get(reverse("core:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


def test_a_page_without_a_factor_says_so(client, person):
    client.force_login(person)
    assert "no tiene activada" in client.get(VERIFY).content.decode()
    assert "Desactivada." in client.get(MANAGE).content.decode()
    assert "existen cuando tienes activa" in client.get(CODES).content.decode()
    assert "No tienes métodos" in client.get(REMOVE).content.decode()


def test_the_passkey_ceremony_endpoints_check_the_session_themselves(client, person):
    begin = reverse("otp_webauthn:credential-authentication-begin")
    assert client.post(begin).status_code == 403  # no one signed in: passwordless sign-in is off
    assert client.post(reverse("otp_webauthn:credential-registration-begin")).status_code == 403  # not signed in
    for action in ("registration-begin", "registration-complete", "authentication-begin", "authentication-complete"):
        assert client.get(reverse(f"otp_webauthn:credential-{action}")).status_code == 403, action
    client.force_login(person)
    enrol_totp(client)
    client.logout()
    client.force_login(person)
    # Signed in with the password only: adding a passkey waits for the verification.
    response = client.post(reverse("otp_webauthn:credential-registration-begin"))
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert client.post(begin).status_code == 200


def test_five_wrong_passwords_on_a_change_end_the_session(client, person):
    client.force_login(person)
    device = enrol_totp(client)
    for _ in range(4):
        response = client.post(REMOVE, {"factor": device.persistent_id, "password": "no-es"})
        assert response.status_code == 200
    response = client.post(REMOVE, {"factor": device.persistent_id, "password": "no-es"})
    assert response["Location"] == reverse("identity:login")
    assert client.get(MANAGE).status_code == 302
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert SecurityEvent.objects.filter(user=person, kind=SecurityEventKind.LOGIN_FAILED).count() == 1


def test_the_help_page_is_open_to_anyone(client):
    page = client.get(reverse("mfa:lost")).content.decode()
    assert "Si perdiste tu teléfono o tu llave de acceso" in page and "CESI" in page


def test_new_recovery_codes_leave_the_session_after_fifteen_minutes(client, person):
    client.force_login(person)
    enrol_totp(client)
    held = client.session[mfa_session.SESSION_NEW_CODES]
    assert len(held["codes"]) == 10 and held["until"] > 0
    assert "Ya guardé mis códigos" in client.get(CODES).content.decode()
    session = client.session
    session[mfa_session.SESSION_NEW_CODES] = {**held, "until": held["until"] - mfa_session.NEW_CODES_SHOWN_FOR - 1}
    session.save()
    response = client.get(CODES)
    assert response.status_code == 200
    assert "Ya guardé mis códigos" not in response.content.decode()
    assert mfa_session.SESSION_NEW_CODES not in client.session
