"""A mistyped code does not hold up the right one typed straight after."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from micuenta.mfa.tests.helpers import enrol_totp, totp_code

pytestmark = pytest.mark.django_db

SETUP = "/mi-perfil/seguridad/dos-pasos/aplicacion/"
VERIFY = "/verificacion/"


def _wrong(device: TOTPDevice) -> str:
    return "000000" if totp_code(device) != "000000" else "111111"


def test_a_typo_then_the_right_code_enrols_the_app(client, person):
    client.force_login(person)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=person)
    assert "El código no es correcto" in client.post(SETUP, {"code": _wrong(device)}).content.decode()
    response = client.post(SETUP, {"code": totp_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed and device.throttling_failure_count == 0


def test_a_typo_then_the_right_code_verifies_the_session(client, person):
    client.force_login(person)
    device = enrol_totp(client)
    client.logout()
    client.force_login(person)
    first = client.post(VERIFY, {"code": _wrong(device)})
    assert "El código no es correcto" in first.content.decode()
    assert "espera" not in first.content.decode()
    response = client.post(VERIFY, {"code": totp_code(device, steps_ahead=1)})
    assert response.status_code == 302 and response.url != VERIFY
    assert client.session.get("otp_device_id") == device.persistent_id


def test_a_typo_then_a_recovery_code_verifies_the_session(client, person):
    client.force_login(person)
    enrol_totp(client)
    code = StaticDevice.objects.get(user=person).token_set.first().token
    client.logout()
    client.force_login(person)
    client.post(VERIFY, {"code": "zzzzzzzzzz"})
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 302


def test_repeated_wrong_codes_still_make_the_person_wait(client, person):
    client.force_login(person)
    device = enrol_totp(client)
    client.logout()
    client.force_login(person)
    for _ in range(4):
        client.post(VERIFY, {"code": _wrong(device)})
    page = client.post(VERIFY, {"code": totp_code(device, steps_ahead=1)}).content.decode()
    assert "podrás intentarlo de nuevo" in page
    assert client.session.get("otp_device_id") is None
