"""Writing feed files and running the import commands as staff would."""

from __future__ import annotations

import io
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from django.db import connection

from micuenta.core.identifiers import nss_check_digit
from micuenta.feeds.models import ImportRun
from micuenta.feeds.runner import feed_lock_key

SUA_HEADER = (
    "registro_patronal,nss,anio,bimestre,dias_cotizados,sbc,aportacion,amortizacion,numero_credito,fecha_pago,folio_sua"
)
IMSS_HEADER = "nss,registro_patronal,razon_social,rfc_patron,tipo_movimiento,fecha,sbc"


def write_feed(
    path: Path, header: str, rows: Sequence[str], *, bom: bool = False, crlf: bool = False, encoding: str = "utf-8"
) -> Path:
    end = "\r\n" if crlf else "\n"
    text = end.join([header, *rows]) + end
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str
    run: ImportRun


def run_feed(command: str, path: Path, *options: str) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command(command, str(path), "--no-progress", *options, stdout=out, stderr=err)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return Outcome(code, out.getvalue(), err.getvalue(), ImportRun.objects.order_by("-id").first())  # type: ignore[arg-type]


def unknown_nss() -> str:
    """A valid NSS that no synthetic worker has (their NSS never start with 999999)."""
    return "9999990000" + nss_check_digit("9999990000")


def wait_until_feed_unlocked(kind: str, *, seconds: float = 30) -> None:
    """A killed import's server process lets go of the feed's lock a moment after the client dies (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                " AND ((classid::bigint << 32) | objid::bigint) = %s",
                [feed_lock_key(kind)],
            )
            (held,) = cursor.fetchone()
            if not held:
                return
            assert time.monotonic() < deadline, "the killed import's lock was never released"
            time.sleep(0.05)
