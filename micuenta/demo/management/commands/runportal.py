"""Start the web server and the background worker together; Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from micuenta.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from micuenta.mfa.origin import LOOPBACK

MANAGE_PY = Path(settings.BASE_DIR) / "manage.py"


class _Stop(Exception):
    """Ctrl-C or SIGTERM: stop the children too.

    Installed explicitly for SIGINT as well, because a process started in the background by a
    non-interactive shell inherits SIGINT as ignored.
    """


def _raise_stop(signum: int, frame: object) -> None:
    raise _Stop


class Command(BaseCommand):
    help = "Serve the portal (gunicorn) and run the task worker (db_worker) until interrupted."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--web-workers", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        web = [
            sys.executable, "-m", "gunicorn", "micuenta.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(options["web_workers"]),
            "--access-logfile", "-", "--logger-class", "micuenta.core.accesslog.RedactingLogger",
            "--graceful-timeout", "5", "--no-control-socket",
        ]  # fmt: skip
        worker = [sys.executable, str(MANAGE_PY), "db_worker", "--interval", "1"]
        # The address announced is the one passkeys accept: a loopback IP becomes localhost (an IP address cannot
        # be a passkey's relying party), and the portal's own base URL follows it unless set.
        shown = f"http://{'localhost' if host in LOOPBACK else host}:{port}"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.setdefault("MICUENTA_BASE_URL", shown)
        procs: list[subprocess.Popen[bytes]] = []
        exit_code = 0
        signal.signal(signal.SIGTERM, _raise_stop)
        signal.signal(signal.SIGINT, _raise_stop)
        try:
            # Appended one by one: a signal between the two starts still finds the first in the list.
            procs.append(subprocess.Popen(web, env=env))
            procs.append(subprocess.Popen(worker, env=env))
            if self._wait_until_serving(f"http://{host}:{port}/", procs):
                self._banner(f"{shown}/")
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
            exit_code = 1
            self.stderr.write("A process stopped on its own (is the port already in use?); stopping the other one.")
        except _Stop:
            self.stdout.write("\nStopping the web server and the worker…")
        finally:
            # A second Ctrl-C must not interrupt the clean-up and leave a child behind.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 10
            for p in procs:
                try:
                    p.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        if exit_code:
            raise SystemExit(exit_code)
        self.stdout.write("Stopped.")

    @staticmethod
    def _wait_until_serving(url: str, procs: list[subprocess.Popen[bytes]], timeout: float = 60) -> bool:
        """True once the portal answers /salud/; False if a process died or time ran out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and all(p.poll() is None for p in procs):
            try:
                with urllib.request.urlopen(f"{url}salud/", timeout=2):  # noqa: S310 (our own loopback URL)
                    return True
            except OSError:
                time.sleep(0.2)
        return False

    def _banner(self, url: str) -> None:
        lines = [
            "",
            "=" * 72,
            f"  Mi Cuenta is running at {url}",
            "  Press Ctrl-C to stop the portal and its worker.",
            "",
        ]
        if settings.MICUENTA_DEMO:
            lines.append(f"  Demo logins (password for all: {DEMO_PASSWORD}):")
            lines += [f"    {a.email:<40} {a.role}" for a in DEMO_ACCOUNTS]
            lines += [
                "",
                "  Workers may also sign in with their NSS, listed with CURP and RFC (all synthetic) at",
                f"  {url}dev/personas/ to try Quiero una cuenta and the recovery pages.",
                f"  Messages the portal sends: {url}dev/buzon/",
                f"  CESI back office: {url}cesi/   Administration: {url}admin/",
                "  Staff accounts need a second factor: the first sign-in asks to add an authenticator app",
                '  (the key under the QR code; `oathtool --totp -b "KEY"` prints its codes) or a passkey.',
            ]
        lines += ["=" * 72, ""]
        self.stdout.write("\n".join(lines))
