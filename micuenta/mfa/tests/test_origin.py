"""Passkeys work at the address the portal is served on, and say what to do elsewhere."""

from __future__ import annotations

import pytest
from django.test import override_settings

from micuenta.mfa.origin import passkey_address, webauthn_site

PASSKEY = "/mi-perfil/seguridad/dos-pasos/llave-de-acceso/"


@pytest.mark.parametrize(
    ("base", "rp_id", "origin"),
    [
        ("http://127.0.0.1:8000", "localhost", "http://localhost:8000"),  # what `make run` serves
        ("http://127.0.0.1:9000", "localhost", "http://localhost:9000"),
        ("http://localhost:8000", "localhost", "http://localhost:8000"),
        ("http://[::1]:8000", "localhost", "http://localhost:8000"),
        ("https://micuenta.example.mx", "micuenta.example.mx", "https://micuenta.example.mx"),
        ("https://micuenta.example.mx:8443", "micuenta.example.mx", "https://micuenta.example.mx:8443"),
    ],
)
def test_the_relying_party_follows_the_base_url_and_is_never_an_ip(base, rp_id, origin):
    assert webauthn_site(base) == (rp_id, origin)


def test_the_settings_follow_the_default_base_url():
    from django.conf import settings

    assert settings.OTP_WEBAUTHN_RP_ID == "localhost"
    assert settings.OTP_WEBAUTHN_ALLOWED_ORIGINS == ["http://localhost:8000"]


def test_another_address_is_told_where_to_go():
    assert passkey_address("http", "localhost:8000", ["http://localhost:8000"]) == ""
    assert passkey_address("http", "127.0.0.1:8000", ["http://localhost:8000"]) == "http://localhost:8000"


@pytest.mark.django_db
@override_settings(OTP_WEBAUTHN_ALLOWED_ORIGINS=["http://localhost:8000"], ALLOWED_HOSTS=["*"])
def test_the_passkey_page_at_an_ip_says_what_to_do_in_tu(client, person):
    client.force_login(person)
    html = client.get(PASSKEY, HTTP_HOST="127.0.0.1:8000").content.decode()
    assert "Aquí no se pueden crear llaves de acceso" in html
    assert f'href="http://localhost:8000{PASSKEY}"' in html
    assert "passkey-register-button" not in html
    right = client.get(PASSKEY, HTTP_HOST="localhost:8000").content.decode()
    assert "passkey-register-button" in right and "Aquí no se pueden" not in right
