"""Month names are written in lower case («4 de diciembre de 2026») on every path a date takes: a page, an e-mail,
a PDF and the Python helper. Django's es_MX catalog capitalises them; micuenta/core/locale overrides it."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from pypdf import PdfReader

from micuenta.core.periods import long_date
from micuenta.documents.pdf import pdf_from_html
from micuenta.identity.tests.factories import UserFactory
from micuenta.notifications.models import OutboxMessage
from micuenta.notifications.services import notification_send

DAY = date(2026, 12, 4)
LONG = "4 de diciembre de 2026"  # by hand: the RAE writes month names in lower case


def test_the_python_helper():
    assert long_date(DAY) == LONG
    assert long_date(date(2025, 1, 31)) == "31 de enero de 2025"


def test_every_template_format_with_a_month_name():
    rendered = Template(
        '{{ d|date:"j \\d\\e F \\d\\e Y" }}|{{ d }}|{{ d|date:"DATE_FORMAT" }}|{{ d|date:"N" }}|{{ d|date:"E" }}'
    ).render(Context({"d": DAY}))
    assert rendered == f"{LONG}|{LONG}|{LONG}|dic.|diciembre"


@pytest.mark.django_db
def test_a_page(client):
    user = UserFactory.create(date_joined=datetime(2026, 12, 4, 12, tzinfo=ZoneInfo("America/Mexico_City")))
    client.force_login(user)
    page = client.get(reverse("identity:profile")).content.decode()
    assert LONG in page
    assert "Diciembre" not in page


@pytest.mark.django_db
def test_an_email():
    until = datetime(2026, 12, 4, 18, 30, tzinfo=ZoneInfo("America/Mexico_City"))
    notification_send(channel="email", to="persona@ejemplo.test", template="login_locked", context={"until": until})
    body = OutboxMessage.objects.get().body
    assert "del 4 de diciembre" in body
    assert "Diciembre" not in body


def test_a_pdf():
    html = Template('<p>Emitido el {{ d|date:"j \\d\\e F \\d\\e Y" }}.</p>').render(Context({"d": DAY}))
    text = PdfReader(io.BytesIO(pdf_from_html(html))).pages[0].extract_text()
    assert f"Emitido el {LONG}." in text
