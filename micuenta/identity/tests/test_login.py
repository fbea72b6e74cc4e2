import pytest
from django.urls import reverse

from micuenta.identity.forms import GENERIC_LOGIN_ERROR
from micuenta.identity.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_in_spanish_with_the_exact_labels(client):
    response = client.get(reverse("identity:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username">Correo electrónico o NSS</label>' in html
    assert '<label for="id_password">Contraseña</label>' in html
    assert 'autocomplete="current-password"' in html


def test_login_rotates_the_session_and_lands_on_the_dashboard(client, person):
    client.get(reverse("identity:login"))
    session_before = client.cookies.get("sessionid")
    response = client.post(reverse("identity:login"), {"username": "LUCIA@ejemplo.test", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    assert client.cookies["sessionid"].value != (session_before.value if session_before else None)
    assert int(client.session["_auth_user_id"]) == person.pk


@pytest.mark.parametrize(
    ("email", "password"),
    [("lucia@ejemplo.test", "otra-contraseña"), ("nadie@ejemplo.test", TEST_PASSWORD)],
)
def test_wrong_combinations_get_one_generic_message(client, person, email, password):
    response = client.post(reverse("identity:login"), {"username": email, "password": password})
    html = response.content.decode()
    assert response.status_code == 200
    assert GENERIC_LOGIN_ERROR in html
    assert "_auth_user_id" not in client.session


def test_inactive_account_gets_the_same_generic_message(client, person):
    person.is_active = False
    person.save()
    response = client.post(reverse("identity:login"), {"username": person.email, "password": TEST_PASSWORD})
    assert GENERIC_LOGIN_ERROR in response.content.decode()


def test_empty_form_says_what_to_do_per_field_and_marks_fields_invalid(client):
    response = client.post(reverse("identity:login"), {"username": "", "password": ""})
    html = response.content.decode()
    assert "Escribe tu correo electrónico o tu NSS." in html
    assert "Escribe tu contraseña." in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_username-error"' in html


def test_logout_is_post_only_and_ends_the_session(client, person):
    client.force_login(person)
    assert client.get(reverse("identity:logout")).status_code == 405
    response = client.post(reverse("identity:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert "_auth_user_id" not in client.session


def test_profile_shows_the_signed_in_persons_own_data(client, person):
    client.force_login(person)
    html = client.get(reverse("identity:profile")).content.decode()
    assert "Lucía Aguilar Soto" in html
    assert "lucia@ejemplo.test" in html


def test_signed_in_person_visiting_login_goes_to_the_dashboard(client, person):
    client.force_login(person)
    response = client.get(reverse("identity:login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
