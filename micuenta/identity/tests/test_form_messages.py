"""Django's own form messages reach people in the portal's voice, on the real pages."""

import pytest
from django import forms
from django.urls import reverse

from micuenta.core.forms import AccessibleFormMixin

pytestmark = pytest.mark.django_db


def test_a_too_long_nss_gets_one_message_in_the_portals_voice(client):
    response = client.post(reverse("identity:register"), {"nss": "1" * 25, "curp": "", "rfc": ""})
    html = response.content.decode()
    assert "Este dato admite como máximo 20 caracteres (escribiste 25): acórtalo y vuelve a enviarlo." in html
    assert "Asegúrese" not in html and "Ensure this value" not in html


class Sample(AccessibleFormMixin, forms.Form):
    name = forms.CharField(max_length=5, min_length=2)
    email = forms.EmailField()
    count = forms.IntegerField(max_value=3)
    own = forms.CharField(error_messages={"required": "Escribe tu nombre."})


def test_defaults_are_replaced_and_a_fields_own_words_are_kept():
    errors = Sample(data={"name": "x", "email": "no-es-correo", "count": "9"}).errors
    assert errors["name"] == [
        "Este dato necesita al menos 2 caracteres (escribiste 1): complétalo y vuelve a enviarlo."
    ]
    assert errors["email"] == ["Escribe un correo electrónico completo, por ejemplo nombre@correo.com."]
    assert errors["count"] == ["Escribe un valor de 3 o menos."]
    assert errors["own"] == ["Escribe tu nombre."]
    assert Sample(data={"name": "", "email": "a@b.mx", "count": "1", "own": "y"}).errors["name"] == [
        "Escribe este dato: es obligatorio."
    ]


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("identity:login", {"username": "ana\x00@correo.test", "password": "x"}),
        ("identity:register", {"nss": "123\x00", "curp": "", "rfc": ""}),
        ("identity:password_reset", {"nss": "123\x00"}),
    ],
)
def test_a_null_character_is_told_in_the_portals_voice(client, url, data):
    html = client.post(reverse(url), data).content.decode()
    assert "Quita los caracteres especiales que no se ven" in html
    assert "Caracteres nulos" not in html and "Null characters" not in html
