"""Run one pass of the test suite: `python scripts/testpass.py sqlite|postgres|browser [pytest args]`.

- sqlite:   every test but the browser ones, on the embedded SQLite, with coverage.
- postgres: the same tests on a throw-away PostgreSQL database, when a server answers
            (MICUENTA_TEST_POSTGRES_URL); with MICUENTA_REQUIRE_POSTGRES=1 a missing server fails the run.
- browser:  the browser tests (Playwright + Debian's Chromium); with MICUENTA_REQUIRE_BROWSER=1 a missing
            Chromium fails the run.

The SQLite and PostgreSQL passes run on MICUENTA_TEST_WORKERS processes (pytest-xdist; default 2, "0" for one
process); each process has its own test database.

pytest's exit code 5 (no test collected) is a failure here: a pass that ran nothing proves nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/micuenta_test"
CHROMIUM = os.environ.get("MICUENTA_CHROMIUM", "/usr/bin/chromium")


SUMMARY = ROOT / "var" / "testpasses.txt"


def say(message: str) -> None:
    print(f"\n=== {message}", flush=True)


def record(line: str) -> None:
    """Append to the summary that `make test` prints at the end."""
    SUMMARY.parent.mkdir(exist_ok=True)
    with SUMMARY.open("a") as fh:
        fh.write(line + "\n")


def postgres_url() -> str | None:
    """The throw-away database's URL when the server answers, else None."""
    base = os.environ.get("MICUENTA_TEST_POSTGRES_URL", DEFAULT_PG)
    parts = urlsplit(base)
    # One database name per run: two clones testing at once must not meet.
    name = f"{parts.path.lstrip('/') or 'micuenta_test'}_{os.getpid()}"
    url = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        import psycopg

        admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
        with psycopg.connect(admin, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        say(f"PostgreSQL not reachable at {parts.hostname}:{parts.port or 5432} ({type(exc).__name__}: {exc})")
        return None
    return url


def workers() -> list[str]:
    """pytest-xdist's option for the database passes: MICUENTA_TEST_WORKERS processes (2 unless set; 0 for one)."""
    count = os.environ.get("MICUENTA_TEST_WORKERS", "2").strip()
    return [] if count in {"", "0", "1"} else ["-n", count]


def run_pytest(args: list[str], extra_env: dict[str, str]) -> int:
    env = {**os.environ, "MICUENTA_NO_SKIPS": "1", **extra_env}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # lets pytest cache its rewritten asserts between runs
    code = subprocess.call([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env)
    if code == 5:
        print("pytest collected no test: failing this pass.", file=sys.stderr)
        return 1
    return code


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"sqlite", "postgres", "browser"}:
        print(__doc__, file=sys.stderr)
        return 2
    code = run_pass(argv[0], argv[1:])
    if code != SKIPPED:
        record(f"{argv[0]:<9} {'passed' if code == 0 else 'FAILED'}")
    return 0 if code == SKIPPED else code


SKIPPED = -1


def run_pass(kind: str, rest: list[str]) -> int:
    if kind == "sqlite":
        say("Test suite on SQLite (with coverage)")
        env = {"DATABASE_URL": ""}
        return run_pytest(["-m", "not browser", *workers(), "--cov", "--cov-report=term", *rest], env)
    if kind == "postgres":
        url = postgres_url()
        if url is None:
            if os.environ.get("MICUENTA_REQUIRE_POSTGRES") == "1":
                print("FAILED: the PostgreSQL pass is required (MICUENTA_REQUIRE_POSTGRES=1).", file=sys.stderr)
                return 1
            say("SKIPPED: the PostgreSQL pass (no server). Set MICUENTA_TEST_POSTGRES_URL to run it.")
            record("postgres  SKIPPED (no PostgreSQL server; set MICUENTA_TEST_POSTGRES_URL)")
            return SKIPPED
        say(f"Test suite on PostgreSQL (throw-away database test_{urlsplit(url).path.lstrip('/')})")
        return run_pytest(["-m", "not browser", *workers(), "--create-db", *rest], {"DATABASE_URL": url})
    if not (os.access(CHROMIUM, os.X_OK) or shutil.which(CHROMIUM)):
        if os.environ.get("MICUENTA_REQUIRE_BROWSER") == "1":
            print(f"FAILED: the browser pass is required but {CHROMIUM} is missing.", file=sys.stderr)
            return 1
        say(f"SKIPPED: the browser tests (no Chromium at {CHROMIUM}; Debian/Ubuntu: apt-get install chromium).")
        record(f"browser   SKIPPED (no Chromium at {CHROMIUM}; apt-get install chromium)")
        return SKIPPED
    say(f"Browser tests (Playwright + {CHROMIUM}, axe-core)")
    return run_pytest(["-m", "browser", *rest], {"DATABASE_URL": "", "MICUENTA_REQUIRE_BROWSER": "1"})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
