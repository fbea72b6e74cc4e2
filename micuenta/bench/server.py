"""The portal served as in production for the run: gunicorn, 2 workers, DEBUG off, behind a TLS proxy."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WEB_WORKERS = 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def served(*, database_url: str, var_dir: Path, log: Path) -> Iterator[int]:
    """Start gunicorn on a free loopback port; yields the port once /salud/ answers, stops it afterwards."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MICUENTA_VAR_DIR": str(var_dir),
        "DEBUG": "0",
        "MICUENTA_HTTPS": "1",
        "BEHIND_TLS_PROXY": "1",
    }
    env.pop("MICUENTA_DEMO", None)
    command = [
        sys.executable, "-m", "gunicorn", "micuenta.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(WEB_WORKERS), "--timeout", "120", "--graceful-timeout", "5", "--no-control-socket",
    ]  # fmt: skip
    with log.open("ab") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_serving(port, process)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_serving(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(f"http://127.0.0.1:{port}/salud/", headers={"X-Forwarded-Proto": "https"})
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped on its own (exit {process.returncode}); see its log")
        try:
            with urllib.request.urlopen(request, timeout=2):  # noqa: S310 (our own loopback URL)
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /salud/ within a minute")
