"""Accepted files are kept under unguessable names in a storage that no URL reaches."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import FileSystemStorage
from django.test import Client

from micuenta import settings as base_settings
from micuenta.uploads.backends import PrivateFileSystemStorage
from micuenta.uploads.inspect import upload_inspect
from micuenta.uploads.storage import private_storage, upload_delete, upload_open, upload_store
from micuenta.uploads.tests import files
from micuenta.uploads.tests.files import files_in, upload

BASE_DIR = Path(django_settings.BASE_DIR)


def test_a_file_is_stored_under_prefix_year_month_and_a_random_name(private_dir):
    clean = upload_inspect(upload("acta de nacimiento de Ana.pdf", files.good_pdf()))

    first = upload_store(clean, prefix="tramites/devolucion")
    second = upload_store(clean, prefix="tramites/devolucion")

    pattern = r"tramites/devolucion/\d{4}/\d{2}/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}\.pdf"
    assert re.fullmatch(pattern, first) and re.fullmatch(pattern, second)
    assert first != second
    assert "Ana" not in first
    with upload_open(first) as stored:
        assert stored.read() == clean.content
    assert sorted(path.relative_to(private_dir).as_posix() for path in files_in(private_dir)) == sorted([first, second])


def test_stored_files_are_readable_only_by_the_portal(private_dir):
    name = upload_store(upload_inspect(upload("foto.png", files.png_with_text())), prefix="pruebas")
    path = private_dir / name
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


def test_a_stored_file_can_be_deleted_twice(private_dir):
    name = upload_store(upload_inspect(upload("acta.pdf", files.good_pdf())), prefix="pruebas")
    upload_delete(name)
    upload_delete(name)
    assert files_in(private_dir) == []


@pytest.mark.parametrize("prefix", ["", "../fuera", "/etc", "tramites/../..", "Tramites", "tramites/", "a b"])
def test_a_prefix_that_could_climb_or_surprise_is_a_programming_error(prefix):
    clean = upload_inspect(upload("acta.pdf", files.good_pdf()))
    with pytest.raises(ValueError, match="Invalid storage prefix"):
        upload_store(clean, prefix=prefix)


def test_the_private_storage_has_no_url(private_dir):
    name = upload_store(upload_inspect(upload("acta.pdf", files.good_pdf())), prefix="pruebas")
    with pytest.raises(ValueError, match="no URL"):
        private_storage().url(name)


def test_the_configured_private_storage_is_under_var_and_apart_from_the_static_files():
    configured = base_settings.STORAGES["private"]  # as configured for the portal (the tests use a folder of their own)
    assert configured["BACKEND"] == "micuenta.uploads.backends.PrivateFileSystemStorage"
    storage = PrivateFileSystemStorage(**configured["OPTIONS"])
    location = Path(storage.location)
    assert location == Path(django_settings.VAR_DIR) / "private"
    static_root = Path(django_settings.STATIC_ROOT)
    assert not location.is_relative_to(static_root) and not static_root.is_relative_to(location)
    assert not django_settings.MEDIA_ROOT  # nothing is served as media either


@pytest.fixture
def stored_in_var(settings):
    """A file in the real var/private, as the portal keeps it; its folders are removed afterwards."""
    location = Path(base_settings.STORAGES["private"]["OPTIONS"]["location"])
    existed = location.exists()
    settings.STORAGES = {**settings.STORAGES, "private": base_settings.STORAGES["private"]}
    yield upload_store(upload_inspect(upload("acta.pdf", files.good_pdf())), prefix="prueba-sin-url")
    shutil.rmtree(location / "prueba-sin-url")
    if not existed:
        location.rmdir()


@pytest.mark.django_db
def test_no_url_of_the_portal_serves_a_stored_file(stored_in_var):
    client = Client()
    paths = [
        f"/{stored_in_var}",
        f"/private/{stored_in_var}",
        f"/var/private/{stored_in_var}",
        f"/static/{stored_in_var}",
        f"/static/private/{stored_in_var}",
        f"/static/../private/{stored_in_var}",
        f"/static/%2e%2e/private/{stored_in_var}",
        f"/media/{stored_in_var}",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 404, path
        assert b"%PDF-" not in response.getvalue(), path


def test_the_default_file_storage_is_not_where_private_files_live():
    default = FileSystemStorage()
    assert Path(default.location) != Path(django_settings.VAR_DIR) / "private"


def settings_in_a_new_process(env: dict[str, str], code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MICUENTA_", "DJANGO_"))}
    full_env = {**clean, "MICUENTA_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "micuenta.settings", **env}
    script = f"import django; django.setup(); {code}"
    return subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=full_env, capture_output=True, text=True, timeout=120
    )


def test_production_can_keep_the_files_in_a_private_s3_bucket(tmp_path):
    code = (
        "from django.core.files.storage import storages; s = storages['private'];"
        "print(type(s).__module__, type(s).__name__, s.bucket_name, s.endpoint_url, s.default_acl,"
        " s.querystring_auth, s.file_overwrite, s.access_key)"
    )
    env = {
        "MICUENTA_PRIVATE_STORAGE": "s3",
        "MICUENTA_S3_BUCKET": "micuenta-documentos",
        "MICUENTA_S3_ENDPOINT_URL": "https://s3.interno.ejemplo.mx",
        "MICUENTA_S3_ACCESS_KEY_ID": "AKIAEJEMPLO",
        "MICUENTA_S3_SECRET_ACCESS_KEY": "secreto-de-ejemplo",
    }
    result = settings_in_a_new_process(env, code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "storages.backends.s3",
        "S3Storage",
        "micuenta-documentos",
        "https://s3.interno.ejemplo.mx",
        "private",
        "True",
        "False",
        "AKIAEJEMPLO",
    ]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MICUENTA_PRIVATE_STORAGE": "s3"}, "MICUENTA_PRIVATE_STORAGE=s3 needs MICUENTA_S3_BUCKET"),
        ({"MICUENTA_PRIVATE_STORAGE": "nube"}, "MICUENTA_PRIVATE_STORAGE must be local or s3"),
        ({"MICUENTA_CLAMD": "127.0.0.1:3310"}, "MICUENTA_CLAMD must be unix:///path or tcp://host:port"),
    ],
)
def test_a_wrong_storage_or_clamd_setting_stops_the_portal(tmp_path, env, message):
    result = settings_in_a_new_process(env, "pass", tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


def test_the_limits_come_from_the_environment(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.MICUENTA_UPLOAD_MAX_BYTES, s.MICUENTA_UPLOAD_MAX_FILES, s.MICUENTA_UPLOAD_MAX_PIXELS,"
        " repr(s.MICUENTA_CLAMD), s.MICUENTA_CLAMD_TIMEOUT_SECONDS)"
    )
    defaults = settings_in_a_new_process({}, code, tmp_path)
    assert defaults.stdout.split() == ["10485760", "10", "50000000", "''", "30"], defaults.stderr
    env = {
        "MICUENTA_UPLOAD_MAX_BYTES": "5242880",
        "MICUENTA_UPLOAD_MAX_FILES": "4",
        "MICUENTA_UPLOAD_MAX_PIXELS": "20000000",
        "MICUENTA_CLAMD": "unix:///run/clamav/clamd.ctl",
        "MICUENTA_CLAMD_TIMEOUT_SECONDS": "5",
    }
    changed = settings_in_a_new_process(env, code, tmp_path)
    assert changed.stdout.split() == ["5242880", "4", "20000000", "'unix:///run/clamav/clamd.ctl'", "5"]
