"""Mi perfil → Seguridad → Sesiones activas: "Cerrar" and "Cerrar sesión en todos los dispositivos"."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from micuenta.identity.models import DeviceSession, SecurityEvent, SecurityEventKind
from micuenta.identity.tests.signin import is_signed_in, sign_in

pytestmark = pytest.mark.django_db

URL = reverse("security:sessions")


def test_the_list_marks_this_session_and_offers_cerrar_for_the_others(client, person, other_person):
    sign_in(client, person, device="Firefox en Linux")
    phone = Client()
    sign_in(phone, person, device="Chrome en Android", place="Ubicación no disponible")
    sign_in(Client(), other_person, device="Safari en macOS")

    html = client.get(URL).content.decode()
    assert "<h1>Sesiones activas</h1>" in html
    assert "Firefox en Linux" in html
    assert "Esta sesión" in html
    assert html.index("Firefox en Linux") < html.index("Chrome en Android")  # this one first
    assert "Ubicación no disponible" in html
    assert "192.168.1.0/24" in html
    assert "Safari en macOS" not in html
    assert html.count('class="button-secondary">Cerrar<') == 1
    assert ">Cerrar sesión en todos los dispositivos</button>" in html


def test_cerrar_ends_that_session_only(client, person):
    sign_in(client, person)
    phone = Client()
    phone_session = sign_in(phone, person, device="Chrome en Android")
    url = reverse("security:session_end", kwargs={"pk": phone_session.pk})

    assert "¿Cerrar esta sesión?" in client.get(url).content.decode()
    assert is_signed_in(phone)

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == URL
    assert "Cerraste la sesión de Chrome en Android." in client.get(URL).content.decode()
    assert not is_signed_in(phone)
    assert is_signed_in(client)
    phone_session.refresh_from_db()
    assert phone_session.ended_at is not None
    assert SecurityEvent.objects.filter(user=person, kind=SecurityEventKind.SESSION_ENDED).count() == 1


def test_another_persons_session_is_not_found(client, person, other_person):
    sign_in(client, person)
    theirs_client = Client()
    theirs = sign_in(theirs_client, other_person)
    url = reverse("security:session_end", kwargs={"pk": theirs.pk})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert is_signed_in(theirs_client)
    theirs.refresh_from_db()
    assert theirs.ended_at is None


def test_closing_this_session_signs_out(client, person):
    mine = sign_in(client, person)
    response = client.post(reverse("security:session_end", kwargs={"pk": mine.pk}))
    assert response["Location"] == reverse("identity:login")
    assert not is_signed_in(client)


def test_cerrar_sesion_en_todos_los_dispositivos_ends_every_session_this_one_too(client, person, other_person):
    sign_in(client, person)
    phone, tablet, stranger = Client(), Client(), Client()
    sign_in(phone, person)
    sign_in(tablet, person)
    sign_in(stranger, other_person)

    response = client.post(reverse("security:end_all"))
    assert response.status_code == 302
    assert response["Location"] == reverse("identity:login")
    for each in (client, phone, tablet):
        assert not is_signed_in(each)
    assert is_signed_in(stranger)
    assert not DeviceSession.objects.filter(user=person, ended_at__isnull=True).exists()
    logout_all = SecurityEvent.objects.get(user=person, kind=SecurityEventKind.LOGOUT_ALL)
    assert logout_all.detail == "3 sesiones cerradas."


def test_end_all_lands_on_the_login_page_with_a_message(client, person):
    sign_in(client, person)
    response = client.post(reverse("security:end_all"), follow=True)
    assert "Cerramos tu sesión en todos los dispositivos" in response.content.decode()


def test_the_index_links_to_every_part_and_the_profile_links_to_it(client, user_factory):
    user = user_factory(mobile="5512345678")
    sign_in(client, user)
    profile = client.get(reverse("identity:profile")).content.decode()
    assert f'href="{reverse("security:index")}">Seguridad</a>' in profile
    assert "******5678" in profile
    assert "5512345678" not in profile

    html = client.get(reverse("security:index")).content.decode()
    for name, label in [
        ("security:password", "Cambiar contraseña"),
        ("security:email", "Cambiar correo electrónico"),
        ("security:mobile", "Cambiar número de celular"),
        ("security:activity", "Actividad de seguridad"),
        ("security:sessions", "Sesiones activas"),
    ]:
        assert f'<a href="{reverse(name)}">{label}</a>' in html


def test_post_only_actions_refuse_other_methods(client, person):
    sign_in(client, person)
    assert client.put(reverse("security:end_all")).status_code == 405
    assert is_signed_in(client)
