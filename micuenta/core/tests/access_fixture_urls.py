"""Two person-scoped pages, one correct and one that leaks, to prove the access check can fail."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from micuenta.urls import urlpatterns as portal_urlpatterns


@login_required
def scoped(request: HttpRequest, pk: int) -> HttpResponse:
    if request.user.pk != pk:
        raise Http404
    return HttpResponse("tuyo")


@login_required
def leaky(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse("de cualquiera")


urlpatterns = [
    *portal_urlpatterns,
    path("prueba/<int:pk>/bien/", scoped, name="scoped"),
    path("prueba/<int:pk>/mal/", leaky, name="leaky"),
]
