import smtplib
import socket
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.exceptions import ValidationError
from django_tasks_db.models import DBTaskResult

from micuenta.notifications.delivery import outbox_deliver
from micuenta.notifications.models import Channel, OutboxMessage, Status
from micuenta.notifications.services import notification_send
from micuenta.notifications.sms import LocmemSmsBackend, OutboxSmsBackend, SmsMessage

pytestmark = pytest.mark.django_db


def test_sending_an_email_records_it_masked_and_queues_delivery():
    message = notification_send(
        channel=Channel.EMAIL, to="Ana.Lopez@Correo.MX", template="welcome", context={"name": "Ana"}
    )
    message.refresh_from_db()
    assert message.channel == "email"
    assert message.template == "welcome"
    assert message.recipient_masked == "a***@c***.mx"
    assert message.status == Status.QUEUED
    assert message.subject == "Te damos la bienvenida a Mi Cuenta"
    assert "Hola, Ana:" in message.body
    assert message.created_at is not None
    task = DBTaskResult.objects.get()
    assert task.task_path == "micuenta.notifications.tasks.deliver_message"
    assert task.args_kwargs == {"args": [message.pk], "kwargs": {}}


def test_delivering_an_email_sends_it_and_forgets_the_address_and_body(settings):
    settings.NOTIFICATIONS_KEEP_BODY = False
    message = notification_send(channel=Channel.EMAIL, to="ana@correo.mx", template="welcome", context={"name": "Ana"})
    delivered = outbox_deliver(message_id=message.pk)
    assert delivered.status == Status.SENT
    assert delivered.sent_at is not None
    assert delivered.attempts == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana@correo.mx"]
    assert mail.outbox[0].subject == "Te damos la bienvenida a Mi Cuenta"
    stored = OutboxMessage.objects.get(pk=message.pk)
    assert stored.to_address == ""
    assert stored.body == ""
    assert stored.recipient_masked == "a***@c***.mx"


def test_in_demo_mode_the_body_is_kept_for_the_buzon(settings):
    settings.NOTIFICATIONS_KEEP_BODY = True
    message = notification_send(channel=Channel.EMAIL, to="ana@correo.mx", template="welcome", context={"name": "Ana"})
    outbox_deliver(message_id=message.pk)
    stored = OutboxMessage.objects.get(pk=message.pk)
    assert "Hola, Ana:" in stored.body
    assert stored.to_address == ""


def test_delivery_happens_once_even_if_the_task_runs_twice():
    message = notification_send(channel=Channel.EMAIL, to="ana@correo.mx", template="welcome", context={"name": "Ana"})
    outbox_deliver(message_id=message.pk)
    again = outbox_deliver(message_id=message.pk)
    assert again.status == Status.SENT
    assert again.attempts == 1
    assert len(mail.outbox) == 1


def test_sms_goes_through_the_configured_backend():
    message = notification_send(channel=Channel.SMS, to="5512345678", template="welcome")
    assert message.recipient_masked == "******5678"
    outbox_deliver(message_id=message.pk)
    assert LocmemSmsBackend.outbox == [
        SmsMessage(
            to="5512345678",
            body="Mi Cuenta Infonavit: tu cuenta está lista. Nunca compartas tus códigos ni tu contraseña.",
            sender="MICUENTA",
        )
    ]
    assert OutboxMessage.objects.get(pk=message.pk).status == Status.SENT


def test_outbox_sms_backend_accepts_without_sending():
    assert OutboxSmsBackend().send_messages([SmsMessage(to="5512345678", body="x", sender="S")]) == 1


@pytest.mark.parametrize(("written", "stored"), [("55 1234 5678", "5512345678"), ("+52 (55) 1234-5678", "5512345678")])
def test_common_ways_of_writing_a_mobile_number_are_accepted(written, stored):
    message = notification_send(channel=Channel.SMS, to=written, template="welcome")
    assert message.to_address == stored
    assert message.recipient_masked == "******5678"


def test_plain_text_messages_are_not_html_escaped():
    message = notification_send(
        channel=Channel.EMAIL, to="ana@correo.mx", template="welcome", context={"name": "Ana & O'Brien <3"}
    )
    assert "Hola, Ana & O'Brien <3:" in message.body


@pytest.mark.parametrize("bad", ["55123", "5512345678901", "abcdefghij", "５５１２３４５６７８"])
def test_sms_to_a_bad_number_is_refused_and_nothing_is_recorded(bad):
    with pytest.raises(ValidationError, match="10 dígitos"):
        notification_send(channel=Channel.SMS, to=bad, template="welcome")
    assert OutboxMessage.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


def test_email_to_a_bad_address_is_refused_and_nothing_is_recorded():
    with pytest.raises(ValidationError):
        notification_send(channel=Channel.EMAIL, to="no-es-correo", template="welcome")
    assert OutboxMessage.objects.count() == 0


def test_a_failed_delivery_is_recorded_without_the_address(caplog):
    message = notification_send(channel=Channel.EMAIL, to="ana@correo.mx", template="welcome", context={"name": "A"})
    error = smtplib.SMTPRecipientsRefused({"ana@correo.mx": (550, b"ana@correo.mx: no such user")})
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=error):
        failed = outbox_deliver(message_id=message.pk)
    assert failed.status == Status.FAILED
    assert failed.error == "SMTPRecipientsRefused"
    assert failed.to_address == ""
    assert "ana@correo.mx" not in caplog.text


def test_any_backend_failure_is_recorded_and_the_address_erased(settings, caplog):
    settings.SMS_BACKEND = "micuenta.notifications.sms.NoSuchBackend"
    message = notification_send(channel=Channel.SMS, to="5512345678", template="welcome")
    failed = outbox_deliver(message_id=message.pk)
    assert failed.status == Status.FAILED
    assert failed.error == "ImportError"
    stored = OutboxMessage.objects.get(pk=message.pk)
    assert (stored.status, stored.to_address) == (Status.FAILED, "")
    assert "5512345678" not in caplog.text


def test_a_rolled_back_transaction_leaves_no_message_and_no_task():
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        notification_send(channel=Channel.EMAIL, to="ana@correo.mx", template="welcome", context={"name": "A"})
        raise RuntimeError("the caller's work failed")
    assert OutboxMessage.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


def test_the_addresses_are_never_logged_in_clear(caplog):
    caplog.set_level("DEBUG")
    message = notification_send(channel=Channel.SMS, to="5598765432", template="welcome")
    outbox_deliver(message_id=message.pk)
    assert "5598765432" not in caplog.text
    assert f"id={message.pk}" in caplog.text


class _Sink:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_sink():
    sink = _Sink()
    with socket.socket() as s:  # Controller(port=0) cannot self-test; pick a free port first
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


def test_email_is_delivered_over_smtp(settings, smtp_sink):
    sink, port = smtp_sink
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    message = notification_send(channel=Channel.EMAIL, to="ana@correo.mx", template="welcome", context={"name": "Ana"})
    assert outbox_deliver(message_id=message.pk).status == Status.SENT
    assert len(sink.envelopes) == 1
    assert sink.envelopes[0].rcpt_tos == ["ana@correo.mx"]
    assert b"Hola, Ana:" in sink.envelopes[0].content
