"""The Twilio adapter against a fake Messages API served on 127.0.0.1 by the test, and its status callback."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.urls import reverse

from micuenta.notifications.delivery import outbox_deliver
from micuenta.notifications.models import Channel, OutboxMessage, Status
from micuenta.notifications.services import notification_send

pytestmark = pytest.mark.django_db

SID = "AC0123456789abcdef0123456789abcdef"
TOKEN = "token-de-prueba"


class FakeTwilio:
    """Answers each POST with the next scripted reply: (status, json body, delay in seconds)."""

    def __init__(self) -> None:
        self.replies: list[tuple[int, dict[str, Any], float]] = []
        self.requests: list[dict[str, Any]] = []

    def handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                fake.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "form": form})
                status, body, delay = fake.replies.pop(0) if fake.replies else (500, {}, 0.0)
                time.sleep(delay)
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


@pytest.fixture
def twilio(settings) -> Iterator[FakeTwilio]:
    fake = FakeTwilio()
    server = ThreadingHTTPServer(("127.0.0.1", 0), fake.handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "micuenta.notifications.sms.TwilioSmsBackend"
    settings.SMS_TWILIO_ACCOUNT_SID = SID
    settings.SMS_TWILIO_AUTH_TOKEN = TOKEN
    settings.SMS_TWILIO_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.SMS_SENDER_ID = "+15005550006"
    settings.SMS_TIMEOUT_SECONDS = 0.5
    settings.SMS_RETRIES = 3
    settings.SMS_RETRY_BACKOFF_SECONDS = 0.01
    settings.MICUENTA_BASE_URL = "https://micuenta.example"
    yield fake
    server.shutdown()
    server.server_close()


def _queued_sms() -> OutboxMessage:
    return notification_send(channel=Channel.SMS, to="55 1234 5678", template="welcome")


def test_an_sms_is_posted_to_the_messages_api_and_the_provider_id_kept(twilio):
    twilio.replies = [(201, {"sid": "SM" + "a" * 32, "status": "queued"}, 0.0)]
    message = outbox_deliver(message_id=_queued_sms().pk)
    assert (message.status, message.provider_id, message.provider_status) == (Status.SENT, "SM" + "a" * 32, "queued")
    [request] = twilio.requests
    assert request["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert request["auth"] == "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
    assert request["form"]["To"] == "+525512345678"
    assert request["form"]["From"] == "+15005550006"
    assert request["form"]["Body"].startswith("Mi Cuenta Infonavit: tu cuenta está lista.")
    assert request["form"]["StatusCallback"] == "https://micuenta.example/notificaciones/sms/estado/"


def test_a_server_error_is_retried_then_succeeds(twilio):
    twilio.replies = [(503, {}, 0.0), (500, {}, 0.0), (201, {"sid": "SMb", "status": "accepted"}, 0.0)]
    message = outbox_deliver(message_id=_queued_sms().pk)
    assert message.status == Status.SENT
    assert message.provider_id == "SMb"
    assert len(twilio.requests) == 3


def test_retries_stop_after_the_configured_attempts_and_the_failure_is_recorded(twilio, caplog):
    twilio.replies = [(500, {}, 0.0)] * 5
    message = outbox_deliver(message_id=_queued_sms().pk)
    assert len(twilio.requests) == 3
    assert message.status == Status.FAILED
    assert message.error == "SMS: HTTP 500"
    assert "5512345678" not in caplog.text


def test_a_refusal_is_final_and_records_the_providers_code_not_its_text(twilio):
    refusal = {"code": 21211, "message": "The 'To' number +525512345678 is not a valid phone number.", "status": 400}
    twilio.replies = [(400, refusal, 0.0)]
    message = outbox_deliver(message_id=_queued_sms().pk)
    assert len(twilio.requests) == 1
    assert message.status == Status.FAILED
    assert message.error == "SMS: HTTP 400 código 21211"
    assert "5512345678" not in OutboxMessage.objects.get(pk=message.pk).error


def test_a_rate_limit_is_retried(twilio):
    twilio.replies = [(429, {"code": 20429}, 0.0), (201, {"sid": "SMc", "status": "queued"}, 0.0)]
    assert outbox_deliver(message_id=_queued_sms().pk).status == Status.SENT
    assert len(twilio.requests) == 2


def test_a_provider_that_does_not_answer_in_time_is_a_timeout_retried_then_recorded(twilio):
    twilio.replies = [(201, {"sid": "SMslow", "status": "queued"}, 1.5)] * 3
    started = time.monotonic()
    message = outbox_deliver(message_id=_queued_sms().pk)
    elapsed = time.monotonic() - started
    assert message.status == Status.FAILED
    assert message.error == "SMS: tiempo de espera agotado"
    assert elapsed < 3.0  # three attempts of 0.5 s, not three answers of 1.5 s


def test_a_slow_answer_within_the_timeout_is_accepted(twilio):
    twilio.replies = [(201, {"sid": "SMd", "status": "queued"}, 0.2)]
    assert outbox_deliver(message_id=_queued_sms().pk).provider_id == "SMd"
    assert len(twilio.requests) == 1


def test_an_unreachable_provider_is_recorded(settings, twilio):
    settings.SMS_TWILIO_BASE_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    message = outbox_deliver(message_id=_queued_sms().pk)
    assert message.status == Status.FAILED
    assert message.error == "SMS: proveedor inalcanzable"


def test_no_status_callback_is_asked_for_when_the_portal_is_not_public(settings, twilio):
    settings.MICUENTA_BASE_URL = "http://127.0.0.1:8000"
    twilio.replies = [(201, {"sid": "SMe", "status": "queued"}, 0.0)]
    outbox_deliver(message_id=_queued_sms().pk)
    assert "StatusCallback" not in twilio.requests[0]["form"]


def _sign(url: str, params: dict[str, str]) -> str:
    # Twilio's documented algorithm, written out independently of the code under test.
    data = url + "".join(k + params[k] for k in sorted(params))
    return base64.b64encode(hmac.new(TOKEN.encode(), data.encode(), hashlib.sha1).digest()).decode()


def _callback(client: Any, params: dict[str, str], sign: Callable[[str, dict[str, str]], str] = _sign) -> Any:
    url = "https://micuenta.example" + reverse("notifications_provider:sms_status")
    return client.post(
        reverse("notifications_provider:sms_status"),
        params,
        HTTP_X_TWILIO_SIGNATURE=sign(url, params),
        secure=True,
    )


@pytest.fixture
def sent(twilio) -> OutboxMessage:
    twilio.replies = [(201, {"sid": "SMf", "status": "queued"}, 0.0)]
    return outbox_deliver(message_id=_queued_sms().pk)


def test_a_signed_delivery_report_marks_the_message_delivered(client, sent):
    response = _callback(client, {"MessageSid": "SMf", "MessageStatus": "delivered", "AccountSid": SID})
    assert response.status_code == 204
    stored = OutboxMessage.objects.get(pk=sent.pk)
    assert (stored.status, stored.provider_status) == (Status.DELIVERED, "delivered")
    assert stored.provider_status_at is not None


def test_an_undelivered_report_marks_it_failed_with_the_code(client, sent):
    _callback(client, {"MessageSid": "SMf", "MessageStatus": "undelivered", "ErrorCode": "30003"})
    stored = OutboxMessage.objects.get(pk=sent.pk)
    assert (stored.status, stored.error) == (Status.FAILED, "SMS: undelivered código 30003")


def test_an_intermediate_status_after_the_final_one_changes_nothing(client, sent):
    _callback(client, {"MessageSid": "SMf", "MessageStatus": "delivered"})
    _callback(client, {"MessageSid": "SMf", "MessageStatus": "sent"})
    stored = OutboxMessage.objects.get(pk=sent.pk)
    assert (stored.status, stored.provider_status) == (Status.DELIVERED, "delivered")


def test_a_report_with_a_wrong_signature_is_refused(client, sent):
    response = _callback(client, {"MessageSid": "SMf", "MessageStatus": "delivered"}, sign=lambda url, p: "AAAA")
    assert response.status_code == 403
    assert OutboxMessage.objects.get(pk=sent.pk).status == Status.SENT


def test_a_report_signed_for_other_fields_is_refused(client, sent):
    def sign_other(url: str, params: dict[str, str]) -> str:
        return _sign(url, {**params, "MessageStatus": "sent"})

    response = _callback(client, {"MessageSid": "SMf", "MessageStatus": "delivered"}, sign=sign_other)
    assert response.status_code == 403


def test_without_an_auth_token_every_report_is_refused(client, settings, sent):
    settings.SMS_TWILIO_AUTH_TOKEN = ""
    response = _callback(client, {"MessageSid": "SMf", "MessageStatus": "delivered"})
    assert response.status_code == 403


def test_the_callback_answers_only_post(client):
    assert client.get(reverse("notifications_provider:sms_status"), secure=True).status_code == 405
