"""The parts of `make bench` that decide what a run reports: percentiles, targets, the report, the accounts, the
payment file and the row-by-row baseline. (The whole run is `make bench-smoke`, part of `make test`.)"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import check_password

from micuenta.bench.accounts import BENCH_PASSWORD, bench_people
from micuenta.bench.database import BenchDatabase
from micuenta.bench.feed import post_row_by_row, sua_file_make
from micuenta.bench.load import percentile
from micuenta.bench.report import markdown, targets, write
from micuenta.credits.tests.factories import CreditFactory, originate
from micuenta.employment.tests.factories import EmploymentRelationFactory
from micuenta.identity.models import User
from micuenta.ledger.models import Transaction
from micuenta.savings.models import Contribution
from micuenta.savings.tests.factories import ContributionFactory, open_subaccount


def test_percentile_is_the_nearest_rank():
    values = [float(x) for x in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 99)) == (50.0, 95.0, 99.0)
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 50) == 0.0


def page(name: str, rps: float, p95: float, errors: int = 0) -> dict[str, object]:
    return {"name": name, "path": f"/{name}/", "driver": "wrk", "rps": rps, "p50_ms": 1, "p95_ms": p95,
            "p99_ms": p95, "errors": errors, "requests": 100}  # fmt: skip


def run(rate: float, seconds: float, lines: int = 1000, posted: int | None = None) -> dict[str, object]:
    return {"lines": lines, "posted": lines if posted is None else posted, "duplicates": 0, "quarantined": 0,
            "seconds": seconds, "rate": rate}  # fmt: skip


RESULTS = {
    "date": "2026-11-26",
    "mode": "full",
    "database": "PostgreSQL 15",
    "population": {"workers": 200_000},
    "machine": {"host": "h", "cpu": "c", "cores": 2, "memory_gib": 24, "python": "3.11", "commit": "abc"},
    "pages": [page("salud", 1000, 5), page("cuanto-ahorro", 600, 10), page("movimientos", 400, 20, errors=3)],
    "feed": {"first": run(50_000, 20), "again": run(100_000, 5, posted=0), "row_by_row": run(1000, 20)},
    "login": {"logins": 10, "errors": 0, "seconds": 1, "rate": 9.0, "p50_ms": 100, "p95_ms": 120},
    "hasher": {"algorithm": "argon2", "processes": 2, "rate": 10.0},
    "pdf": {"statements": 3, "errors": 0, "served_median_ms": 120, "served_p95_ms": 130, "bare_median_ms": 100,
            "bare_p95_ms": 110, "ratio": 1.2},
    "accrual": {"month": "2026-11", "seconds": 3.0},
    "constancias": {
        "figures": {"year": 2025, "credits": 60_000, "tasks": 60, "workers": 2, "queue_seconds": 2.5, "seconds": 40.0,
                    "rate": 1500.0, "failed_tasks": 0, "worker_exit_codes": [0, 0], "without_figures": 12},
        "pdf": {"documents": 20, "issue_median_ms": 150.0, "issue_p95_ms": 170.0, "render_sign_median_ms": 120.0,
                "bare_median_ms": 75.0, "ratio": 1.6, "issue_ratio": 2.0, "bytes_median": 40_000},
    },
}  # fmt: skip


def test_each_target_is_judged_against_the_same_runs_baseline():
    found = {t.name: t for t in targets(RESULTS)}

    assert found["cuanto-ahorro: req/s ÷ /salud/"].measured == 0.6
    assert found["cuanto-ahorro: req/s ÷ /salud/"].holds
    assert found["cuanto-ahorro: p95 ÷ /salud/ p95"].measured == 2.0
    assert found["cuanto-ahorro: p95 ÷ /salud/ p95"].holds
    assert not found["movimientos: req/s ÷ /salud/"].holds  # 0.4 < 0.5
    assert not found["movimientos: p95 ÷ /salud/ p95"].holds  # 4 > 2.5
    assert not found["movimientos: errors"].holds
    assert found["feed: lines/s"].holds
    assert found["feed: ÷ row-by-row rate"].measured == 50
    assert found["feed again: time ÷ first"].measured == 0.25
    assert found["feed again: time ÷ first"].holds
    assert found["login: logins/s ÷ hasher checks/s"].measured == 0.9
    assert found["statement PDF: time ÷ bare render"].holds
    assert found["constancia PDF: render + sign ÷ bare render"].measured == 1.6
    assert not found["constancia PDF: render + sign ÷ bare render"].holds  # 1.6 > 1.5


def test_the_markdown_report_has_every_figure_and_verdict():
    results = {**RESULTS, "targets": [t.as_dict() for t in targets(RESULTS)]}

    text = markdown(results)

    assert "| salud `/salud/` | wrk | 1,000.0 |" in text
    assert "| first | 1,000 | 1,000 | 0 | 0 | 20 | 50,000 |" in text
    assert "**9.0/s**" in text and "**10.0/s**" in text
    assert "| movimientos: req/s ÷ /salud/ | 0.4 × | ≥ 0.5 | **no** |" in text
    assert "Monthly accrual of 2026-11" in text
    assert "figures of **60,000 credits in 40.0 s = 1,500 credits/s**" in text and "12 credits without figures" in text
    assert "render + sign **120.0 ms**, WeasyPrint alone on the same HTML **75.0 ms**" in text


def test_a_second_run_of_the_same_day_is_kept_beside_the_first(tmp_path):
    results = {**RESULTS, "date": "2026-11-26", "targets": [t.as_dict() for t in targets(RESULTS)]}

    first = write(results, tmp_path)
    second = write(results, tmp_path)

    assert [p.name for p in first] == ["2026-11-26-h.json", first[0].stem + ".md"]
    assert [p.name for p in second] == [first[0].stem + "-2.json", first[0].stem + "-2.md"]
    assert first[0].read_text() == second[0].read_text()


def test_the_run_works_on_a_copy_beside_the_base():
    pg = BenchDatabase.at("postgres://postgres@127.0.0.1:5432/micuenta_bench", var_dir=None)  # type: ignore[arg-type]
    assert pg.postgres and pg.run_url == "postgres://postgres@127.0.0.1:5432/micuenta_bench_run"
    lite = BenchDatabase.at("sqlite:////tmp/x/bench.sqlite3", var_dir=None)  # type: ignore[arg-type]
    assert not lite.postgres and lite.run_url == "sqlite:////tmp/x/bench-run.sqlite3"


def test_the_server_version_is_read_after_the_smoke_runs_databases_are_dropped(tmp_path):
    """The report names the server once the run's databases are gone (the smoke run drops both)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        s = connection.settings_dict
        auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
        url = f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/micuenta_bench_never_made"
        assert BenchDatabase.at(url, tmp_path).server_version().startswith("PostgreSQL ")
    else:
        gone = BenchDatabase.at(f"sqlite:///{tmp_path / 'gone.sqlite3'}", tmp_path)
        assert gone.server_version().startswith("SQLite ")


