"""The CESI's own sign-in page when sign-in is paused, registered with identity's doors (`BackofficeConfig`)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from micuenta.backoffice.forms import LoginForm
from micuenta.identity.throttling import SignInDoor

PREFIX = "/cesi/"
SIGN_IN_PATH = "/cesi/iniciar-sesion/"


def lockout_page(request: HttpRequest, until: datetime) -> HttpResponse:
    """The CESI sign-in page, saying until when sign-in is paused (HTTP 429)."""
    return render(
        request,
        "backoffice/login.html",
        {"form": LoginForm(), "locked_until": until, "nav_items": (), "next": ""},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


DOOR = SignInDoor(prefix=PREFIX, sign_in_path=SIGN_IN_PATH, lockout_page=lockout_page)
