"""SMS delivery behind a small pluggable interface, chosen by settings.SMS_BACKEND.

A provider backend implements `send_messages` and returns how many messages it accepted; it raises on a
failure the outbox should record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class SmsMessage:
    to: str
    body: str
    sender: str


class BaseSmsBackend:
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


def get_sms_backend() -> BaseSmsBackend:
    backend_class = import_string(settings.SMS_BACKEND)
    backend: BaseSmsBackend = backend_class()
    return backend
