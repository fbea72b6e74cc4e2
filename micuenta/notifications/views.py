from __future__ import annotations

import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from micuenta.notifications.delivery import outbox_provider_status_record
from micuenta.notifications.selectors import outbox_recent
from micuenta.notifications.sms import twilio_signature


@never_cache
@require_GET
def buzon(request: HttpRequest) -> HttpResponse:
    """Buzón de desarrollo: the latest outgoing messages, readable. Exists only in demo mode."""
    if not settings.MICUENTA_DEMO:
        raise Http404
    return render(request, "notifications/buzon.html", {"messages_sent": outbox_recent(limit=50)})


@csrf_exempt
@require_POST
def sms_status(request: HttpRequest) -> HttpResponse:
    """The SMS provider's delivery-status callback, verified by its signature (X-Twilio-Signature)."""
    token = settings.SMS_TWILIO_AUTH_TOKEN
    url = f"{settings.MICUENTA_BASE_URL}{request.path}"
    params = {key: request.POST[key] for key in request.POST}
    expected = twilio_signature(url=url, params=params, auth_token=token) if token else ""
    given = request.headers.get("X-Twilio-Signature", "")
    if not expected or not hmac.compare_digest(expected, given):
        return HttpResponseForbidden("firma inválida", content_type="text/plain; charset=utf-8")
    provider_id = params.get("MessageSid", "")
    status = params.get("MessageStatus", "")
    if not provider_id or not status:
        return HttpResponseBadRequest("faltan MessageSid o MessageStatus", content_type="text/plain; charset=utf-8")
    outbox_provider_status_record(
        provider_id=provider_id, provider_status=status, error_code=params.get("ErrorCode", "")
    )
    return HttpResponse(status=204)
