"""The employers' payment file of a run: generated from the population, posted by the real command, posted again,
and a sample posted by a plain row-by-row ORM loop (rolled back) for the ratio."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import QuerySet

from micuenta.core.actors import Actor
from micuenta.core.money import money
from micuenta.core.periods import bimestre_days, bimestre_end, bimestre_label, bimestre_of, bimestre_start
from micuenta.credits.allocation import PaymentIn
from micuenta.credits.models import Credit, PaymentChannel, PaymentSource, Regime
from micuenta.credits.services.payments import credit_payments_apply
from micuenta.credits.status import ACCRUING
from micuenta.employment.models import Employer, EmploymentRelation
from micuenta.feeds.fields import LineError
from micuenta.feeds.models import ImportRun
from micuenta.feeds.runner import RawLine, read_lines
from micuenta.ledger import accounts as codes
from micuenta.ledger.kinds import LedgerKind
from micuenta.ledger.models import Account, Transaction
from micuenta.ledger.services import Line, ledger_post
from micuenta.people.models import Worker
from micuenta.savings.contributions import FIVE_PERCENT, capped_sbc
from micuenta.savings.feed import COLUMNS, parse_payment
from micuenta.savings.models import Contribution, SubaccountPocket, pocket_for_contribution
from micuenta.savings.services.sua import sua_key

MANAGE = Path(__file__).resolve().parent.parent.parent / "manage.py"
DEDUCTION_SHARE = Decimal("0.20")  # the amortización of a ROA borrower's line: 20 % of the SBC for the days


@dataclass(frozen=True)
class FileMade:
    path: Path
    lines: int
    bimestres: list[str]
    with_deduction: int
    seconds: float


def _closed_bimestres(today: date, count: int) -> list[tuple[int, int]]:
    """The `count` most recent bimestres that ended before `today`, newest first."""
    year, bim = bimestre_of(today)
    found: list[tuple[int, int]] = []
    while len(found) < count:
        bim -= 1
        if bim == 0:
            year, bim = year - 1, 6
        if bimestre_end(year, bim) < today:
            found.append((year, bim))
    return found


def sua_file_make(path: Path, *, lines: int, folio_tag: str, today: date) -> FileMade:
    """Up to `lines` payment lines: for each current employment relation, one line per closed bimestre (newest
    first) under a folio of this file, so none is already registered; a ROA borrower's line carries a deduction
    for the credit."""
    started = time.monotonic()
    relations: QuerySet[EmploymentRelation] = EmploymentRelation.objects.filter(ended_on__isnull=True)
    current = list(
        relations.order_by("pk").values_list(
            "worker__nss", "worker_id", "employer__registro_patronal", "sbc", "started_on"
        )
    )
    roa = dict(Credit.objects.filter(status__in=ACCRUING, regime=Regime.ROA).values_list("worker_id", "numero_credito"))
    bimestres = _closed_bimestres(today, max(1, -(-lines // max(len(current), 1))) + 2)
    written = deductions = 0
    used: list[str] = []
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(",".join(COLUMNS) + "\n")
        for year, bim in bimestres:
            if written >= lines:
                break
            start, days = bimestre_start(year, bim), bimestre_days(year, bim)
            used.append(bimestre_label(year, bim))
            folio = f"{folio_tag}{year}{bim}"
            for nss, worker_id, nrp, sbc, started_on in current:
                if written >= lines:
                    break
                if started_on > start:
                    continue
                aportacion = money(FIVE_PERCENT * capped_sbc(sbc, start) * days)
                credito = roa.get(worker_id, "")
                deduction = money(DEDUCTION_SHARE * sbc * days) if credito else Decimal("0.00")
                deductions += bool(credito)
                out.write(
                    f"{nrp},{nss},{year},{bim},{days},{sbc},{aportacion},{deduction},{credito},"
                    f"{today.isoformat()},{folio}\n"
                )
                written += 1
    return FileMade(path, written, used, deductions, round(time.monotonic() - started, 1))


@dataclass(frozen=True)
class PostRun:
    lines: int
    posted: int
    duplicates: int
    quarantined: int
    seconds: float
    rate: float


def post_with_command(path: Path, *, database_url: str, var_dir: Path, profile: Path | None = None) -> PostRun:
    """Run `manage.py import_employer_payments` as staff would and time it (start-up included)."""
    env = {**os.environ, "DATABASE_URL": database_url, "MICUENTA_VAR_DIR": str(var_dir)}
    env.pop("MICUENTA_DEMO", None)
    command = [str(MANAGE), "import_employer_payments", str(path), "--no-progress"]
    prefix = (
        [sys.executable]
        if profile is None
        else [sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(profile)]
    )
    started = time.monotonic()
    done = subprocess.run([*prefix, *command], env=env, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise RuntimeError(f"import_employer_payments failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    run = ImportRun.objects.filter(file_name=path.name).order_by("-pk").first()
    if run is None:
        raise RuntimeError("the import left no run record")
    return PostRun(
        run.lines, run.posted, run.duplicates, run.quarantined, round(seconds, 2), round(run.lines / seconds, 1)
    )


class _RolledBack(Exception):
    pass


def post_row_by_row(path: Path, *, today: date) -> PostRun:
    """The naive path for comparison: every line on its own, with plain ORM calls — look the worker, employer,
    pocket and bank up, post its ledger transaction, apply its deduction, save its contribution. All of it is
    rolled back at the end, so the database is as before."""
    posted = duplicates = quarantined = lines = 0
    started = time.monotonic()
    try:
        with transaction.atomic():
            for raw in read_lines(path, COLUMNS):
                lines += 1
                with transaction.atomic():
                    outcome = _one_line(raw, today=today)
                posted += outcome == "posted"
                duplicates += outcome == "duplicate"
                quarantined += outcome == "quarantined"
            seconds = time.monotonic() - started
            raise _RolledBack
    except _RolledBack:
        pass
    return PostRun(lines, posted, duplicates, quarantined, round(seconds, 2), round(lines / seconds, 1))


def _one_line(raw: object, *, today: date) -> str:
    if not isinstance(raw, RawLine):
        raise TypeError(raw)
    try:
        p = parse_payment(raw, today=today)
    except LineError:
        return "quarantined"
    worker = Worker.objects.filter(nss=p.nss).first()
    employer = Employer.objects.filter(registro_patronal=p.registro_patronal).first()
    if worker is None or employer is None:
        return "quarantined"
    key = sua_key(employer_id=employer.pk, worker_id=worker.pk, year=p.year, bimestre=p.bimestre, folio=p.folio)
    if Transaction.objects.filter(idempotency_key=key).exists():
        return "duplicate"
    pocket = pocket_for_contribution(bimestre_start(p.year, p.bimestre))
    pocket_account = SubaccountPocket.objects.get(subaccount__worker=worker, pocket=pocket.value).account
    bank = Account.objects.get(code=codes.FUND_BANK.code)
    aportacion, deduction = money(p.aportacion), money(p.deduction)
    txn = ledger_post(
        key=key,
        description=f"Pago SUA del {bimestre_label(p.year, p.bimestre)}, {employer.razon_social}"[:300],
        effective=p.paid_on,
        lines=[Line(bank, aportacion), Line(pocket_account, -aportacion)],
        kind=LedgerKind.SUA,
    )
    credit = Credit.objects.filter(numero_credito=p.numero_credito).first() if p.numero_credito else None
    if credit is not None and deduction > 0:
        credit_payments_apply(
            actor=Actor.system("bench"),
            payments=[
                PaymentIn(
                    credit.pk, f"{key}:amortizacion", deduction, p.paid_on, PaymentSource.NOMINA,
                    PaymentChannel.SUA, p.folio,
                )
            ],
        )  # fmt: skip
    Contribution.objects.create(
        worker=worker,
        employer=employer,
        year=p.year,
        bimestre=p.bimestre,
        days=p.days,
        sbc=p.sbc,
        amount=aportacion,
        paid_on=p.paid_on,
        folio_sua=p.folio,
        pocket=pocket.value,
        transaction=txn,
        deduction=deduction,
        numero_credito=p.numero_credito,
    )
    return "posted"
