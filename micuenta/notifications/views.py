from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from micuenta.notifications.selectors import outbox_recent


@never_cache
@require_GET
def buzon(request: HttpRequest) -> HttpResponse:
    """Buzón de desarrollo: the latest outgoing messages, readable. Exists only in demo mode."""
    if not settings.MICUENTA_DEMO:
        raise Http404
    return render(request, "notifications/buzon.html", {"messages_sent": outbox_recent(limit=50)})
