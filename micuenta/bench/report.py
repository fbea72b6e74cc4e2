"""The results of a run: the targets of docs/performance.md checked against the same run's baselines, written as
JSON and as a Markdown table."""

from __future__ import annotations

import json
import os
import platform
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class Target:
    name: str
    measured: float
    goal: float
    higher_is_better: bool
    unit: str

    @property
    def holds(self) -> bool:
        return self.measured >= self.goal if self.higher_is_better else self.measured <= self.goal

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "measured": self.measured,
            "goal": ("≥ " if self.higher_is_better else "≤ ") + f"{self.goal:g}",
            "unit": self.unit,
            "holds": self.holds,
        }


def machine() -> dict[str, object]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "host": socket.gethostname(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory,
        "python": platform.python_version(),
        "system": platform.platform(),
        "commit": commit,
    }


def targets(results: dict[str, Any]) -> list[Target]:
    found: list[Target] = []
    pages = {p["name"]: p for p in results.get("pages", [])}
    base = pages.get("salud")
    if base:
        for name, page in pages.items():
            if name == "salud":
                continue
            found.append(Target(f"{name}: req/s ÷ /salud/", round(page["rps"] / base["rps"], 3), 0.5, True, "×"))
            found.append(
                Target(f"{name}: p95 ÷ /salud/ p95", round(page["p95_ms"] / base["p95_ms"], 2), 2.5, False, "×")
            )
        for name, page in pages.items():
            found.append(Target(f"{name}: errors", page["errors"], 0, False, "requests"))
    feed = results.get("feed")
    if feed:
        first, again, naive = feed["first"], feed["again"], feed["row_by_row"]
        found.append(Target("feed: lines/s", first["rate"], 40_000, True, "lines/s"))
        found.append(Target("feed: ÷ row-by-row rate", round(first["rate"] / naive["rate"], 1), 20, True, "×"))
        found.append(Target("feed again: time ÷ first", round(again["seconds"] / first["seconds"], 3), 0.3, False, "×"))
    login, hasher = results.get("login"), results.get("hasher")
    if login and hasher:
        found.append(
            Target("login: logins/s ÷ hasher checks/s", round(login["rate"] / hasher["rate"], 3), 0.85, True, "×")
        )
    pdf = results.get("pdf")
    if pdf and pdf["bare_median_ms"]:
        found.append(Target("statement PDF: time ÷ bare render", pdf["ratio"], 1.5, False, "×"))
    constancias = results.get("constancias")
    if constancias and constancias["pdf"]["bare_median_ms"]:
        found.append(
            Target("constancia PDF: render + sign ÷ bare render", constancias["pdf"]["ratio"], 1.5, False, "×")
        )
    return found


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    out = [
        f"# Bench {results['date']} on {m['host']} ({results['mode']})",
        "",
        f"{m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; Python {m['python']}; {results['database']}; "
        f"commit {m['commit']}. Population: {results['population']['workers']:,} people.",
        "",
        "| page | driver | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for p in results.get("pages", []):
        out.append(
            f"| {p['name']} `{p['path']}` | {p['driver']} | {p['rps']:,.1f} | {p['p50_ms']} | {p['p95_ms']} | "
            f"{p['p99_ms']} | {p['errors']} |"
        )
    feed = results.get("feed")
    if feed:
        out += [
            "",
            "| feed run | lines | posted | already registered | quarantined | seconds | lines/s |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for label, key in (("first", "first"), ("same file again", "again"), ("row-by-row ORM sample", "row_by_row")):
            r = feed[key]
            out.append(
                f"| {label} | {r['lines']:,} | {r['posted']:,} | {r['duplicates']:,} | {r['quarantined']:,} | "
                f"{r['seconds']} | {r['rate']:,.0f} |"
            )
    login, hasher, pdf = results.get("login"), results.get("hasher"), results.get("pdf")
    if login and hasher:
        out += [
            "",
            f"Login: {login['logins']} sign-ins in {login['seconds']} s = **{login['rate']}/s** "
            f"(p50 {login['p50_ms']} ms, p95 {login['p95_ms']} ms, {login['errors']} errors); "
            f"raw {hasher['algorithm']} checks in {hasher['processes']} processes: **{hasher['rate']}/s**.",
        ]
    if pdf:
        out += [
            "",
            f"Statement PDF ({pdf['statements']} statements, {pdf['errors']} errors): served median "
            f"**{pdf['served_median_ms']} ms** (p95 {pdf['served_p95_ms']}), bare WeasyPrint render of the same HTML "
            f"**{pdf['bare_median_ms']} ms** (p95 {pdf['bare_p95_ms']}).",
        ]
    if results.get("accrual"):
        accrual = results["accrual"]
        out += ["", f"Monthly accrual of {accrual['month']} (all credits): {accrual['seconds']} s."]
    constancias = results.get("constancias")
    if constancias:
        f, c = constancias["figures"], constancias["pdf"]
        out += [
            "",
            f"Constancia de Intereses {f['year']}: figures of **{f['credits']:,} credits in {f['seconds']} s = "
            f"{f['rate']:,.0f} credits/s** (`generate_constancias` queued {f['tasks']} tasks in "
            f"{f['queue_seconds']} s; {f['workers']} task workers; {f['failed_tasks']} failed; "
            f"{f['without_figures']:,} credits without figures). PDF ({c['documents']} issued): whole issue median "
            f"**{c['issue_median_ms']} ms** (p95 {c['issue_p95_ms']}), "
            f"render + sign **{c['render_sign_median_ms']} ms**, WeasyPrint alone on the same HTML "
            f"**{c['bare_median_ms']} ms**; {c['bytes_median']:,} bytes.",
        ]
    out += ["", "| target | measured | goal | holds |", "|---|---:|---:|---|"]
    for t in results.get("targets", []):
        out.append(f"| {t['name']} | {t['measured']} {t['unit']} | {t['goal']} | {'yes' if t['holds'] else '**no**'} |")
    return "\n".join(out) + "\n"


def write(results: dict[str, Any], directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{results['date']}-{results['machine']['host']}"
    json_path, md_path = directory / f"{stem}.json", directory / f"{stem}.md"
    run = 1
    while json_path.exists() or md_path.exists():  # a later run of the same day is kept beside the earlier ones
        run += 1
        json_path, md_path = directory / f"{stem}-{run}.json", directory / f"{stem}-{run}.md"
    json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    md_path.write_text(markdown(results))
    return json_path, md_path
