"""The public pages: the privacy notice, the terms' legal basis, and a home page that promises only what exists."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from micuenta.notifications.models import Channel
from micuenta.notifications.services import notification_send

pytestmark = pytest.mark.django_db

LAW = "Ley General de Protección de Datos Personales en Posesión de Sujetos Obligados"
LAW_SOURCE = "https://www.diputados.gob.mx/LeyesBiblio/pdf/LGPDPPSO.pdf"


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_privacy_notice_has_a_simplified_and_an_integral_version_with_its_legal_basis(client):
    html = client.get(reverse("core:privacy_notice")).content.decode()
    assert 'id="simplificado"' in html and 'id="integral"' in html
    text = _text(html)
    assert "Aviso de privacidad simplificado" in text
    assert "Aviso de privacidad integral" in text
    assert LAW in text
    assert "20 de marzo de 2025" in text
    assert f'href="{LAW_SOURCE}"' in html
    assert "derechos ARCO" in text


def test_the_terms_cite_the_law_and_link_the_privacy_notice(client):
    html = client.get(reverse("identity:terms")).content.decode()
    assert LAW in _text(html)
    assert f'href="{LAW_SOURCE}"' in html
    assert f'href="{reverse("core:privacy_notice")}"' in html


@pytest.mark.parametrize("name", ["core:home", "identity:login", "identity:register"])
def test_every_page_footer_links_the_privacy_notice_and_the_terms(client, name):
    html = client.get(reverse(name)).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert f'href="{reverse("core:privacy_notice")}"' in footer
    assert f'href="{reverse("identity:terms")}"' in footer


def test_the_home_page_promises_only_what_the_portal_does():
    text = _text(Client().get(reverse("core:home")).content.decode())
    for not_offered in ("Constancias", "devoluciones", "avisos de descuento", "haz tus trámites"):
        assert not_offered not in text
    for offered in ("Mi ahorro", "Mi crédito", "Tu seguridad", "No fui yo"):
        assert offered in text


def test_the_welcome_email_promises_no_tramites():
    message = notification_send(channel=Channel.EMAIL, to="ana@correo.mx", template="welcome", context={"name": "Ana"})
    assert "trámites" not in message.body
    assert "tu ahorro para la vivienda" in message.body
