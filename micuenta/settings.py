"""Settings for micuenta, read from the environment with safe defaults.

With no environment at all the result is a production-safe configuration on SQLite: DEBUG off, HTTPS
enforced, secure cookies, demo mode off. `make run` turns on demo mode and plain HTTP on 127.0.0.1.
Every variable is listed in docs/configuration.md.
"""

from __future__ import annotations

import os
import re
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MICUENTA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean switch: 1/true/yes/on and 0/false/no/off, case-insensitive."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated list, ignoring blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def _secret_key() -> str:
    """SECRET_KEY from the environment, else a random key kept in var/secret_key (git-ignored)."""
    from_env = os.environ.get("SECRET_KEY", "").strip()
    if from_env:
        return from_env
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    # Exclusive create: two processes starting together must agree on one key.
    try:
        with key_file.open("x") as fh:
            fh.write(key)
        key_file.chmod(0o600)
    except FileExistsError:
        key = key_file.read_text().strip()
    return key


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# Demo mode: synthetic demo data may be loaded and the "Buzón de desarrollo" shows outgoing messages.
MICUENTA_DEMO = env_bool("MICUENTA_DEMO", False)
# Plain HTTP is only for a portal bound to the local machine (make run, tests).
MICUENTA_HTTPS = env_bool("MICUENTA_HTTPS", True)
# Who runs the portal and how people reach it outside the web (Infonatel, CESI: docs/sources.md#service-channels).
MICUENTA_INSTITUTION = {
    "name": os.environ.get(
        "MICUENTA_INSTITUTION_NAME", "Instituto del Fondo Nacional de la Vivienda para los Trabajadores"
    ),
    "short_name": os.environ.get("MICUENTA_INSTITUTION_SHORT_NAME", "Infonavit"),
    "phone_line_name": os.environ.get("MICUENTA_PHONE_LINE_NAME", "Infonatel"),
    "phone_local": os.environ.get("MICUENTA_PHONE_LOCAL", "55 9171 5050"),
    "phone_national": os.environ.get("MICUENTA_PHONE_NATIONAL", "800 008 3900"),
}

INSTALLED_APPS = [
    "micuenta.core",  # first: its admin/base_site.html overrides the admin's own
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "micuenta.documents",
    "micuenta.ledger",
    "micuenta.people",
    "micuenta.employment",
    "micuenta.savings",
    "micuenta.credits",
    "micuenta.feeds",
    "micuenta.identity",
    "micuenta.notifications",
    "micuenta.mfa",
    "micuenta.tramites",
    "micuenta.backoffice",
    "micuenta.demo",
]

MIDDLEWARE = [
    "micuenta.core.middleware.HeadAsGetMiddleware",  # first: HEAD answers as GET does, without the body
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "micuenta.core.middleware.NullCharacterAddressMiddleware",  # before anything looks the address up
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "micuenta.identity.middleware.SessionSecurityMiddleware",
    "micuenta.mfa.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "micuenta.core.middleware.MethodNotAllowedPageMiddleware",
    "micuenta.identity.throttling.AddressThrottleMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in into the lockout page
]

ROOT_URLCONF = "micuenta.urls"
WSGI_APPLICATION = "micuenta.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "micuenta.core.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
# SQLite (WAL) in var/ by default so that a new user needs no server; DATABASE_URL=postgres://... for
# production. The SQLite test database is a file so that a real worker process can share it.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{VAR_DIR / 'micuenta.sqlite3'}"
_db: dict[str, Any] = dict(dj_database_url.parse(DATABASE_URL))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["ENGINE"] = "micuenta.core.db.sqlite3"  # Django's, with a flush aware of append-only triggers
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
        ),
    }
    _db["TEST"] = {"NAME": str(VAR_DIR / "test_micuenta.sqlite3")}
