"""`python -m micuenta.bench [--smoke] [--check]`: see docs/performance.md.

The full run (`make bench`) needs PostgreSQL; it builds the base database once (200,000 people, about 15 minutes)
and reuses it afterwards. `--smoke` is the one-minute version that `make test` runs, on a small population in a
database of its own (PostgreSQL when a server answers, else SQLite), dropped at the end; `--check` makes the
command fail when a measurement went wrong (errors, lines not posted, a replay that posted something).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/micuenta_bench"


@dataclass(frozen=True)
class Plan:
    workers: int
    seed: int
    people: int
    page_seconds: float
    connections: int
    feed_lines: int
    sample_lines: int
    pdfs: int
    hasher_seconds: float


FULL = Plan(
    workers=200_000, seed=2026, people=200, page_seconds=20, connections=8, feed_lines=1_000_000,
    sample_lines=20_000, pdfs=20, hasher_seconds=10,
)  # fmt: skip
SMOKE = Plan(
    workers=300, seed=7, people=16, page_seconds=2, connections=4, feed_lines=2_000, sample_lines=200, pdfs=2,
    hasher_seconds=1,
)  # fmt: skip
PAGES = (
    ("salud", "/salud/", False),
    ("cuanto-ahorro", "/mi-ahorro/", False),
    ("movimientos", "/mi-ahorro/movimientos/", False),
    ("saldos-credito", "/mi-credito/", True),
)


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


def _postgres_answers(url: str) -> bool:
    import psycopg

    parts = urlsplit(url)
    try:
        with psycopg.connect(
            urlunsplit(parts._replace(scheme="postgresql", path="/postgres")), connect_timeout=3
        ) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def _database_url(args: argparse.Namespace, var_dir: Path) -> str:
    url = os.environ.get("MICUENTA_BENCH_DATABASE_URL", "").strip()
    if not args.smoke:
        return url or DEFAULT_URL
    # The smoke run goes where the test suite's PostgreSQL pass goes (CI's own role), in a database of its own.
    url = url or os.environ.get("MICUENTA_TEST_POSTGRES_URL", "").strip() or DEFAULT_URL
    if url.startswith("sqlite:"):
        return url
    parts = urlsplit(url)
    if _postgres_answers(url):
        return urlunsplit(parts._replace(path=f"/micuenta_bench_smoke_{os.getpid()}"))
    if os.environ.get("MICUENTA_REQUIRE_POSTGRES") == "1":
        raise SystemExit("bench smoke: PostgreSQL is required (MICUENTA_REQUIRE_POSTGRES=1) and does not answer")
    say(f"PostgreSQL does not answer at {parts.hostname}:{parts.port or 5432}: the smoke run uses SQLite")
    return f"sqlite:///{var_dir / 'bench-smoke.sqlite3'}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m micuenta.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="the one-minute version (make test)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a measurement went wrong")
    parser.add_argument("--out", type=Path, help="where the results go (default bench/results, or var/bench)")
    parser.add_argument("--keep-run-database", action="store_true", help="leave the run's copy for inspection")
    parser.add_argument("--profile-feed", action="store_true", help="run the first posting under pyinstrument")
    args = parser.parse_args(argv)
    plan = SMOKE if args.smoke else FULL
    work = ROOT / "var" / ("bench-smoke" if args.smoke else "bench")
    work.mkdir(parents=True, exist_ok=True)
    var_dir = work / "var"
    var_dir.mkdir(exist_ok=True)
    out = args.out or (work / "results" if args.smoke else ROOT / "bench" / "results")

    from micuenta.bench.database import BenchDatabase, BenchSetupError

    db = BenchDatabase.at(_database_url(args, work), var_dir)
    started = time.monotonic()
    try:
        population = db.ensure_base(workers=plan.workers, seed=plan.seed, say=say)
    except BenchSetupError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    say(f"Population ready: {population['workers']:,} people ({'built' if population['built'] else 'reused'}).")
    copy_seconds = db.copy_for_run()
    say(f"Fresh copy of the database for this run in {copy_seconds} s.")
    os.environ["DATABASE_URL"] = db.run_url
    os.environ["MICUENTA_VAR_DIR"] = str(var_dir)
    os.environ.pop("MICUENTA_DEMO", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "micuenta.settings")
    import django

    django.setup()
    try:
        results = _run(plan, db, work, var_dir, args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_run_database:
            db.drop_run()
        if args.smoke:
            db.drop_base()
    results.update(
        mode="smoke" if args.smoke else "full",
        population=population,
        copy_seconds=copy_seconds,
        database=db.server_version(),
        total_seconds=round(time.monotonic() - started, 1),
    )
    from micuenta.bench import report

    found = report.targets(results)
    results["targets"] = [t.as_dict() for t in found]
    json_path, md_path = report.write(results, out)
    print(report.markdown(results))
    say(f"Results: {json_path} and {md_path} ({results['total_seconds']} s in all).")
    if args.check:
        problems = _problems(results, plan)
        for problem in problems:
            print(f"bench check: {problem}", file=sys.stderr)
        return 1 if problems else 0
    return 0


def _run(plan: Plan, db: Any, work: Path, var_dir: Path, args: argparse.Namespace) -> dict[str, Any]:
    from django.utils import timezone

    from micuenta.bench import feed, load, measure, server
    from micuenta.bench.accounts import BENCH_PASSWORD, bench_people
    from micuenta.bench.report import machine
    from micuenta.credits.models import Credit
    from micuenta.credits.schedule import add_months

    today = timezone.localdate()
    results: dict[str, Any] = {"date": today.isoformat(), "machine": machine(), "plan": asdict(plan)}
    if not load.wrk_available():
        say(
            "wrk is not installed (apt-get install wrk): the pages are driven by Python threads instead, which take "
            "CPU from the server, so the page figures are lower than the reference ones."
        )
    people = bench_people(plan.people)
    say(f"{len(people)} accounts made ({sum(p.credit_id is not None for p in people)} borrowers).")
    hasher = measure.hasher_rate(password=BENCH_PASSWORD, processes=server.WEB_WORKERS, seconds=plan.hasher_seconds)
    results["hasher"] = asdict(hasher)
    say(f"Raw hasher ({hasher.algorithm}, {hasher.processes} processes): {hasher.rate}/s.")
    db.manage("collectstatic", "--noinput", "-v0")  # the pages name their static files from the manifest
    with server.served(database_url=db.run_url, var_dir=var_dir, log=work / "gunicorn.log") as port:
        login = load.sign_in_all(
            port=port, usernames=[p.username for p in people], password=BENCH_PASSWORD, connections=4
        )
        results["login"] = {k: v for k, v in asdict(login).items() if k != "cookies"}
        say(f"Sign-in: {login.logins} in {login.seconds} s = {login.rate}/s ({login.errors} errors).")
        everyone = [login.cookies[p.username] for p in people if p.username in login.cookies]
        borrowers = [
            (login.cookies[p.username], p.credit_id) for p in people if p.credit_id and p.username in login.cookies
        ]
        pages = []
        for name, path, borrowers_only in PAGES:
            cookies = [c for c, _ in borrowers] if borrowers_only else ([] if name == "salud" else everyone)
            # A short warm-up (connections, caches of each worker), then the measured run.
            load.drive(
                name=name,
                port=port,
                path=path,
                cookies=cookies,
                seconds=min(3, plan.page_seconds),
                connections=plan.connections,
                work_dir=work,
            )
            result = load.drive(
                name=name, port=port, path=path, cookies=cookies, seconds=plan.page_seconds,
                connections=plan.connections, work_dir=work,
            )  # fmt: skip
            pages.append(result.as_dict())
            say(f"{name}: {result.rps} req/s, p95 {result.p95_ms} ms, {result.errors} errors ({result.driver}).")
        results["pages"] = pages
        # Credits granted at least two months ago have last month's statement.
        granted_before = add_months(today.replace(day=1), -2)
        stated = set(
            Credit.objects.filter(pk__in=[c for _, c in borrowers], origination_date__lt=granted_before).values_list(
                "pk", flat=True
            )
        )
        pdf = measure.statement_pdfs(
            port=port, borrowers=[(c, k) for c, k in borrowers if k in stated][: plan.pdfs], today=today
        )
        results["pdf"] = asdict(pdf)
        say(f"Statement PDF: served {pdf.served_median_ms} ms, bare {pdf.bare_median_ms} ms (median).")
    made = feed.sua_file_make(
        work / "sua-bench.csv", lines=plan.feed_lines, folio_tag=f"BENCH{os.getpid()}", today=today
    )
    sample = feed.sua_file_make(
        work / "sua-muestra.csv", lines=plan.sample_lines, folio_tag=f"MUESTRA{os.getpid()}", today=today
    )
    say(f"Payment file: {made.lines:,} lines ({made.with_deduction:,} with a deduction) in {made.seconds} s.")
    # As in production, the month's mensualidades are issued on its first day, before the month's payments arrive.
    accrual = _timed(lambda: db.manage("accrue_credits", "--month", f"{today:%Y-%m}", url=db.run_url))
    results["accrual"] = {"month": f"{today:%Y-%m}", "seconds": accrual}
    say(f"Monthly accrual of {today:%Y-%m} in {accrual} s.")
    profile = work / "feed-profile.txt" if args.profile_feed else None
    first = feed.post_with_command(made.path, database_url=db.run_url, var_dir=var_dir, profile=profile)
    say(f"Posted: {first.posted:,} of {first.lines:,} lines in {first.seconds} s = {first.rate:,.0f} lines/s.")
    again = feed.post_with_command(made.path, database_url=db.run_url, var_dir=var_dir)
    say(f"Again: {again.duplicates:,} already registered, {again.posted} posted, in {again.seconds} s.")
    naive = feed.post_row_by_row(sample.path, today=today)
    say(f"Row by row: {naive.posted:,} of {naive.lines:,} lines in {naive.seconds} s = {naive.rate:,.0f} lines/s.")
    results["feed"] = {
        "file": {"lines": made.lines, "with_deduction": made.with_deduction, "bimestres": made.bimestres},
        "first": asdict(first),
        "again": asdict(again),
        "row_by_row": asdict(naive),
    }
    results["constancias"] = _constancias(plan, db, today.year - 1)
    return results


def _constancias(plan: Plan, db: Any, year: int) -> dict[str, Any]:
    """The Constancia de Intereses of `year`: every credit's figures by `generate_constancias` and the task workers,
    then a few PDFs issued (render and signature) against WeasyPrint alone."""
    from django.conf import settings
    from django_tasks_db.models import DBTaskResult

    from micuenta.bench import measure, server
    from micuenta.credits.models import InterestYear
    from micuenta.credits.services.constancias import constancia_credit_ids

    worker = ("db_worker", "--batch", "--no-startup-delay")
    # What the feed queued (the gaps to recompute, the avisos of the borrowers it touched: tens of thousands of
    # signed PDFs) is not what this step measures, and the run's copy is dropped at the end: it is left out.
    queued = DBTaskResult.objects.filter(status="READY")
    left_out = dict(Counter(queued.values_list("task_path", flat=True)))
    queued.delete()
    path = "micuenta.credits.tasks.generate_interest_years"
    started = time.monotonic()
    db.manage("generate_constancias", "--year", str(year), url=db.run_url)
    queued_seconds = round(time.monotonic() - started, 1)
    tasks = DBTaskResult.objects.filter(task_path=path).count()
    codes = db.manage_parallel(*worker, copies=server.WEB_WORKERS, url=db.run_url)
    seconds = time.monotonic() - started
    kept = InterestYear.objects.filter(year=year).count()
    figures = {
        "year": year,
        "credits": kept,
        "tasks": tasks,
        "workers": server.WEB_WORKERS,
        "queue_seconds": queued_seconds,
        "seconds": round(seconds, 1),
        "rate": round(kept / seconds, 1) if seconds else 0,
        "failed_tasks": DBTaskResult.objects.filter(task_path=path).failed().count(),
        "worker_exit_codes": codes,
        "without_figures": len(constancia_credit_ids(year)),  # still missing after the run: each one says why
        "feed_tasks_left_out": left_out,
    }
    say(
        f"Constancia {year} figures: {kept:,} credits in {figures['seconds']} s = {figures['rate']:,.0f} credits/s "
        f"({tasks} tasks, {server.WEB_WORKERS} workers, {figures['failed_tasks']} failed)."
    )
    settings.MICUENTA_DEMO_SIGNER_ALLOWED = True  # the bench signs with the demo pair it makes in its own var/
    sample = list(
        InterestYear.objects.filter(year=year).order_by("pk").values_list("credit_id", flat=True)[: plan.pdfs + 1]
    )
    pdf = measure.constancia_pdfs(credit_ids=sample, year=year)
    say(
        f"Constancia PDF: issued {pdf.issue_median_ms} ms, render + sign {pdf.render_sign_median_ms} ms, "
        f"WeasyPrint alone {pdf.bare_median_ms} ms (median; render + sign = {pdf.ratio}× bare)."
    )
    return {"figures": figures, "pdf": asdict(pdf)}


def _timed(work: Callable[[], object]) -> float:
    started = time.monotonic()
    work()
    return round(time.monotonic() - started, 1)


def _problems(results: dict[str, Any], plan: Plan) -> list[str]:
    found = []
    for page in results.get("pages", []):
        if page["errors"] or not page["requests"]:
            found.append(f"{page['name']}: {page['errors']} errors in {page['requests']} requests")
    login = results["login"]
    if login["errors"] or login["logins"] != plan.people:
        found.append(f"sign-in: {login['logins']} of {plan.people} people signed in, {login['errors']} errors")
    pdf = results["pdf"]
    if pdf["errors"] or not pdf["statements"]:
        found.append(f"statement PDF: {pdf['statements']} served, {pdf['errors']} errors")
    feed = results["feed"]
    first, again, naive = feed["first"], feed["again"], feed["row_by_row"]
    if first["posted"] != feed["file"]["lines"] or first["quarantined"]:
        found.append(
            f"feed: {first['posted']} of {feed['file']['lines']} lines posted, {first['quarantined']} quarantined"
        )
    if again["posted"] or again["duplicates"] != first["lines"]:
        found.append(f"feed again: {again['posted']} posted, {again['duplicates']} already registered")
    if naive["posted"] != naive["lines"]:
        found.append(f"row by row: {naive['posted']} of {naive['lines']} lines posted")
    constancias = results["constancias"]
    figures, pdf = constancias["figures"], constancias["pdf"]
    if not figures["credits"] or figures["failed_tasks"] or any(figures["worker_exit_codes"]):
        found.append(
            f"constancias: {figures['credits']} credits kept, {figures['failed_tasks']} tasks failed, "
            f"workers exited {figures['worker_exit_codes']}"
        )
    if pdf["documents"] < plan.pdfs:
        found.append(f"constancia PDF: {pdf['documents']} of {plan.pdfs} issued")
    return found


if __name__ == "__main__":
    sys.exit(main())
