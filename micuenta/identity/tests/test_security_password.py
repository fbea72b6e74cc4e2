"""Mi perfil → Seguridad → Cambiar contraseña."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from micuenta.identity.models import SecurityEvent, SecurityEventKind
from micuenta.identity.selectors import REAUTH_DETAIL
from micuenta.identity.tests.factories import TEST_PASSWORD
from micuenta.identity.tests.signin import is_signed_in, sign_in
from micuenta.notifications.models import OutboxMessage
from micuenta.people.tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db

URL = reverse("security:password")
NEW = "lluvia-de-marzo-en-el-zocalo"


def post(client, current=TEST_PASSWORD, new=NEW, again=None):
    data = {"current_password": current, "new_password": new, "new_password_confirm": new if again is None else again}
    return client.post(URL, data)


def test_the_page_has_the_exact_labels_and_recommends_twelve_characters(client, person):
    sign_in(client, person)
    html = client.get(URL).content.decode()
    assert '<label for="id_current_password">Contraseña actual</label>' in html
    assert '<label for="id_new_password">Contraseña nueva</label>' in html
    assert '<label for="id_new_password_confirm">Confirma tu contraseña nueva</label>' in html
    assert "usa 12 caracteres o más" in html
    assert 'autocomplete="current-password"' in html
    assert 'autocomplete="new-password"' in html


def test_the_pages_need_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("identity:login"))


def test_the_current_password_is_required_and_checked(client, person):
    sign_in(client, person)
    html = post(client, current="").content.decode()
    assert "Escribe tu contraseña actual." in html

    html = post(client, current="no-es-la-mia").content.decode()
    assert "La contraseña actual no es correcta." in html
    assert "Te quedan 4 intentos" in html
    assert 'aria-invalid="true"' in html
    person.refresh_from_db()
    assert person.check_password(TEST_PASSWORD)
    assert (
        SecurityEvent.objects.filter(user=person, kind=SecurityEventKind.LOGIN_FAILED, detail=REAUTH_DETAIL).count()
        == 1
    )


def test_five_wrong_current_passwords_lock_the_form_for_fifteen_minutes(client, person):
    sign_in(client, person)
    for _ in range(5):
        post(client, current="no-es-la-mia")
    html = post(client).content.decode()  # even the right one is refused now
    assert "Escribiste mal tu contraseña actual demasiadas veces" in html
    person.refresh_from_db()
    assert person.check_password(TEST_PASSWORD)
    assert "demasiadas veces" in client.get(URL).content.decode()


def test_five_old_failures_no_longer_lock(client, person):
    from datetime import timedelta

    from django.utils import timezone

    sign_in(client, person)
    for _ in range(5):
        post(client, current="no-es-la-mia")
    SecurityEvent.objects.filter(user=person).update(created_at=timezone.now() - timedelta(minutes=16))
    assert post(client).status_code == 302


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("corto1", "La contraseña es muy corta: usa al menos 8 caracteres"),
        ("password123", "Esa contraseña es demasiado común y fácil de adivinar. Elige otra"),
        ("x" * 129, "La contraseña puede tener hasta 128 caracteres"),
    ],
)
def test_the_password_rules_apply(client, person, new, message):
    sign_in(client, person)
    html = post(client, new=new).content.decode()
    assert message in html
    person.refresh_from_db()
    assert person.check_password(TEST_PASSWORD)


def test_a_password_with_the_persons_own_data_is_refused(client, user_factory):
    worker = WorkerFactory.create()
    user = user_factory(worker=worker, first_name=worker.nombre, last_name=worker.primer_apellido)
    sign_in(client, user)
    html = post(client, new=f"mi-nss-{worker.nss}").content.decode()
    assert "La contraseña no puede contener tu NSS." in html
    html = post(client, new=f"{str(worker.curp).lower()}-casa").content.decode()
    assert "tu CURP" in html
    html = post(client, new=f"{worker.nss}{str(worker.rfc).lower()}").content.decode()
    assert "La contraseña no puede contener tu CURP, tu NSS ni tu RFC." in html  # RFC and CURP begin alike
    html = post(client, new=f"{user.email.split('@')[0]}-2026!").content.decode()
    assert "tu correo electrónico" in html
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_the_two_new_passwords_must_match(client, person):
    sign_in(client, person)
    html = post(client, again="otra-cosa-distinta-123").content.decode()
    assert "Las dos contraseñas nuevas no son iguales." in html


def test_a_new_password_ends_the_other_sessions_keeps_this_one_and_sends_a_notice(client, person):
    sign_in(client, person, device="Chrome en Windows")
    other = Client()
    sign_in(other, person, device="Safari en iPhone o iPad")
    assert is_signed_in(other)

    response = post(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("security:index")
    assert "Listo: cambiaste tu contraseña." in client.get(response["Location"]).content.decode()

    person.refresh_from_db()
    assert person.check_password(NEW)
    assert person.password_changed_at is not None
    assert is_signed_in(client)  # this session stays (its auth hash was updated)
    assert not is_signed_in(other)
    assert SecurityEvent.objects.filter(user=person, kind=SecurityEventKind.PASSWORD_CHANGED).count() == 1
    notice = OutboxMessage.objects.get(template="password_changed")
    assert notice.to_address == person.email
