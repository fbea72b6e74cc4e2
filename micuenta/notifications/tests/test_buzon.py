import pytest
from django.urls import reverse

from micuenta.notifications.delivery import outbox_deliver
from micuenta.notifications.models import Channel
from micuenta.notifications.services import notification_send

pytestmark = pytest.mark.django_db


def test_buzon_is_404_outside_demo_mode(client, settings):
    settings.MICUENTA_DEMO = False
    response = client.get(reverse("notifications:buzon"))
    assert response.status_code == 404
    assert "No encontramos esta página" in response.content.decode()


def test_buzon_lists_recent_messages_with_their_text_in_demo_mode(client, settings):
    settings.MICUENTA_DEMO = True
    settings.NOTIFICATIONS_KEEP_BODY = True
    first = notification_send(channel=Channel.EMAIL, to="ana@correo.mx", template="welcome", context={"name": "Ana"})
    outbox_deliver(message_id=first.pk)
    notification_send(channel=Channel.SMS, to="5512345678", template="welcome")
    response = client.get(reverse("notifications:buzon"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Buzón de desarrollo</h1>" in html
    assert "a***@c***.mx" in html
    assert "******5678" in html
    assert "ana@correo.mx" not in html
    assert "5512345678" not in html
    assert "Hola, Ana:" in html
    assert "Enviado" in html
    assert "En cola" in html
    assert html.index("******5678") < html.index("a***@c***.mx")  # newest first
    assert "no-cache" in response["Cache-Control"]


def test_buzon_shows_at_most_fifty_messages(client, settings):
    settings.MICUENTA_DEMO = True
    for _ in range(55):
        notification_send(channel=Channel.SMS, to="5512345678", template="welcome")
    html = client.get(reverse("notifications:buzon")).content.decode()
    assert html.count("******5678") == 50


def test_empty_buzon_says_so(client, settings):
    settings.MICUENTA_DEMO = True
    assert "Todavía no se ha enviado ningún mensaje." in client.get(reverse("notifications:buzon")).content.decode()
