"""The portal's URLconf plus views that fail, to exercise the error pages."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from micuenta.urls import urlpatterns as portal_urlpatterns


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("simulated failure")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def bad(request: HttpRequest) -> HttpResponse:
    raise BadRequest


urlpatterns = [
    *portal_urlpatterns,
    path("falla/", fails),
    path("prohibido/", forbidden),
    path("mala/", bad),
]

handler400 = "micuenta.core.views.bad_request"
handler403 = "micuenta.core.views.permission_denied"
handler404 = "micuenta.core.views.page_not_found"
handler500 = "micuenta.core.views.server_error"
