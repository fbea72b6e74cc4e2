"""Driving the served portal from another process: wrk with a Lua script when it is installed, else threads of
`http.client`; sign-ins and PDFs always through `http.client` (each needs its own form or cookie)."""

from __future__ import annotations

import http.client
import json
import math
import secrets
import shutil
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

LUA = Path(__file__).with_name("pages.lua")
PROTO = "https"  # the portal runs behind a TLS proxy (BEHIND_TLS_PROXY=1), as in production
SESSION_COOKIE = "sessionid"
CSRF_COOKIE = "csrftoken"


@dataclass(frozen=True)
class LoadResult:
    name: str
    path: str
    driver: str
    seconds: float
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile of `values` (share in 0..100)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(share / 100 * len(ordered))))
    return ordered[rank - 1]


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def drive(
    *, name: str, port: int, path: str, cookies: Sequence[str], seconds: float, connections: int, work_dir: Path
) -> LoadResult:
    """GET `path` for `seconds` with `connections` open at once, each request with the next person's cookie."""
    if wrk_available():
        return _drive_wrk(
            name=name,
            port=port,
            path=path,
            cookies=cookies,
            seconds=seconds,
            connections=connections,
            work_dir=work_dir,
        )
    return _drive_threads(name=name, port=port, path=path, cookies=cookies, seconds=seconds, connections=connections)


def _drive_wrk(
    *, name: str, port: int, path: str, cookies: Sequence[str], seconds: float, connections: int, work_dir: Path
) -> LoadResult:
    cookie_file = work_dir / f"cookies-{name}.txt"
    cookie_file.write_text("".join(f"{c}\n" for c in cookies))
    threads = min(2, connections)
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "30s",
        "-s", str(LUA), f"http://127.0.0.1:{port}", "--", str(cookie_file), path, PROTO, SESSION_COOKIE,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=seconds + 120)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    duration = data["duration_us"] / 1e6
    return LoadResult(
        name=name,
        path=path,
        driver=f"wrk -t{threads} -c{connections}",
        seconds=round(duration, 2),
        requests=data["requests"],
        errors=data["bad_status"] + data["socket_errors"],
        rps=round(data["requests"] / duration, 1),
        p50_ms=round(data["p50_us"] / 1000, 2),
        p95_ms=round(data["p95_us"] / 1000, 2),
        p99_ms=round(data["p99_us"] / 1000, 2),
    )


class _Client:
    """One keep-alive connection that reconnects when the server closes it (gunicorn's sync workers do)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, headers: dict[str, str], body: str | None = None
    ) -> tuple[int, dict[str, str], list[str], bytes]:
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers={"X-Forwarded-Proto": PROTO, **headers})
                response = self.conn.getresponse()
                data = response.read()
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                continue
            set_cookies = response.msg.get_all("Set-Cookie") or []
            if response.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return response.status, {k.lower(): v for k, v in response.getheaders()}, set_cookies, data
        raise AssertionError("unreachable")


def _drive_threads(
    *, name: str, port: int, path: str, cookies: Sequence[str], seconds: float, connections: int
) -> LoadResult:
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    stop_at = time.monotonic() + seconds

    def run(index: int) -> None:
        client = _Client(port)
        turn = index * 7919
        while time.monotonic() < stop_at:
            headers = {}
            if cookies:
                turn += 1
                headers["Cookie"] = f"{SESSION_COOKIE}={cookies[turn % len(cookies)]}"
            started = time.perf_counter()
            try:
                status, _, _, _ = client.request("GET", path, headers)
            except OSError:
                status = 0
            latencies[index].append(time.perf_counter() - started)
            if status != 200:
                errors[index] += 1

    began = time.monotonic()
    workers = [threading.Thread(target=run, args=(i,)) for i in range(connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - began
    every = [x for xs in latencies for x in xs]
    return LoadResult(
        name=name,
        path=path,
        driver=f"python threads x{connections}",
        seconds=round(elapsed, 2),
        requests=len(every),
        errors=sum(errors),
        rps=round(len(every) / elapsed, 1),
        p50_ms=round(percentile(every, 50) * 1000, 2),
        p95_ms=round(percentile(every, 95) * 1000, 2),
        p99_ms=round(percentile(every, 99) * 1000, 2),
    )


@dataclass(frozen=True)
class LoginRun:
    logins: int
    errors: int
    seconds: float
    rate: float
    p50_ms: float
    p95_ms: float
    cookies: dict[str, str]  # username → session id


def sign_in_all(*, port: int, usernames: Sequence[str], password: str, connections: int) -> LoginRun:
    """Sign each person in once through the real sign-in page (POST with its CSRF token), `connections` at a
    time; returns the rate and each person's session cookie."""
    queue = list(reversed(usernames))
    lock = threading.Lock()
    cookies: dict[str, str] = {}
    latencies: list[float] = []
    errors = [0]
    host = f"127.0.0.1:{port}"

    def run() -> None:
        client = _Client(port)
        # Django accepts the CSRF secret itself as the form's token when it matches the cookie.
        secret = secrets.token_hex(16)
        while True:
            with lock:
                if not queue:
                    return
                username = queue.pop()
            body = urlencode({"csrfmiddlewaretoken": secret, "username": username, "password": password})
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"{CSRF_COOKIE}={secret}",
                "Origin": f"{PROTO}://{host}",
                "Referer": f"{PROTO}://{host}/iniciar-sesion/",
                "Host": host,
            }
            started = time.perf_counter()
            try:
                status, _, set_cookies, _ = client.request("POST", "/iniciar-sesion/", headers, body)
            except OSError:
                status, set_cookies = 0, []
            took = time.perf_counter() - started
            session = _cookie(set_cookies, SESSION_COOKIE)
            with lock:
                latencies.append(took)
                if status == 302 and session:
                    cookies[username] = session
                else:
                    errors[0] += 1

    began = time.monotonic()
    threads = [threading.Thread(target=run) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    return LoginRun(
        logins=len(cookies),
        errors=errors[0],
        seconds=round(elapsed, 2),
        rate=round(len(cookies) / elapsed, 2),
        p50_ms=round(percentile(latencies, 50) * 1000, 1),
        p95_ms=round(percentile(latencies, 95) * 1000, 1),
        cookies=cookies,
    )


def _cookie(set_cookies: Sequence[str], name: str) -> str | None:
    for header in set_cookies:
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        if name in jar and jar[name].value:
            return jar[name].value
    return None


def fetch_timed(*, port: int, path: str, cookie: str) -> tuple[float, int, str, bytes]:
    """One GET with a person's session: seconds, status, content type, body."""
    client = _Client(port)
    started = time.perf_counter()
    status, headers, _, body = client.request("GET", path, {"Cookie": f"{SESSION_COOKIE}={cookie}"})
    return time.perf_counter() - started, status, headers.get("content-type", ""), body
