"""Public pages, the signed-in start page, the health probe and the error pages."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from micuenta.core.start import start_page_build

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    """Aviso de privacidad, simplificado e integral (Ley General de Protección de Datos Personales en Posesión de
    Sujetos Obligados, DOF 20-03-2025)."""
    return render(request, "core/privacy_notice.html")


@never_cache
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health check: database unavailable")
        return JsonResponse({"estado": "error", "base_de_datos": "sin respuesta"}, status=503)
    return JsonResponse({"estado": "ok", "base_de_datos": "ok"})


@never_cache
@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """What matters to this person at a glance: each domain's cards and alerts (core.start)."""
    start = start_page_build(user=request.user, today=timezone.localdate())
    return render(request, "core/dashboard.html", {"start": start})


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the failure may lie in a context processor, the session or the database.
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
