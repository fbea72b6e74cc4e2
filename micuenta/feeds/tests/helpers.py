"""Writing feed files and running the import commands as staff would."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command

from micuenta.core.identifiers import nss_check_digit
from micuenta.feeds.models import ImportRun

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


def run_feed(command: str, path: Path) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command(command, str(path), "--no-progress", stdout=out, stderr=err)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return Outcome(code, out.getvalue(), err.getvalue(), ImportRun.objects.order_by("-id").first())  # type: ignore[arg-type]


def unknown_nss() -> str:
    """A valid NSS that no synthetic worker has (their NSS never start with 999999)."""
    return "9999990000" + nss_check_digit("9999990000")