else:
    if _db["ENGINE"] == "django.db.backends.postgresql":
        _db["ENGINE"] = "micuenta.core.db.postgresql"  # Django's, with a flush that keeps reference data
    _db["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
    _db["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Identity -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "identity.User"
LOGIN_URL = "identity:login"
LOGIN_URL_PATH = "/iniciar-sesion/"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out sign-in before any password check
    "micuenta.identity.backends.EmailOrNssBackend",
]
# NIST SP 800-63B: length and a blocklist, no composition rules (docs/security.md).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "micuenta.identity.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "micuenta.identity.passwords.PersonalDataValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
# Single-use link of "Olvidé mi contraseña": 30 minutes.
PASSWORD_RESET_TIMEOUT = 30 * 60
# Sessions: idle 15 minutes (warned 2 minutes before), absolute 12 hours. The server enforces both.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Cache and sessions shared by every node: Redis when MICUENTA_REDIS_URL is set (docs/deployment.md). Sessions are
# then read from Redis and written through to the database ("cached_db"), so "Sesiones activas" and the session
# epoch work as with the database alone. Without it: each process's memory, and sessions in the database.
MICUENTA_REDIS_URL = os.environ.get("MICUENTA_REDIS_URL", "")
CACHES: dict[str, dict[str, Any]] = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if MICUENTA_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": MICUENTA_REDIS_URL,
            "KEY_PREFIX": "micuenta",
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The public verification's rate limit (django-ratelimit) counts in a cache every process shares: Redis when set,
# otherwise files under var/ (the portal's web workers on one machine share them; each process's memory would let
# every worker count on its own).
CACHES["ratelimit"] = (
    {**CACHES["default"], "KEY_PREFIX": "micuenta-limite"}
    if MICUENTA_REDIS_URL
    else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "limites")}
)
RATELIMIT_USE_CACHE = "ratelimit"
MICUENTA_SESSION_IDLE_SECONDS = env_int("MICUENTA_SESSION_IDLE_SECONDS", 15 * 60)
MICUENTA_SESSION_WARNING_SECONDS = env_int("MICUENTA_SESSION_WARNING_SECONDS", 2 * 60)
MICUENTA_SESSION_ABSOLUTE_SECONDS = env_int("MICUENTA_SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_AGE = MICUENTA_SESSION_ABSOLUTE_SECONDS
# Throttling of sign-in (docs/security.md): django-axes locks an account for one client address; past a few failures
# on an account each try needs a proof of work; a ceiling over all addresses spares the owner's known devices; the
# client address is locked from the same records at a higher limit (many people share one address: carriers' NAT).
AXES_FAILURE_LIMIT = env_int("MICUENTA_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("MICUENTA_LOGIN_LOCK_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
MICUENTA_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("MICUENTA_LOGIN_ADDRESS_FAILURE_LIMIT", 100)
MICUENTA_LOGIN_CHALLENGE_AFTER = env_int("MICUENTA_LOGIN_CHALLENGE_AFTER", 3)
MICUENTA_LOGIN_ACCOUNT_FAILURE_CEILING = env_int("MICUENTA_LOGIN_ACCOUNT_FAILURE_CEILING", 50)
MICUENTA_DEVICE_COOKIE_NAME = "micuenta_dispositivo"
MICUENTA_DEVICE_COOKIE_DAYS = env_int("MICUENTA_DEVICE_COOKIE_DAYS", 180)
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "micuenta.identity.throttling.throttle_key"
AXES_LOCKOUT_CALLABLE = "micuenta.identity.throttling.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # the portal keeps its own security history, without identifiers
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "password", "csrfmiddlewaretoken"]  # masked in its records
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "micuenta.core.clients.request_address"
# Codes sent by e-mail and SMS.
MICUENTA_CODE_TTL_SECONDS = 10 * 60
MICUENTA_CODE_MAX_FAILURES = 5
MICUENTA_CODE_RESEND_AFTER_SECONDS = 60
MICUENTA_CODE_MAX_SENDS_PER_DAY = env_int("MICUENTA_CODE_MAX_SENDS_PER_DAY", 5)
MICUENTA_REGISTRATION_TTL_SECONDS = 24 * 60 * 60
# The security challenge (ALTCHA proof of work, solved by the browser; nothing leaves this origin).
MICUENTA_CHALLENGE_MAX_NUMBER = env_int("MICUENTA_CHALLENGE_MAX_NUMBER", 50_000)
MICUENTA_CHALLENGE_TTL_SECONDS = 20 * 60
# Answers that must not reveal whether an account exists take at least this long.
MICUENTA_UNIFORM_RESPONSE_SECONDS = env_int("MICUENTA_UNIFORM_RESPONSE_MS", 250) / 1000
# Where links in e-mails point to.
# Savings (docs/configuration.md): bimestres checked for missing employer contributions start here (earlier years
# came as migrated balances); a shortfall under the tolerance (SUA rounding) is not flagged; yields are credited
# once a year ("anual", on 31 December) or each month ("mensual", on its last day), docs/sources.md#yields.
MICUENTA_CONTRIBUTION_CHECKS_FROM = os.environ.get("MICUENTA_CONTRIBUTION_CHECKS_FROM", "2021-01-01")
MICUENTA_CONTRIBUTION_TOLERANCE = os.environ.get("MICUENTA_CONTRIBUTION_TOLERANCE", "1.00")
MICUENTA_YIELD_CREDITING = os.environ.get("MICUENTA_YIELD_CREDITING", "anual")
# Saldo para liquidar: the month's interest charged on the 1st counts whole ("mes_completo") or to the day ("al_dia").
MICUENTA_PAYOFF_INTEREST = os.environ.get("MICUENTA_PAYOFF_INTEREST", "mes_completo")
# Bank payments file: a payment above this multiple of the saldo para liquidar is quarantined (docs/credits.md).
MICUENTA_BANK_PAYMENT_MAX_PAYOFF_MULTIPLE = env_int("MICUENTA_BANK_PAYMENT_MAX_PAYOFF_MULTIPLE", 2)
# Credit charges (seguro de daños, cuota de administración) are an effective-dated rule kept in the administration
# (credits.ChargeRate, docs/credits.md), not settings: a change takes effect from its date.

MICUENTA_BASE_URL = os.environ.get("MICUENTA_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
from micuenta.mfa.origin import webauthn_site  # noqa: E402 - pure function, next to the settings it makes

# Second factor: django-otp (TOTP, recovery codes) and django-otp-webauthn (passkeys).
OTP_TOTP_ISSUER = "Mi Cuenta"
OTP_WEBAUTHN_RP_NAME = "Mi Cuenta"
# Passkeys follow the address the portal is served on (a loopback IP becomes localhost: docs/second-factor.md).
_webauthn_rp_id, _webauthn_origin = webauthn_site(MICUENTA_BASE_URL)
OTP_WEBAUTHN_RP_ID = os.environ.get("OTP_WEBAUTHN_RP_ID", _webauthn_rp_id)
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("OTP_WEBAUTHN_ALLOWED_ORIGINS", _webauthn_origin)
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False  # a passkey is a second factor after the password
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # staff never see an authenticator key or a recovery code

# --- Language, time -------------------------------------------------------------------------------
LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", "Español (México)")]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise expects it even before collectstatic
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Official documents (docs/documents.md) -------------------------------------------------------
# The institution's key and certificate (PEM files) that sign every official document. Without them, demo mode
# (and the tests) sign with a demo pair made on first use, marked as not valid; anywhere else issuing refuses and
# `check --deploy` says so (micuenta.E011).
MICUENTA_SIGNING_KEY = os.environ.get("MICUENTA_SIGNING_KEY", "").strip()
MICUENTA_SIGNING_CERT = os.environ.get("MICUENTA_SIGNING_CERT", "").strip()
MICUENTA_SIGNING_KEY_PASSWORD = os.environ.get("MICUENTA_SIGNING_KEY_PASSWORD", "")
MICUENTA_DEMO_SIGNER_DIR = VAR_DIR / "firma-demo"
MICUENTA_DEMO_SIGNER_ALLOWED = False
# Who signs the avisos de descuentos (name and post), as printed on them.
MICUENTA_AVISO_SIGNATORY = {
    "name": os.environ.get("MICUENTA_AVISO_SIGNATORY_NAME", "Gerencia de Facturación Fiscal"),
    "post": os.environ.get("MICUENTA_AVISO_SIGNATORY_POST", "Gerente de Facturación Fiscal"),
}

# --- Files people attach (docs/uploads.md) ---------------------------------------------------------
# "private": never served by a URL (no MEDIA_URL, not under STATIC_ROOT); the portal streams a file only to whoever
# may see it, as a download. On the local disk under var/private, or in a private S3 bucket.
MICUENTA_PRIVATE_STORAGE = os.environ.get("MICUENTA_PRIVATE_STORAGE", "").strip().lower() or "local"
if MICUENTA_PRIVATE_STORAGE == "local":
    STORAGES["private"] = {
        "BACKEND": "micuenta.uploads.backends.PrivateFileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "private"},
    }
elif MICUENTA_PRIVATE_STORAGE == "s3":
    if not os.environ.get("MICUENTA_S3_BUCKET", "").strip():
        raise ValueError("MICUENTA_PRIVATE_STORAGE=s3 needs MICUENTA_S3_BUCKET (docs/uploads.md)")
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["MICUENTA_S3_BUCKET"].strip(),
            # Empty: AWS itself; else an S3-compatible service (MinIO, Ceph...).
            "endpoint_url": os.environ.get("MICUENTA_S3_ENDPOINT_URL", "").strip() or None,
            "region_name": os.environ.get("MICUENTA_S3_REGION", "").strip() or None,
            # Empty keys: boto3's own chain (the node's role, AWS_* variables).
            "access_key": os.environ.get("MICUENTA_S3_ACCESS_KEY_ID", "").strip() or None,
            "secret_key": os.environ.get("MICUENTA_S3_SECRET_ACCESS_KEY", "").strip() or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    raise ValueError(f"MICUENTA_PRIVATE_STORAGE must be local or s3, not {MICUENTA_PRIVATE_STORAGE!r}")
MICUENTA_UPLOAD_MAX_BYTES = env_int("MICUENTA_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
MICUENTA_UPLOAD_MAX_FILES = env_int("MICUENTA_UPLOAD_MAX_FILES", 10)
MICUENTA_UPLOAD_MAX_PIXELS = env_int("MICUENTA_UPLOAD_MAX_PIXELS", 50_000_000)
# ClamAV's daemon: "unix:///run/clamav/clamd.ctl" or "tcp://127.0.0.1:3310"; empty, files are not scanned.
MICUENTA_CLAMD = os.environ.get("MICUENTA_CLAMD", "").strip()
if MICUENTA_CLAMD and not re.fullmatch(r"unix:///\S+|tcp://[^\s:/]+:\d{1,5}", MICUENTA_CLAMD):
    raise ValueError(f"MICUENTA_CLAMD must be unix:///path or tcp://host:port, not {MICUENTA_CLAMD!r}")
MICUENTA_CLAMD_TIMEOUT_SECONDS = env_int("MICUENTA_CLAMD_TIMEOUT_SECONDS", 30)

# --- Background work (django-tasks, database backend) ---------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Notifications --------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Mi Cuenta <no-responder@micuenta.localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# In demo mode nothing leaves the machine: messages are read in the Buzón de desarrollo.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.dummy.EmailBackend" if MICUENTA_DEMO else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
SMS_BACKEND = os.environ.get("SMS_BACKEND", "micuenta.notifications.sms.OutboxSmsBackend")
SMS_SENDER_ID = os.environ.get("SMS_SENDER_ID", "MICUENTA")
# SMS provider (SMS_BACKEND=micuenta.notifications.sms.TwilioSmsBackend): docs/configuration.md, "SMS backends".
SMS_TWILIO_ACCOUNT_SID = os.environ.get("SMS_TWILIO_ACCOUNT_SID", "")
SMS_TWILIO_AUTH_TOKEN = os.environ.get("SMS_TWILIO_AUTH_TOKEN", "")
SMS_TWILIO_BASE_URL = os.environ.get("SMS_TWILIO_BASE_URL", "https://api.twilio.com")
SMS_TIMEOUT_SECONDS = env_int("SMS_TIMEOUT_SECONDS", 10)
SMS_RETRIES = env_int("SMS_RETRIES", 3)
SMS_RETRY_BACKOFF_SECONDS = float(os.environ.get("SMS_RETRY_BACKOFF_SECONDS", "") or 1.0)
# Message bodies hold confirmation codes and links: kept after delivery only in demo mode.
NOTIFICATIONS_KEEP_BODY = env_bool("NOTIFICATIONS_KEEP_BODY", MICUENTA_DEMO)

# --- Security -------------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = MICUENTA_HTTPS
SECURE_REDIRECT_EXEMPT = [r"^salud/$"]  # load balancers probe over plain HTTP
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if MICUENTA_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = MICUENTA_HTTPS
SECURE_HSTS_PRELOAD = MICUENTA_HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = MICUENTA_HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = MICUENTA_HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "micuenta.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
# No CDN, web font or outside script: everything comes from this origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}

# --- Logging: no personal data in clear (see micuenta.core.privacy) --------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"forbidden_without_traceback": {"()": "micuenta.core.logfilters.ForbiddenWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["forbidden_without_traceback"]},  # a 403 is one line, not a traceback
        # WeasyPrint reports each step of every PDF, and fontTools each font it subsets, at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},  # it announces its logger bridge at INFO on import
        # pyHanko logs every signature it cannot validate (a PDF someone uploads to /verificar/) with its traceback,
        # at WARNING: the verification page tells the person; the log keeps only errors.
        "pyhanko": {"level": "ERROR"},
        "pyhanko_certvalidator": {"level": "ERROR"},
    },
}
