"""`{% sms_failure_notice masked_number %}`: on a page that waits for a code sent by SMS, says when it could not
be sent and what to do."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from micuenta.notifications.selectors import sms_delivery_failed

register = template.Library()


@register.inclusion_tag("notifications/_sms_failure_notice.html")
def sms_failure_notice(recipient_masked: str) -> dict[str, Any]:
    failed = sms_delivery_failed(recipient_masked=recipient_masked, within_seconds=settings.MICUENTA_CODE_TTL_SECONDS)
    return {"failed": failed, "recipient_masked": recipient_masked}
