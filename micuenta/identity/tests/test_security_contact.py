"""Mi perfil → Seguridad → Cambiar correo electrónico / número de celular, with a code sent to the new one."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from micuenta.identity.models import CodePurpose, ConfirmationCode, SecurityEvent, SecurityEventKind
from micuenta.identity.tests.factories import TEST_PASSWORD
from micuenta.identity.tests.signin import sign_in
from micuenta.notifications.models import Channel, OutboxMessage

pytestmark = pytest.mark.django_db

EMAIL_URL = reverse("security:email")
EMAIL_CONFIRM = reverse("security:email_confirm")
MOBILE_URL = reverse("security:mobile")
MOBILE_CONFIRM = reverse("security:mobile_confirm")


def code_in(message: OutboxMessage) -> str:
    found = re.search(r"\b(\d{6})\b", message.body)
    assert found, message.body
    return found.group(1)


def test_the_email_page_asks_for_the_new_address_and_the_password(client, person):
    sign_in(client, person)
    html = client.get(EMAIL_URL).content.decode()
    assert '<label for="id_new_email">Correo electrónico nuevo</label>' in html
    assert '<label for="id_current_password">Contraseña actual</label>' in html


def test_a_wrong_password_sends_no_code(client, person):
    sign_in(client, person)
    html = client.post(EMAIL_URL, {"new_email": "nuevo@ejemplo.test", "current_password": "no"}).content.decode()
    assert "La contraseña actual no es correcta." in html
    assert not OutboxMessage.objects.exists()


def test_email_change_sends_a_code_to_the_new_address_and_tells_the_old_one(client, person):
    sign_in(client, person)
    response = client.post(EMAIL_URL, {"new_email": "Lucia.Nueva@Ejemplo.test", "current_password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == EMAIL_CONFIRM  # the new address stays in the session, never in the URL
    assert "nueva" not in response["Location"].lower()

    sent = OutboxMessage.objects.get(template="contact_code")
    assert sent.channel == Channel.EMAIL
    assert sent.to_address == "lucia.nueva@ejemplo.test"
    assert "correo electrónico" in sent.body

    page = client.get(EMAIL_CONFIRM).content.decode()
    assert '<label for="id_code">Código de confirmación</label>' in page
    assert ">Confirmar</button>" in page
    assert ">Reenviar código</button>" in page
    assert "l***@e***.test" in page
    assert "Podrás pedir otro código en" in page
    person.refresh_from_db()
    assert person.email == "lucia@ejemplo.test"  # nothing changes before the code

    response = client.post(EMAIL_CONFIRM, {"code": code_in(sent)})
    assert response.status_code == 302
    assert response["Location"] == reverse("security:index")
    person.refresh_from_db()
    assert person.email == "lucia.nueva@ejemplo.test"
    old_notice = OutboxMessage.objects.get(template="contact_changed_old")
    assert old_notice.to_address == "lucia@ejemplo.test"
    assert SecurityEvent.objects.filter(user=person, kind=SecurityEventKind.EMAIL_CHANGED).count() == 1
    assert "Listo: tu correo electrónico ahora es l***@e***.test" in client.get(response["Location"]).content.decode()
    assert "No tienes un cambio de correo electrónico pendiente." in client.get(EMAIL_CONFIRM).content.decode()


def test_an_address_of_another_account_gets_a_generic_message(client, person, other_person):
    sign_in(client, person)
    html = client.post(EMAIL_URL, {"new_email": "MATEO@ejemplo.test", "current_password": TEST_PASSWORD})
    text = html.content.decode()
    assert "No podemos usar ese correo electrónico para tu cuenta. Escribe otro." in text
    assert "Mateo" not in text.split("<main", 1)[1].split("</main>")[0]
    assert not OutboxMessage.objects.exists()


def test_a_wrong_code_changes_nothing(client, person):
    sign_in(client, person)
    client.post(EMAIL_URL, {"new_email": "nuevo@ejemplo.test", "current_password": TEST_PASSWORD})
    right = code_in(OutboxMessage.objects.get(template="contact_code"))
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    html = client.post(EMAIL_CONFIRM, {"code": wrong}).content.decode()
    assert "El código no es correcto." in html
    assert "Te quedan 4 intentos para los códigos de este paso, aunque pidas uno nuevo." in html
    person.refresh_from_db()
    assert person.email == "lucia@ejemplo.test"


def test_resend_waits_sixty_seconds_then_sends_a_new_code(client, person):
    sign_in(client, person)
    client.post(EMAIL_URL, {"new_email": "nuevo@ejemplo.test", "current_password": TEST_PASSWORD})
    first = OutboxMessage.objects.get(template="contact_code")

    html = client.post(EMAIL_CONFIRM, {"accion": "reenviar"}).content.decode()
    assert re.search(r"Espera \d+ segundos antes de pedir otro código\.", html)
    assert OutboxMessage.objects.filter(template="contact_code").count() == 1

    ConfirmationCode.objects.filter(purpose=CodePurpose.CHANGE_EMAIL).update(
        sent_at=timezone.now() - timedelta(seconds=61)
    )
    assert "Podrás pedir otro código en" not in client.get(EMAIL_CONFIRM).content.decode()
    response = client.post(EMAIL_CONFIRM, {"accion": "reenviar"})
    assert response.status_code == 302
    second = OutboxMessage.objects.filter(template="contact_code").exclude(pk=first.pk).get()
    assert second.to_address == "nuevo@ejemplo.test"

    # The first code no longer works; the new one does.
    if code_in(first) != code_in(second):
        assert "El código no es correcto." in client.post(EMAIL_CONFIRM, {"code": code_in(first)}).content.decode()
    client.post(EMAIL_CONFIRM, {"code": code_in(second)})
    person.refresh_from_db()
    assert person.email == "nuevo@ejemplo.test"


def test_mobile_change_sends_an_sms_code_to_the_new_number_and_tells_the_old_one(client, user_factory):
    user = user_factory(mobile="5511112222")
    sign_in(client, user)
    html = client.get(MOBILE_URL).content.decode()
    assert '<label for="id_new_mobile">Número de celular nuevo</label>' in html
    assert "******2222" in html
    assert "5511112222" not in html

    response = client.post(MOBILE_URL, {"new_mobile": "+52 (33) 1234-5678", "current_password": TEST_PASSWORD})
    assert response["Location"] == MOBILE_CONFIRM
    sms = OutboxMessage.objects.get(template="contact_code")
    assert sms.channel == Channel.SMS
    assert sms.to_address == "3312345678"
    assert "******5678" in client.get(MOBILE_CONFIRM).content.decode()

    client.post(MOBILE_CONFIRM, {"code": code_in(sms)})
    user.refresh_from_db()
    assert user.mobile == "3312345678"
    old_notice = OutboxMessage.objects.get(template="contact_changed_old")
    assert (old_notice.channel, old_notice.to_address) == (Channel.SMS, "5511112222")
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEventKind.MOBILE_CHANGED).count() == 1


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("12345", "El número de celular debe tener 10 dígitos"),
        ("55 1111 2222", "Ese ya es el número de celular de tu cuenta."),
    ],
)
def test_a_bad_or_same_mobile_is_refused(client, user_factory, number, message):
    user = user_factory(mobile="5511112222")
    sign_in(client, user)
    html = client.post(MOBILE_URL, {"new_mobile": number, "current_password": TEST_PASSWORD}).content.decode()
    assert message in html
    assert not OutboxMessage.objects.exists()


def test_confirm_pages_without_a_pending_change_lead_back(client, person):
    sign_in(client, person)
    html = client.get(MOBILE_CONFIRM).content.decode()
    assert "No tienes un cambio de número de celular pendiente." in html
    assert client.post(MOBILE_CONFIRM, {"code": "123456"}).status_code == 200
