"""The benchmark's database: a base with the synthetic population, built once and reused, and a fresh copy of it
for each run (what a run writes — sign-ins, statements, a million posted lines — never reaches the base).

PostgreSQL copies with `CREATE DATABASE … TEMPLATE`; SQLite copies the file.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

MANAGE = Path(__file__).resolve().parent.parent.parent / "manage.py"


class BenchSetupError(RuntimeError):
    pass


@dataclass
class BenchDatabase:
    base_url: str
    run_url: str
    var_dir: Path

    @property
    def postgres(self) -> bool:
        return self.base_url.startswith(("postgres://", "postgresql://"))

    @classmethod
    def at(cls, url: str, var_dir: Path) -> BenchDatabase:
        if url.startswith("sqlite:///"):
            base = Path(url.removeprefix("sqlite:///")).resolve()
            run = base.with_name(f"{base.stem}-run{base.suffix}")
            return cls(f"sqlite:///{base}", f"sqlite:///{run}", var_dir)
        parts = urlsplit(url)
        name = parts.path.lstrip("/")
        return cls(url, urlunsplit(parts._replace(path=f"/{name}_run")), var_dir)

    # --- PostgreSQL administration -------------------------------------------------------------------------

    def _admin(self) -> psycopg.Connection[Any]:
        parts = urlsplit(self.base_url)
        try:
            return psycopg.connect(
                urlunsplit(parts._replace(scheme="postgresql", path="/postgres")), autocommit=True, connect_timeout=5
            )
        except psycopg.OperationalError as exc:
            raise BenchSetupError(
                f"PostgreSQL does not answer at {parts.hostname}:{parts.port or 5432} ({exc}). Start it, or point "
                "MICUENTA_BENCH_DATABASE_URL at a server."
            ) from exc

    @staticmethod
    def _name(url: str) -> str:
        return urlsplit(url).path.lstrip("/")

    def _sqlite_path(self, url: str) -> Path:
        return Path(url.removeprefix("sqlite:///"))

    # --- building and reusing the base ---------------------------------------------------------------------

    def manage(self, *args: str, url: str | None = None) -> None:
        env = {**os.environ, "DATABASE_URL": url or self.base_url, "MICUENTA_VAR_DIR": str(self.var_dir)}
        env.pop("MICUENTA_DEMO", None)
        subprocess.run([sys.executable, str(MANAGE), *args], env=env, check=True)

    def manage_parallel(self, *args: str, copies: int, url: str | None = None) -> list[int]:
        """`copies` processes of the same command at once (task workers); their exit codes."""
        env = {**os.environ, "DATABASE_URL": url or self.base_url, "MICUENTA_VAR_DIR": str(self.var_dir)}
        env.pop("MICUENTA_DEMO", None)
        running = [subprocess.Popen([sys.executable, str(MANAGE), *args], env=env) for _ in range(copies)]
        return [process.wait() for process in running]

    def ensure_base(self, *, workers: int, seed: int, say: Callable[[str], None]) -> dict[str, object]:
        """Create, migrate and seed the base if needed; returns what was done and how long it took."""
        started = time.monotonic()
        if self.postgres:
            with self._admin() as admin:
                name = self._name(self.base_url)
                exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
                if not exists:
                    admin.execute(f'CREATE DATABASE "{name}"')
        else:
            self._sqlite_path(self.base_url).parent.mkdir(parents=True, exist_ok=True)
        self.manage("migrate", "--noinput", "-v0")
        have = self._population(seed)
        if have >= workers:
            return {"built": False, "workers": have, "seconds": round(time.monotonic() - started, 1)}
        if have:
            raise BenchSetupError(
                f"The benchmark database has {have:,} people of seed {seed}, fewer than the {workers:,} asked for; "
                "drop it (or name another with MICUENTA_BENCH_DATABASE_URL) and run again."
            )
        say(f"Seeding {workers:,} people (seed {seed}) into the benchmark database; this is done once.")
        self.manage("seed_population", "--workers", str(workers), "--seed", str(seed))
        return {
            "built": True,
            "workers": self._population(seed),
            "seconds": round(time.monotonic() - started, 1),
        }

    def _population(self, seed: int) -> int:
        """People in the base when population `seed` is there, else 0."""
        marker = f"seed:{seed}:%"
        query_seeded = "SELECT 1 FROM ledger_transaction WHERE idempotency_key LIKE %s LIMIT 1"
        query_count = "SELECT count(*) FROM people_worker"
        if self.postgres:
            with psycopg.connect(self.base_url.replace("postgres://", "postgresql://", 1)) as conn:
                if conn.execute(query_seeded, [marker]).fetchone() is None:
                    return 0
                row = conn.execute(query_count).fetchone()
                return int(row[0]) if row else 0
        with sqlite3.connect(self._sqlite_path(self.base_url)) as conn:
            if conn.execute(query_seeded.replace("%s", "?"), [marker]).fetchone() is None:
                return 0
            return int(conn.execute(query_count).fetchone()[0])

    # --- the run's copy ------------------------------------------------------------------------------------

    def copy_for_run(self) -> float:
        """A fresh copy of the base for this run; returns the seconds it took."""
        started = time.monotonic()
        if self.postgres:
            with self._admin() as admin:
                run_name, base_name = self._name(self.run_url), self._name(self.base_url)
                admin.execute(f'DROP DATABASE IF EXISTS "{run_name}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{run_name}" TEMPLATE "{base_name}"')
        else:
            base = self._sqlite_path(self.base_url)
            with sqlite3.connect(base) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._drop(self.run_url)
            shutil.copyfile(base, self._sqlite_path(self.run_url))
        return round(time.monotonic() - started, 1)

    def drop_run(self) -> None:
        self._drop(self.run_url)

    def drop_base(self) -> None:
        self._drop(self.base_url)

    def _drop(self, url: str) -> None:
        if self.postgres:
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self._name(url)}" WITH (FORCE)')
            return
        path = self._sqlite_path(url)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    def server_version(self) -> str:
        if self.postgres:
            with self._admin() as conn:  # the server's own database: the smoke run's may be dropped by now
                row = conn.execute("SHOW server_version").fetchone()
                return f"PostgreSQL {row[0] if row else '?'}"
        return f"SQLite {sqlite3.sqlite_version}"
