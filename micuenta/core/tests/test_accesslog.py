"""The access log never holds the token of a password-reset link."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from gunicorn.config import Config

from micuenta.core.accesslog import RedactingLogger, redact

TOKEN_PATH = "/olvide-mi-contrasena/Mw/cz7k2p-0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d/"


def test_the_reset_links_id_and_token_are_replaced_and_other_paths_kept():
    assert redact(f"GET {TOKEN_PATH} HTTP/1.1") == "GET /olvide-mi-contrasena/…/…/ HTTP/1.1"
    for kept in (
        "/olvide-mi-contrasena/",
        "/olvide-mi-contrasena/enviado/",
        "/olvide-mi-contrasena/Mw/set-password/",
        "/mi-ahorro/movimientos/2026/",
    ):
        assert redact(kept) == kept


def test_gunicorns_atoms_hold_no_token_anywhere():
    logger = RedactingLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": TOKEN_PATH,
        "PATH_INFO": TOKEN_PATH,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"http://localhost:8000{TOKEN_PATH}",
    }
    response = SimpleNamespace(status="302 Found", sent=0, headers=[])
    request = SimpleNamespace(headers=[("REFERER", f"http://localhost:8000{TOKEN_PATH}")])
    atoms = logger.atoms(response, request, environ, datetime.timedelta(milliseconds=5))
    line = logger.cfg.access_log_format % atoms
    assert "cz7k2p" not in line and "Mw" not in " ".join(str(v) for v in atoms.values())
    assert "/olvide-mi-contrasena/…/…/" in line
