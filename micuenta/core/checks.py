"""System checks of the portal's own settings."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def demo_mode_is_not_for_production(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Demo mode publishes every outgoing message and loads accounts with a printed password."""
    if settings.MICUENTA_DEMO:
        return [
            Error(
                "MICUENTA_DEMO is on: the Buzón de desarrollo shows every message sent and the demo accounts "
                "have a published password.",
                hint="Unset MICUENTA_DEMO in production.",
                id="micuenta.E001",
            )
        ]
    return []


# Settings that became rules kept as data (docs/architecture.md, "Rules as data"): a deployment that still sets
# one must enter its value where it now lives, or it would silently charge something else.
MOVED_TO_RULES = {
    "MICUENTA_CREDIT_DAMAGE_INSURANCE_RATE": "administración → Tasas de seguro y cuota de los créditos",
    "MICUENTA_CREDIT_ADMINISTRATION_FEE_RATE": "administración → Tasas de seguro y cuota de los créditos",
}


@register()
def settings_that_became_rules(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """A setting that is now a rule in the administration is refused when it is still set."""
    return [
        Error(
            f"{name} is set, but it is no longer read: the rate is a rule with an effective date in {where}.",
            hint=f"Enter the rate there with the date it applies from and its source, then unset {name}.",
            id="micuenta.E002",
        )
        for name, where in MOVED_TO_RULES.items()
        if os.environ.get(name)
    ]


# Production needs (docs/deployment.md): each missing one is an error of `manage.py check --deploy`. Demo mode is
# refused on its own (micuenta.E001), so these look at a configuration that claims to be production.
SMS_BACKENDS_THAT_SEND_NOTHING = {
    "micuenta.notifications.sms.OutboxSmsBackend",
    "micuenta.notifications.sms.LocmemSmsBackend",
}
EMAIL_BACKENDS_THAT_SEND_NOTHING = {
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register(Tags.security, deploy=True)
def production_needs(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """What a production deployment must set: see docs/deployment.md, "Settings each part needs"."""
    if settings.MICUENTA_DEMO:
        return []
    errors: list[CheckMessage] = []
    if settings.SMS_BACKEND in SMS_BACKENDS_THAT_SEND_NOTHING:
        errors.append(
            Error(
                f"SMS_BACKEND is {settings.SMS_BACKEND}: no SMS leaves the machine, so registration, account "
                "deletion and contact changes cannot be confirmed.",
                hint="Set SMS_BACKEND=micuenta.notifications.sms.TwilioSmsBackend and its SMS_TWILIO_* settings.",
                id="micuenta.E003",
            )
        )
    if settings.SMS_BACKEND == "micuenta.notifications.sms.TwilioSmsBackend":
        missing = [
            name
            for name in ("SMS_TWILIO_ACCOUNT_SID", "SMS_TWILIO_AUTH_TOKEN")
            if not getattr(settings, name, "").strip()
        ]
        if missing or not settings.SMS_SENDER_ID.startswith("+"):
            errors.append(
                Error(
                    "The Twilio SMS backend needs its account, its auth token and a sender number: "
                    f"missing {', '.join(missing) or 'SMS_SENDER_ID in E.164 (+52…)'}.",
                    hint="Set SMS_TWILIO_ACCOUNT_SID, SMS_TWILIO_AUTH_TOKEN and SMS_SENDER_ID (+52…).",
                    id="micuenta.E004",
                )
            )
    if settings.EMAIL_BACKEND in EMAIL_BACKENDS_THAT_SEND_NOTHING:
        errors.append(
            Error(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: no e-mail leaves the machine.",
                hint="Unset EMAIL_BACKEND (SMTP) and set EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS and the credentials.",
                id="micuenta.E005",
            )
        )
    if settings.DATABASES["default"]["ENGINE"] != "micuenta.core.db.postgresql":
        errors.append(
            Error(
                "The database is not PostgreSQL: SQLite serves one machine, not several application nodes.",
                hint="Set DATABASE_URL=postgres://user:password@host:5432/name (docs/deployment.md).",
                id="micuenta.E006",
            )
        )
    if not os.environ.get("SECRET_KEY", "").strip():
        errors.append(
            Error(
                "SECRET_KEY is not set: each node would make its own key in var/secret_key, and sessions, "
                "password-reset links and signed values of one node would not be valid on another.",
                hint="Set SECRET_KEY from the secret store, the same on every node.",
                id="micuenta.E007",
            )
        )
    if not settings.MICUENTA_BASE_URL.startswith("https://"):
        errors.append(
            Error(
                f"MICUENTA_BASE_URL is {settings.MICUENTA_BASE_URL}: links sent by the workers and the SMS "
                "provider's delivery reports need the portal's public https:// address.",
                hint="Set MICUENTA_BASE_URL=https://<the portal's public host>.",
                id="micuenta.E008",
            )
        )
    if not settings.MICUENTA_REDIS_URL:
        errors.append(
            Error(
                "MICUENTA_REDIS_URL is not set: each node keeps its own cache and every request reads its session "
                "from the database.",
                hint="Set MICUENTA_REDIS_URL=redis://<host>:6379/0 (docs/deployment.md, Redis).",
                id="micuenta.E009",
            )
        )
    if not settings.MICUENTA_CLAMD:
        errors.append(
            Error(
                "MICUENTA_CLAMD is not set: files people attach are stored without a virus scan, and staff open them.",
                hint="Run ClamAV's daemon and set MICUENTA_CLAMD=unix:///run/clamav/clamd.ctl or tcp://<host>:3310 "
                "(docs/uploads.md).",
                id="micuenta.E010",
            )
        )
    key, cert = settings.MICUENTA_SIGNING_KEY, settings.MICUENTA_SIGNING_CERT
    if not (key and cert and Path(key).is_file() and Path(cert).is_file()):
        errors.append(
            Error(
                "MICUENTA_SIGNING_KEY and MICUENTA_SIGNING_CERT do not name readable files: official documents "
                "cannot be signed (without them only demo mode signs, with a demo certificate that is not valid).",
                hint="Set both to the institution's PEM key and certificate (docs/documents.md, docs/deployment.md).",
                id="micuenta.E011",
            )
        )
    return errors
