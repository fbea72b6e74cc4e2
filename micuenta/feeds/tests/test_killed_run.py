"""A feed import killed in the middle leaves whole chunks only, and running it again completes the file."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Sum

from micuenta.core.periods import bimestre_days, bimestre_end
from micuenta.core.tests.processes import database_url_of_current_connection
from micuenta.employment.tests.factories import EmployerFactory
from micuenta.feeds.models import ImportRun, RunStatus
from micuenta.feeds.tests.helpers import SUA_HEADER, run_feed, wait_until_feed_unlocked, write_feed
from micuenta.ledger.accounts import FUND_BANK
from micuenta.ledger.models import Account, Transaction
from micuenta.ledger.selectors import ledger_mismatches
from micuenta.people.tests.factories import WorkerFactory
from micuenta.savings.models import Contribution

CHUNK = 100


def sua_rows(workers, employer) -> list[str]:
    rows = []
    for worker in workers:
        for year in range(1998, 2026):
            for bim in range(1, 7):
                days = bimestre_days(year, bim)
                paid = bimestre_end(year, bim) + timedelta(days=12)
                amount = Decimal("0.05") * Decimal("400.00") * days
                rows.append(
                    f"{employer.registro_patronal},{worker.nss},{year},{bim},{days},400.00,{amount:.2f},0.00,,"
                    f"{paid.isoformat()},F{year}{bim}"
                )
    return rows


@pytest.mark.django_db(transaction=True)
def test_a_killed_import_leaves_nothing_half_posted_and_a_rerun_completes(tmp_path):
    employer = EmployerFactory.create()
    workers = [WorkerFactory.create() for _ in range(40)]
    rows = sua_rows(workers, employer)
    path = write_feed(tmp_path / "sua-grande.csv", SUA_HEADER, rows)
    env = {**os.environ, "DATABASE_URL": database_url_of_current_connection(), "MICUENTA_VAR_DIR": str(tmp_path)}
    command = [
        sys.executable,
        str(Path(settings.BASE_DIR) / "manage.py"),
        "import_employer_payments",
        str(path),
        "--chunk-size",
        str(CHUNK),
        "--no-progress",
    ]

    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    try:
        while not ImportRun.objects.filter(status=RunStatus.RUNNING, lines__gte=3 * CHUNK).exists():
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "the import made no progress"
            time.sleep(0.005)
        process.kill()  # SIGKILL: no cleanup of any kind runs in the child
    finally:
        process.wait(timeout=60)
    assert process.returncode == -9

    killed = ImportRun.objects.get()
    assert killed.status == RunStatus.RUNNING  # shown as interrupted once stale
    assert 3 * CHUNK <= killed.lines < len(rows)
    assert killed.lines % CHUNK == 0  # whole chunks only
    assert killed.posted == killed.lines
    assert Contribution.objects.count() == killed.posted
    assert Transaction.objects.filter(kind="sua").count() == killed.posted
    assert ledger_mismatches() == []
    bank = Account.objects.get(code=FUND_BANK.code)
    assert bank.balance == Contribution.objects.aggregate(total=Sum("amount"))["total"]

    wait_until_feed_unlocked(killed.kind)
    rerun = run_feed("import_employer_payments", path)

    assert rerun.exit_code == 0
    assert rerun.run.status == RunStatus.DONE
    assert (rerun.run.lines, rerun.run.posted, rerun.run.duplicates) == (
        len(rows),
        len(rows) - killed.posted,
        killed.posted,
    )
    assert Contribution.objects.count() == len(rows)
    assert Transaction.objects.filter(kind="sua").count() == len(rows)
    assert ledger_mismatches() == []
    bank.refresh_from_db()
    assert bank.balance == sum(
        (Decimal("20.00") * bimestre_days(y, b) for y in range(1998, 2026) for b in range(1, 7)), Decimal("0")
    ) * len(workers)
