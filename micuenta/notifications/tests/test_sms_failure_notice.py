"""A page that waits for an SMS code says when the SMS could not be sent, and what to do."""

from __future__ import annotations

import pytest
from django.urls import reverse

from micuenta.identity.tests.helpers import identity_data, last_code
from micuenta.notifications.delivery import outbox_deliver
from micuenta.notifications.models import OutboxMessage, Status
from micuenta.people.tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db

NOTICE = "No pudimos enviar el SMS a tu celular ******5678."


def _to_mobile_step(client) -> None:
    worker = WorkerFactory.create()
    client.post(reverse("identity:register"), identity_data(worker))
    client.post(reverse("identity:register_contact"), {"email": "nueva@correo.test", "mobile": "55 1234 5678"})
    client.post(reverse("identity:register_confirm_email"), {"code": last_code("email")})


def _deliver_sms() -> OutboxMessage:
    message = OutboxMessage.objects.filter(channel="sms", status=Status.QUEUED).latest("created_at")
    return outbox_deliver(message_id=message.pk)


def test_the_mobile_code_page_says_the_sms_could_not_be_sent(client, settings):
    _to_mobile_step(client)
    settings.SMS_BACKEND = "micuenta.notifications.sms.NoSuchBackend"
    assert _deliver_sms().status == Status.FAILED
    html = client.get(reverse("identity:register_confirm_mobile")).content.decode()
    assert NOTICE in html
    assert "Reenviar código" in html


def test_no_notice_while_the_sms_is_queued_or_once_it_was_sent(client):
    _to_mobile_step(client)
    assert NOTICE not in client.get(reverse("identity:register_confirm_mobile")).content.decode()
    assert _deliver_sms().status == Status.SENT
    assert NOTICE not in client.get(reverse("identity:register_confirm_mobile")).content.decode()


def test_an_old_failure_to_the_same_number_is_not_shown(client, settings):
    _to_mobile_step(client)
    settings.SMS_BACKEND = "micuenta.notifications.sms.NoSuchBackend"
    _deliver_sms()
    settings.MICUENTA_CODE_TTL_SECONDS = 0
    assert NOTICE not in client.get(reverse("identity:register_confirm_mobile")).content.decode()
