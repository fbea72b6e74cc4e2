"""One message per problem: a field that fails several checks says one thing, and the alert above a form does not
repeat what is said under a field."""

from __future__ import annotations

import html as html_module
import re

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from micuenta.core.forms import AccessibleFormMixin
from micuenta.identity.challenge import challenge_new, challenge_solve
from micuenta.identity.forms import LOGIN_CHALLENGE_NEEDED
from micuenta.identity.forms_security import WRONG_CURRENT_TEXT
from micuenta.identity.passwords import PASSWORD_MESSAGES
from micuenta.identity.tests.helpers import identity_data, last_code
from micuenta.identity.tests.signin import sign_in
from micuenta.notifications.models import OutboxMessage
from micuenta.people.tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db

# Too short, too common and only digits: three of the password rules at once.
BAD_PASSWORD = "1234"
TOO_SHORT = PASSWORD_MESSAGES["password_too_short"]
TOO_COMMON = PASSWORD_MESSAGES["password_too_common"]

FIELD_ERROR = re.compile(r'<p class="field-error" id="(?P<id>[^"]+)-error">(?P<text>.*?)</p>', re.S)
ALERT = re.compile(r'<div class="notice notice-error" role="alert" id="errores">(?P<text>.*?)</div>', re.S)


def text(fragment: str) -> str:
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def field_messages(page: str) -> dict[str, str]:
    """What each field says under it, by the field's id."""
    return {m["id"]: text(m["text"]) for m in FIELD_ERROR.finditer(page)}


def alert(page: str) -> str:
    match = ALERT.search(page)
    return text(match["text"]) if match else ""


def assert_said_once(page: str) -> None:
    """Nothing under a field is said again in the alert above the form."""
    top = alert(page)
    for message in field_messages(page).values():
        assert message not in top, f"the alert repeats {message!r}"


# --- The rule, on any form -------------------------------------------------------------------------------------


def no_digits(value: str) -> None:
    if any(ch.isdigit() for ch in value):
        raise ValidationError("Quita los números.", code="digits")


class Sample(AccessibleFormMixin, forms.Form):
    name = forms.CharField(min_length=5, validators=[no_digits])
    code = forms.CharField(required=False)

    def clean(self):
        cleaned = super().clean()
        if self.has_error("name"):
            raise ValidationError(["Quita los números.", "Revisa el formulario."])
        return cleaned


def test_a_field_that_fails_two_checks_says_only_the_first():
    form = Sample(data={"name": "a1"})  # has digits, and is too short
    assert form.errors["name"] == ["Quita los números."]
    assert form["name"].field.widget.attrs["aria-invalid"] == "true"
    assert Sample(data={"name": "ab"}).errors["name"] == [
        "Este dato necesita al menos 5 caracteres (escribiste 2): complétalo y vuelve a enviarlo."
    ]


def test_the_forms_own_message_neither_repeats_a_field_nor_comes_twice():
    form = Sample(data={"name": "abcd1"})
    assert form.errors["name"] == ["Quita los números."]
    assert form.non_field_errors() == ["Revisa el formulario."]


def test_a_views_message_after_validation_follows_the_same_rule():
    form = Sample(data={"name": "abcde", "code": "x"})
    assert form.is_valid()
    form.add_error("code", "No encontramos ese código.")
    form.add_error("code", "Otra cosa.")
    assert form.errors["code"] == ["No encontramos ese código."]
    assert form["code"].field.widget.attrs["aria-invalid"] == "true"
    assert form["code"].field.widget.attrs["aria-describedby"] == "id_code-error"


# --- On the pages ----------------------------------------------------------------------------------------------


def test_the_registration_password_step_says_one_thing_per_field(client):
    worker = WorkerFactory.create()
    client.post(reverse("identity:register"), identity_data(worker))
    client.post(reverse("identity:register_contact"), {"email": "nueva.persona@correo.test", "mobile": "5512345678"})
    client.post(reverse("identity:register_confirm_email"), {"code": last_code("email")})
    client.post(reverse("identity:register_confirm_mobile"), {"code": last_code("sms")})
    page = client.post(
        reverse("identity:register_password"), {"password1": BAD_PASSWORD, "password2": BAD_PASSWORD}
    ).content.decode()
    assert field_messages(page) == {
        "id_password1": TOO_SHORT,
        "id_accept_terms": "Para crear tu cuenta, lee y acepta los términos y condiciones.",
    }
    assert TOO_COMMON not in page
    assert alert(page) == "Revisa los datos marcados abajo."


def test_the_new_password_of_olvide_mi_contrasena_says_one_thing(client, user_factory):
    account = user_factory(worker=WorkerFactory.create(), email="titular@correo.test")
    client.post(
        reverse("identity:password_reset"), {"nss": account.worker.nss, "altcha": challenge_solve(challenge_new())}
    )
    body = OutboxMessage.objects.get(template="password_reset").body
    link = re.search(r"https?://[^/\s]+(/olvide-mi-contrasena/[^\s]+/)", body)
    assert link, "no reset link"
    form_url = client.get(link.group(1))["Location"]
    page = client.post(form_url, {"password1": BAD_PASSWORD, "password2": BAD_PASSWORD}).content.decode()
    assert field_messages(page) == {"id_password1": TOO_SHORT}
    assert_said_once(page)


def test_the_security_password_change_says_one_thing_per_field(client, person):
    sign_in(client, person)
    page = client.post(
        reverse("security:password"),
        {"current_password": "no-es-la-mia", "new_password": BAD_PASSWORD, "new_password_confirm": BAD_PASSWORD},
    ).content.decode()
    assert field_messages(page) == {
        "id_current_password": f"{WRONG_CURRENT_TEXT} Te quedan 4 intentos antes de que esta página se bloquee 15 "
        "minutos.",
        "id_new_password": TOO_SHORT,
    }
    assert_said_once(page)


def test_the_lock_of_the_security_page_is_said_once(client, person):
    sign_in(client, person)
    data = {"current_password": "no-es-la-mia", "new_password": BAD_PASSWORD, "new_password_confirm": BAD_PASSWORD}
    for _ in range(4):
        client.post(reverse("security:password"), data)
    page = client.post(reverse("security:password"), data).content.decode()
    assert "Escribiste mal tu contraseña actual demasiadas veces" in alert(page)
    assert field_messages(page) == {}
    assert 'aria-invalid="true"' not in page


def test_the_login_challenge_asks_for_the_password_once(client, user_factory, settings):
    account = user_factory(worker=WorkerFactory.create(), email="duena@correo.test")
    for n in range(settings.MICUENTA_LOGIN_CHALLENGE_AFTER):
        Client().post(
            reverse("identity:login"),
            {"username": account.worker.nss, "password": "adivinanza", "altcha": challenge_solve(challenge_new())},
            REMOTE_ADDR=f"198.51.100.{n}",
        )
    page = (
        Client()
        .post(reverse("identity:login"), {"username": account.email, "password": ""}, REMOTE_ADDR="203.0.113.60")
        .content.decode()
    )
    assert alert(page) == LOGIN_CHALLENGE_NEEDED
    assert field_messages(page) == {}
