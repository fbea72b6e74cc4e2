"""`manage.py runportal` (what `make run` ends with): web server and worker together, Ctrl-C stops both."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings

from micuenta.demo.accounts import DEMO_ACCOUNTS

BASE_DIR = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_runportal_serves_runs_the_worker_and_stops_both_on_ctrl_c(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env.update(MICUENTA_VAR_DIR=str(tmp_path), MICUENTA_DEMO="1", MICUENTA_HTTPS="0")
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    for step in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"], ["load_demo_data"]):
        subprocess.run([*manage, *step], env=env, check=True, capture_output=True, timeout=180)

    port = free_port()
    proc = subprocess.Popen(
        [*manage, "runportal", "--port", str(port), "--web-workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives it
    )
    try:
        body = b""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/salud/", timeout=2) as response:
                    body = response.read()
                    break
            except OSError:
                time.sleep(0.3)
        assert b'"estado": "ok"' in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert "Tu ahorro para la vivienda" in response.read().decode()

        # The demo data queued e-mails (welcome, the demo trámites' notices); the worker started by runportal
        # delivers every one of them.
        check = [
            *manage,
            "shell",
            "-v0",
            "-c",
            "from micuenta.notifications.models import OutboxMessage as M;"
            "print(M.objects.filter(status='sent').count(), M.objects.count())",
        ]
        sent, queued = "0", "-1"
        while time.monotonic() < deadline and sent != queued:
            sent, queued = subprocess.run(check, env=env, capture_output=True, text=True, timeout=60).stdout.split()
            time.sleep(0.5)
        assert sent == queued and int(sent) > sum(1 for a in DEMO_ACCOUNTS if not a.is_staff), (sent, queued)
    finally:
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does in a terminal
        output, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, output
    assert f"Mi Cuenta is running at http://localhost:{port}/" in output
    assert "ana.demo@micuenta.test" in output
    time.sleep(0.5)
    assert not group_alive(proc.pid), "a child process outlived runportal"


def test_runportal_stops_its_children_on_sigterm(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env.update(MICUENTA_VAR_DIR=str(tmp_path), MICUENTA_HTTPS="0")
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, capture_output=True, timeout=180)
    port = free_port()
    proc = subprocess.Popen(
        [*manage, "runportal", "--port", str(port), "--web-workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/salud/", timeout=2).close()
            break
        except OSError:
            time.sleep(0.3)
    proc.terminate()  # SIGTERM to runportal alone
    output, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, output
    assert "Demo logins" not in output  # not in demo mode
    time.sleep(0.5)
    assert not group_alive(proc.pid), "a child process outlived runportal"
