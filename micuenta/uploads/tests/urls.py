"""A page that hands back a stored file, as a trámite's would (after its own access check)."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
from django.urls import include, path

from micuenta.uploads.http import attachment_response


def download(request: HttpRequest) -> FileResponse:
    return attachment_response(request.GET["nombre"], filename=request.GET["archivo"], content_type=request.GET["tipo"])


urlpatterns = [path("descarga/", download), path("", include("micuenta.urls"))]
