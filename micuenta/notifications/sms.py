"""SMS delivery behind a small pluggable interface, chosen by settings.SMS_BACKEND.

A provider backend implements `send` for one message and returns the provider's receipt (its id for the
message and the status it reported); it raises `SmsDeliveryError` on a failure the outbox should record.
`send_messages` sends several and returns how many were accepted.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class SmsMessage:
    to: str
    body: str
    sender: str


@dataclass(frozen=True)
class SmsReceipt:
    """What the provider answered when it accepted a message: its id and the status it reported."""

    provider_id: str = ""
    status: str = ""


class SmsDeliveryError(Exception):
    """The provider refused the message or could not be reached. `code` is safe to record (no address)."""

    def __init__(self, code: str, *, retryable: bool = False) -> None:
        super().__init__(code)
        self.code = code
        self.retryable = retryable


class BaseSmsBackend:
    def send(self, message: SmsMessage) -> SmsReceipt:
        self.send_messages([message])
        return SmsReceipt()

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        raise NotImplementedError


class OutboxSmsBackend(BaseSmsBackend):
    """Development and demo: nothing leaves the machine; the outbox row is the message."""

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        return len(messages)


class LocmemSmsBackend(BaseSmsBackend):
    """Tests: keeps what was sent in `LocmemSmsBackend.outbox`, like Django's locmem e-mail backend."""

    outbox: ClassVar[list[SmsMessage]] = []

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        type(self).outbox.extend(messages)
        return len(messages)


def international_mx(number: str) -> str:
    """`5512345678` → `+525512345678` (E.164, as SMS providers expect it)."""
    return number if number.startswith("+") else f"+52{number}"


class TwilioSmsBackend(BaseSmsBackend):
    """Twilio's Programmable Messaging REST API (https://www.twilio.com/docs/messaging/api/message-resource).

    POST form to `{SMS_TWILIO_BASE_URL}/2010-04-01/Accounts/{sid}/Messages.json` with HTTP basic auth (account
    SID, auth token); the answer is JSON with the message's `sid` and `status`. A network error, a timeout, a
    429 or a 5xx answer is retried with exponential backoff (SMS_RETRIES attempts in all); any other 4xx is final.
    When MICUENTA_BASE_URL is public, Twilio reports the delivery status to the status callback
    (`notifications:sms_status`), signed with the auth token (`twilio_signature`).
    """

    def __init__(self) -> None:
        self.account_sid = settings.SMS_TWILIO_ACCOUNT_SID
        self.auth_token = settings.SMS_TWILIO_AUTH_TOKEN
        self.base_url = settings.SMS_TWILIO_BASE_URL.rstrip("/")
        self.timeout = settings.SMS_TIMEOUT_SECONDS
        self.attempts = max(1, settings.SMS_RETRIES)
        self.backoff = settings.SMS_RETRY_BACKOFF_SECONDS

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        for message in messages:
            self.send(message)
        return len(messages)

    def send(self, message: SmsMessage) -> SmsReceipt:
        form = {"To": international_mx(message.to), "From": message.sender, "Body": message.body}
        callback = sms_status_callback_url()
        if callback:
            form["StatusCallback"] = callback
        for attempt in range(1, self.attempts + 1):
            try:
                return self._post(form)
            except SmsDeliveryError as error:
                if not error.retryable or attempt == self.attempts:
                    raise
            time.sleep(self.backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable")  # pragma: no cover

    def _post(self, form: Mapping[str, str]) -> SmsReceipt:
        url = f"{self.base_url}/2010-04-01/Accounts/{urllib.parse.quote(self.account_sid)}/Messages.json"
        credentials = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        request = urllib.request.Request(  # noqa: S310 - the base URL comes from settings (https in production)
            url,
            data=urllib.parse.urlencode(form).encode(),
            headers={
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            code = _provider_code(exc)
            raise SmsDeliveryError(
                f"HTTP {exc.code}{f' código {code}' if code else ''}", retryable=exc.code == 429 or exc.code >= 500
            ) from None
        except TimeoutError:
            raise SmsDeliveryError("tiempo de espera agotado", retryable=True) from None
        except (urllib.error.URLError, ConnectionError, OSError):
            raise SmsDeliveryError("proveedor inalcanzable", retryable=True) from None
        except ValueError:
            raise SmsDeliveryError("respuesta ilegible del proveedor", retryable=False) from None
        provider_id = str(answer.get("sid", ""))[:64]
        if not provider_id:
            raise SmsDeliveryError("respuesta sin identificador del proveedor")
        return SmsReceipt(provider_id=provider_id, status=str(answer.get("status", ""))[:20])


def _provider_code(exc: urllib.error.HTTPError) -> str:
    """Twilio's numeric error code from an error answer (never its message, which may quote the number)."""
    try:
        code = json.loads(exc.read() or b"{}").get("code")
    except (ValueError, OSError, AttributeError):
        return ""
    return str(code) if isinstance(code, int) else ""


def sms_status_callback_url() -> str:
    """Where the provider reports delivery status; empty when the portal is not reachable over HTTPS."""
    from django.urls import reverse

    base = settings.MICUENTA_BASE_URL
    if not base.startswith("https://"):
        return ""
    return f"{base}{reverse('notifications_provider:sms_status')}"


def twilio_signature(*, url: str, params: Mapping[str, str], auth_token: str) -> str:
    """X-Twilio-Signature: base64 HMAC-SHA1 of the URL followed by each POST field's name and value, by name.

    https://www.twilio.com/docs/usage/webhooks/webhooks-security
    """
    payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def get_sms_backend() -> BaseSmsBackend:
    backend_class = import_string(settings.SMS_BACKEND)
    backend: BaseSmsBackend = backend_class()
    return backend
