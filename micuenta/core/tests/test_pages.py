import re
from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_explains_the_portal_in_spanish_with_landmarks(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es-MX">' in html
    assert '<a class="skip-link" href="#contenido">Saltar al contenido principal</a>' in html
    assert '<main id="contenido"' in html
    assert "<header" in html
    assert "<footer" in html
    assert "Tu ahorro para la vivienda y tu crédito, en línea" in html
    assert "Número de Seguridad Social (NSS)" in html
    assert f'href="{reverse("identity:login")}">Iniciar sesión</a>' in html


def test_home_loads_nothing_from_outside(client):
    html = client.get("/").content.decode()
    external = re.findall(r'(?:src|href)="(?:https?:)?//[^"]+"', html)
    assert external == []
    assert '<link rel="stylesheet" href="/static/core/css/micuenta.css">' in html


def test_anonymous_home_has_no_signed_in_navigation(client):
    html = client.get("/").content.decode()
    assert 'aria-label="Menú principal"' not in html


def test_security_headers_are_sent(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_health_answers_200_when_the_database_answers(client):
    response = client.get("/salud/")
    assert response.status_code == 200
    assert response.json() == {"estado": "ok", "base_de_datos": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_answers_503_when_the_database_does_not(client):
    with mock.patch("micuenta.core.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/salud/")
    assert response.status_code == 503
    assert response.json()["estado"] == "error"


def test_404_page_is_in_spanish(client):
    response = client.get("/no-existe/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "No encontramos esta página" in html
    assert '<html lang="es-MX">' in html


@pytest.mark.urls("micuenta.core.tests.failing_urls")
def test_500_page_is_in_spanish_and_needs_no_request_context():
    client = Client(raise_request_exception=False)
    response = client.get("/falla/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Algo falló de nuestro lado" in html
    assert '<html lang="es-MX">' in html


@pytest.mark.urls("micuenta.core.tests.failing_urls")
def test_403_and_400_pages_are_in_spanish(client):
    forbidden = client.get("/prohibido/")
    assert forbidden.status_code == 403
    assert "No tienes permiso para ver esta página" in forbidden.content.decode()
    bad = client.get("/mala/")
    assert bad.status_code == 400
    assert "No pudimos entender la solicitud" in bad.content.decode()


def test_csrf_failure_page_is_in_spanish(person):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("identity:login"), {"username": "a@ejemplo.test", "password": "x"})
    assert response.status_code == 403
    assert "La página caducó" in response.content.decode()


def test_dashboard_requires_sign_in(client):
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('identity:login')}?next={reverse('core:dashboard')}"


def test_signed_in_layout_lists_only_pages_that_exist(client, person):
    client.force_login(person)
    html = client.get(reverse("core:dashboard")).content.decode()
    nav = html.split('aria-label="Menú principal"', 1)[1].split("</nav>", 1)[0]
    assert f'<a href="{reverse("savings:balance")}">Mi ahorro</a>' in nav
    assert f'<a href="{reverse("credits:balance")}">Mi crédito</a>' in nav
    assert f'<a href="{reverse("identity:profile")}">Mi perfil</a>' in nav
    assert f'<a href="{reverse("tramites:index")}">Trámites</a>' in nav
    assert "Cerrar sesión" in html


def test_current_section_is_marked_in_the_navigation(client, person):
    client.force_login(person)
    html = client.get(reverse("identity:profile")).content.decode()
    assert f'<a href="{reverse("identity:profile")}" aria-current="page">Mi perfil</a>' in html


def test_demo_banner_only_in_demo_mode(client, settings):
    settings.MICUENTA_DEMO = False
    assert "Modo demostración" not in client.get("/").content.decode()
    settings.MICUENTA_DEMO = True
    assert "Modo demostración" in client.get("/").content.decode()


@pytest.mark.parametrize(("method", "path"), [("get", "/cerrar-sesion/"), ("post", "/"), ("post", "/salud/")])
def test_a_wrong_http_method_gets_a_spanish_page(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert "Esta acción no se puede hacer desde aquí" in response.content.decode()
    assert response["Allow"]


def test_signed_in_pages_are_not_kept_by_the_browser_cache(client, person):
    client.force_login(person)
    for name in ("core:dashboard", "identity:profile"):
        cache_control = client.get(reverse(name))["Cache-Control"]
        assert "no-store" in cache_control
        assert "private" in cache_control