@pytest.mark.django_db
def test_bench_people_are_half_borrowers_and_all_sign_in_with_the_bench_password():
    savers = [EmploymentRelationFactory.create().worker for _ in range(3)]
    for worker in savers:
        ContributionFactory.create(worker=worker)
    borrowers = [originate(CreditFactory.create()).worker for _ in range(3)]

    people = bench_people(4)

    assert len(people) == 4
    assert {p.worker_id for p in people if p.credit_id} <= {w.pk for w in borrowers}
    assert sum(p.credit_id is not None for p in people) == 2
    users = User.objects.filter(email__in=[p.username for p in people])
    assert users.count() == 4
    assert all(check_password(BENCH_PASSWORD, u.password) for u in users)


@pytest.mark.django_db
def test_the_payment_file_and_the_row_by_row_baseline_leave_the_database_as_it_was(tmp_path):
    relations = [EmploymentRelationFactory.create(started_on=date(2020, 1, 6)) for _ in range(3)]
    for relation in relations:
        open_subaccount(relation.worker)
    credit = originate(CreditFactory.create(worker=relations[0].worker, origination_date=date(2024, 3, 14)))
    today = date(2026, 11, 26)

    made = sua_file_make(tmp_path / "sua.csv", lines=5, folio_tag="T", today=today)

    assert made.lines == 5  # 3 relations for the 5th bimestre of 2026, then 2 of the 4th
    assert made.bimestres == ["5º bimestre de 2026", "4º bimestre de 2026"]
    lines = (tmp_path / "sua.csv").read_text().splitlines()
    assert lines[1].split(",")[2:4] == ["2026", "5"]
    assert sum(credit.numero_credito in line for line in lines) == made.with_deduction == 2
    contributions, transactions = Contribution.objects.count(), Transaction.objects.count()

    naive = post_row_by_row(tmp_path / "sua.csv", today=today)

    assert (naive.lines, naive.posted, naive.quarantined) == (5, 5, 0)
    assert naive.rate > 0
    assert (Contribution.objects.count(), Transaction.objects.count()) == (contributions, transactions)
    assert Decimal(lines[1].split(",")[6]) > 0
