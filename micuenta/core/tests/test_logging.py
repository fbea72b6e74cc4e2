"""An ordinary 403 is logged as one line, without a traceback; a 500 keeps its traceback."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import include, path


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("fallo de prueba")


urlpatterns = [path("prohibido/", forbidden), path("roto/", broken), path("", include("micuenta.urls"))]
handler403 = "micuenta.core.views.permission_denied"
handler500 = "micuenta.core.views.server_error"


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.format(record)  # what a real handler writes: message and, with exc_info, the traceback
        self.records.append(record)


@pytest.fixture
def captured():
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)  # the portal's logging, as configured at start-up
    handler = Capture()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_a_403_is_one_line_without_a_traceback(captured):
    assert Client().get("/prohibido/").status_code == 403
    [record] = captured.records
    assert record.getMessage() == "Forbidden (Permission denied): /prohibido/"
    assert record.exc_info is None and not record.exc_text


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_a_500_keeps_its_traceback(captured):
    assert Client(raise_request_exception=False).get("/roto/").status_code == 500
    [record] = captured.records
    assert record.exc_info is not None
