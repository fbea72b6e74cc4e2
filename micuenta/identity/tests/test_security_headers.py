"""CSRF, a CSP without inline script, HSTS and secure cookies in production, no-store on signed-in pages."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from micuenta.core.tests.test_settings import PRODUCTION, run_with_env

pytestmark = pytest.mark.django_db

PAGES = [
    "identity:login",
    "identity:register",
    "identity:password_reset",
    "identity:lost_email",
    "identity:delete_account",
    "identity:cesi",
    "identity:terms",
]


@pytest.mark.parametrize("name", PAGES)
def test_pages_have_a_csp_without_inline_script_and_no_inline_script(client, name):
    response = client.get(reverse(name))
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", policy)
    assert script_src and "'unsafe-inline'" not in script_src.group(1) and "'unsafe-eval'" not in policy
    for tag in re.findall(r"<script\b[^>]*>", response.content.decode()):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert " style=" not in response.content.decode()


def test_forms_refuse_a_post_without_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("identity:login"), {"username": "x@correo.test", "password": "y"})
    assert response.status_code == 403


def test_signed_in_pages_are_never_stored(client, person):
    client.force_login(person)
    for name in ("core:dashboard", "identity:profile"):
        cache_control = client.get(reverse(name))["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control


PRODUCTION_PROBE = """
import django, json
django.setup()
from django.test import Client
from django.test.utils import override_settings, setup_test_environment
setup_test_environment()
# No collectstatic here: the plain storage stands in for the manifest one.
override_settings(STORAGES={
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}).enable()
from django.core.management import call_command
call_command("migrate", verbosity=0)
client = Client()
response = client.get("/iniciar-sesion/", secure=True, HTTP_HOST="micuenta.ejemplo.mx")
cookie = response.cookies.get("csrftoken")
plain = client.get("/iniciar-sesion/", HTTP_HOST="micuenta.ejemplo.mx")
print(json.dumps({
    "hsts": response.get("Strict-Transport-Security", ""),
    "csrf_secure": bool(cookie and cookie["secure"]),
    "csrf_httponly": bool(cookie and cookie["httponly"]),
    "csrf_samesite": cookie["samesite"] if cookie else "",
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
}))
from django.conf import settings as s
print(json.dumps([s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE]))
"""


def test_production_sends_hsts_and_secure_httponly_samesite_cookies(tmp_path):
    result = run_with_env(
        ["-c", PRODUCTION_PROBE], {**PRODUCTION, "DJANGO_SETTINGS_MODULE": "micuenta.settings"}, tmp_path
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.strip().splitlines()
    headers = json.loads(lines[-2])
    assert headers["hsts"].startswith("max-age=31536000")
    assert headers["csrf_secure"] and headers["csrf_httponly"] and headers["csrf_samesite"] == "Lax"
    assert headers["plain_status"] == 301 and headers["plain_location"].startswith("https://")
    assert json.loads(lines[-1]) == [True, True, "Lax"]
