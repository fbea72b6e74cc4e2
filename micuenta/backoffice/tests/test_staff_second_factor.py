"""Every staff role needs a second factor, enrolled and verified in the session, before any staff page opens."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from micuenta.identity.tests.factories import TEST_PASSWORD
from micuenta.mfa.tests.helpers import enrol_totp, sign_in_verified, totp_code

pytestmark = pytest.mark.django_db

ENROL = "/verificacion/personal/"
VERIFY = "/verificacion/"


@pytest.fixture
def administrator(roles, user_factory):
    return user_factory(email="ti@cesi.test", is_staff=True, is_superuser=True, first_name="Carmen")


@pytest.fixture(params=["asesor", "supervisor", "staff_without_role", "administrator"])
def any_staff(request):
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize("path", ["/cesi/", "/cesi/auditoria/", "/admin/", "/admin/identity/user/", "/", "/mi-ahorro/"])
def test_staff_without_a_factor_are_sent_to_enrol_from_every_page(client, any_staff, path):
    client.force_login(any_staff)  # the password only
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL)
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Activa la verificación en dos pasos" in html
    assert reverse("mfa:totp_setup") in html and reverse("mfa:passkey_add") in html


def test_staff_enrol_an_app_get_the_same_recovery_codes_and_return_where_they_were_going(client, asesor):
    client.force_login(asesor)
    client.get(f"{ENROL}?next=/cesi/")
    enrol_totp(client)
    assert StaticDevice.objects.get(user=asesor).token_set.count() == 10
    assert client.get(reverse("mfa:recovery_codes")).status_code == 200
    response = client.post(reverse("mfa:recovery_codes"), {"action": "guardados"})
    assert response["Location"] == "/cesi/"
    assert client.get("/cesi/").status_code == 200


def test_staff_pages_outside_the_back_office_show_no_public_footer(client, asesor, person):
    client.force_login(asesor)
    for path in (ENROL, reverse("mfa:totp_setup")):
        assert 'class="site-footer"' not in client.get(path).content.decode(), path
    client.force_login(person)
    assert 'class="site-footer"' in client.get(reverse("mfa:totp_setup")).content.decode()


def test_a_worker_without_a_factor_is_not_made_to_enrol(client, person):
    client.force_login(person)
    assert client.get("/mi-ahorro/").status_code != 302 or not client.get("/mi-ahorro/")["Location"].startswith(ENROL)
    page = client.get(ENROL).content.decode()
    assert "Como parte del personal" not in page and reverse("mfa:totp_setup") in page


def test_the_cesi_door_asks_for_the_code_after_the_password(client, asesor):
    device = TOTPDevice.objects.create(user=asesor, name="Aplicación de autenticación", confirmed=True)
    response = client.post(
        reverse("backoffice:login"), {"username": asesor.email, "password": TEST_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(VERIFY)
    assert client.get("/cesi/")["Location"].startswith(VERIFY)
    done = client.post(VERIFY, {"code": totp_code(device), "next": "/cesi/"})
    assert done["Location"] == "/cesi/"
    assert client.get("/cesi/").status_code == 200


def test_the_admin_door_asks_for_the_code_after_the_password(client, administrator):
    device = TOTPDevice.objects.create(user=administrator, name="Aplicación de autenticación", confirmed=True)
    response = client.post(
        reverse("admin:login"),
        {"username": administrator.email, "password": TEST_PASSWORD, "next": "/admin/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0].startswith(VERIFY)
    assert client.get("/admin/identity/user/")["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": totp_code(device), "next": "/admin/"})
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/identity/user/").status_code == 200


def test_the_administration_itself_refuses_a_session_not_verified(rf, administrator):
    from django.contrib import admin
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.get("/admin/")
    request.user = administrator
    request.session = SessionStore()
    request.user.is_verified = lambda: False
    assert admin.site.has_permission(request) is False
    request.user.is_verified = lambda: True
    assert admin.site.has_permission(request) is True


def test_staff_without_a_factor_can_still_sign_out(client, asesor):
    client.force_login(asesor)
    assert client.post(reverse("backoffice:logout"))["Location"] == reverse("backoffice:login")
    assert "_auth_user_id" not in client.session


def test_every_role_works_once_verified(client, any_staff):
    sign_in_verified(client, any_staff)
    assert not client.get("/cesi/").get("Location", "").startswith((ENROL, VERIFY))
    assert not client.get("/admin/").get("Location", "").startswith((ENROL, VERIFY))
