"""Settings come from the environment; production settings pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from micuenta.documents.signing import demo_signer_ensure

BASE_DIR = Path(settings.BASE_DIR)


def run_with_env(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MICUENTA_", "DJANGO_"))}
    for name in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_BACKEND", "SMS_BACKEND"):
        clean.pop(name, None)
    full_env = {**clean, "MICUENTA_VAR_DIR": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=full_env, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "micuenta.ejemplo.mx",
    "EMAIL_HOST": "smtp.ejemplo.mx",
}
# What check --deploy also needs (docs/deployment.md); not used to serve requests, so no database is reached.
PRODUCTION_DEPLOY = {
    **PRODUCTION,
    "DATABASE_URL": "postgres://micuenta@127.0.0.1:5432/micuenta",
    "SMS_BACKEND": "micuenta.notifications.sms.TwilioSmsBackend",
    "SMS_TWILIO_ACCOUNT_SID": "AC0123456789abcdef0123456789abcdef",
    "SMS_TWILIO_AUTH_TOKEN": secrets.token_hex(16),
    "SMS_SENDER_ID": "+525500000000",
    "MICUENTA_BASE_URL": "https://micuenta.ejemplo.mx",
    "MICUENTA_REDIS_URL": "redis://127.0.0.1:6379/0",
    "MICUENTA_CLAMD": "tcp://127.0.0.1:3310",
    # A key and certificate on disk (the check reads that they exist; the tests' demo pair serves)
    "MICUENTA_SIGNING_KEY": str(Path(settings.MICUENTA_DEMO_SIGNER_DIR) / "demo-key.pem"),
    "MICUENTA_SIGNING_CERT": str(Path(settings.MICUENTA_DEMO_SIGNER_DIR) / "demo-cert.pem"),
}
demo_signer_ensure(Path(settings.MICUENTA_DEMO_SIGNER_DIR))


def test_check_deploy_with_production_settings_prints_no_warning(tmp_path):
    result = run_with_env(["manage.py", "check", "--deploy", "--fail-level", "DEBUG"], PRODUCTION_DEPLOY, tmp_path)
    assert result.returncode == 0, result.stderr
    # Nothing silenced: axes locks per account and client address, so it has nothing to warn about.
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr.strip() == ""
    # The documentation promises exactly what the command prints.
    for page in ("configuration.md", "deployment.md"):
        documented = (BASE_DIR / "docs" / page).read_text()
        assert f'prints "{result.stdout.strip()}"' in documented, page
        assert "1 silenced" not in documented, page


@pytest.mark.parametrize(
    ("change", "check_id"),
    [
        ({"SMS_BACKEND": ""}, "micuenta.E003"),  # the default: the outbox backend, which sends nothing
        ({"SMS_TWILIO_AUTH_TOKEN": ""}, "micuenta.E004"),
        ({"SMS_SENDER_ID": "MICUENTA"}, "micuenta.E004"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "micuenta.E005"),
        ({"DATABASE_URL": ""}, "micuenta.E006"),  # the default: SQLite
        ({"SECRET_KEY": ""}, "micuenta.E007"),
        ({"MICUENTA_BASE_URL": "http://micuenta.ejemplo.mx"}, "micuenta.E008"),
        ({"MICUENTA_REDIS_URL": ""}, "micuenta.E009"),
        ({"MICUENTA_CLAMD": ""}, "micuenta.E010"),
        ({"MICUENTA_SIGNING_KEY": ""}, "micuenta.E011"),
        ({"MICUENTA_SIGNING_CERT": "/no/existe.pem"}, "micuenta.E011"),
    ],
)
def test_check_deploy_fails_on_each_production_need_missing(tmp_path, change, check_id):
    env = {**PRODUCTION_DEPLOY, **change}
    result = run_with_env(["manage.py", "check", "--deploy"], {k: v for k, v in env.items() if v}, tmp_path)
    assert result.returncode != 0
    assert check_id in result.stderr
    others = {f"micuenta.E{n:03}" for n in range(3, 12)} - {check_id}
    assert not [other for other in others if other in result.stderr]


def test_check_deploy_refuses_demo_mode(tmp_path):
    result = run_with_env(["manage.py", "check", "--deploy"], {**PRODUCTION_DEPLOY, "MICUENTA_DEMO": "1"}, tmp_path)
    assert result.returncode != 0
    assert "micuenta.E001" in result.stderr


def test_buzon_is_404_with_production_settings(tmp_path):
    script = (
        "import django; django.setup();"
        "from django.conf import settings; from django.test import Client;"
        "assert not settings.DEBUG and not settings.MICUENTA_DEMO and settings.SECURE_SSL_REDIRECT;"
        "r = Client().get('/dev/buzon/', secure=True, HTTP_HOST='micuenta.ejemplo.mx');"
        "print(r.status_code, 'No encontramos esta página' in r.content.decode())"
    )
    env = {**PRODUCTION, "DJANGO_SETTINGS_MODULE": "micuenta.settings"}
    run_with_env(["manage.py", "collectstatic", "--noinput", "-v0"], env, tmp_path)
    result = run_with_env(["-c", script], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["404", "True"]


def test_without_a_secret_key_one_is_generated_once_and_kept_private(tmp_path):
    script = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    env = {"DJANGO_SETTINGS_MODULE": "micuenta.settings"}
    first = run_with_env(["-c", script], env, tmp_path)
    second = run_with_env(["-c", script], env, tmp_path)
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "secret_key"
    assert first.stdout.strip() == second.stdout.strip() == key_file.read_text().strip()
    assert len(first.stdout.strip()) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_defaults_are_production_safe(tmp_path):
    # These are the values settings.py computes with no environment; tests only override them per test.
    script = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.DEBUG, s.MICUENTA_DEMO, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS, s.ALLOWED_HOSTS, s.EMAIL_BACKEND, s.NOTIFICATIONS_KEEP_BODY,"
        " s.DATABASES['default']['ENGINE'])"
    )
    result = run_with_env(["-c", script], {"DJANGO_SETTINGS_MODULE": "micuenta.settings"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "False False True True True 31536000 ['127.0.0.1', 'localhost'] "
        "django.core.mail.backends.smtp.EmailBackend False micuenta.core.db.sqlite3"
    )


def test_database_url_switches_to_postgresql(tmp_path):
    script = (
        "import django; django.setup(); from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'], d['HOST'], d['PORT'], d['USER'])"
    )
    env = {"DJANGO_SETTINGS_MODULE": "micuenta.settings", "DATABASE_URL": "postgres://portal:pw@db.local:5433/micuenta"}
    result = run_with_env(["-c", script], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["micuenta.core.db.postgresql", "micuenta", "db.local", "5433", "portal"]


def test_bad_boolean_in_the_environment_is_refused(tmp_path):
    result = run_with_env(["-c", "import micuenta.settings"], {"DEBUG": "quizá"}, tmp_path)
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.django_db
def test_the_database_runs_with_the_configured_options():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
        else:
            assert connection.vendor == "postgresql"
            cursor.execute("SHOW server_encoding")
            assert cursor.fetchone()[0] == "UTF8"
            assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_sqlite_database_lives_in_var_which_git_ignores():
    assert (BASE_DIR / ".gitignore").read_text().splitlines().count("/var/") == 1


def test_a_setting_that_became_a_rule_in_the_administration_stops_the_portal_when_still_set(monkeypatch):
    from micuenta.core.checks import settings_that_became_rules

    assert settings_that_became_rules() == []
    monkeypatch.setenv("MICUENTA_CREDIT_DAMAGE_INSURANCE_RATE", "0.003")
    [error] = settings_that_became_rules()
    assert error.id == "micuenta.E002" and "MICUENTA_CREDIT_DAMAGE_INSURANCE_RATE" in error.msg


def test_redis_url_puts_the_cache_in_redis_and_sessions_through_it(tmp_path):
    """With MICUENTA_REDIS_URL the cache is Redis and sessions are cached_db (read from Redis, kept in the database)."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.CACHES['default'].get('LOCATION', '-'), s.SESSION_ENGINE)"
    )
    env = {
        **PRODUCTION,
        "DJANGO_SETTINGS_MODULE": "micuenta.settings",
        "MICUENTA_REDIS_URL": "redis://127.0.0.1:6379/3",
    }
    with_redis = run_with_env(["-c", code], env, tmp_path)
    assert with_redis.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/3",
        "django.contrib.sessions.backends.cached_db",
    ], with_redis.stderr
    without = run_with_env(["-c", code], PRODUCTION | {"DJANGO_SETTINGS_MODULE": "micuenta.settings"}, tmp_path)
    assert without.stdout.split() == [
        "django.core.cache.backends.locmem.LocMemCache",
        "-",
        "django.contrib.sessions.backends.db",
    ], without.stderr
