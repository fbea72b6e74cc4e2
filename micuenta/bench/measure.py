"""Measurements that need the application in this process: the raw password-hasher rate, the bare WeasyPrint
render of a statement's HTML, and the Constancia de Intereses issued (render and signature) against WeasyPrint alone."""

from __future__ import annotations

import multiprocessing
import statistics
import time
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import get_hasher, make_password
from django.template.loader import render_to_string
from weasyprint import HTML

from micuenta.bench.load import fetch_timed, percentile
from micuenta.core.actors import Actor
from micuenta.credits.constancia import constancia_figures
from micuenta.credits.models import Credit
from micuenta.credits.schedule import add_months
from micuenta.credits.services.constancias import TEMPLATE, constancia_context, constancia_issue
from micuenta.credits.views import Chosen, statement_pdf_html
from micuenta.documents.pdf import PDF_BASE, pdf_from_html
from micuenta.documents.services import official_fields
from micuenta.documents.signing import pdf_sign


@dataclass(frozen=True)
class HasherRun:
    algorithm: str
    processes: int
    checks: int
    seconds: float
    rate: float


def _verify_for(args: tuple[str, str, float]) -> int:
    password, encoded, seconds = args
    hasher = get_hasher()
    done = 0
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        if not hasher.verify(password, encoded):
            raise RuntimeError("the hasher refused its own password")
        done += 1
    return done


def hasher_rate(*, password: str, processes: int, seconds: float) -> HasherRun:
    """Password checks per second with the configured hasher alone, in as many processes as the portal has
    workers (each process checks as fast as it can)."""
    encoded = make_password(password)
    started = time.monotonic()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        counts = pool.map(_verify_for, [(password, encoded, seconds)] * processes)
    elapsed = time.monotonic() - started
    checks = sum(counts)
    return HasherRun(str(get_hasher().algorithm), processes, checks, round(elapsed, 2), round(checks / elapsed, 2))


@dataclass(frozen=True)
class PdfRun:
    statements: int
    errors: int
    served_median_ms: float
    served_p95_ms: float
    bare_median_ms: float
    bare_p95_ms: float
    ratio: float
    bytes_median: int


def statement_pdfs(*, port: int, borrowers: list[tuple[str, int]], today: date) -> PdfRun:
    """Each borrower's statement of last month: fetched from the portal (session, lookups, statement, HTML,
    WeasyPrint), then the same HTML rendered by WeasyPrint alone. `borrowers` are (session cookie, credit id)."""
    period = add_months(today.replace(day=1), -1)
    served: list[float] = []
    bare: list[float] = []
    sizes: list[int] = []
    errors = 0
    # The first render of each process loads fonts: one request per web worker and one bare render first.
    for cookie, _ in borrowers[:2]:
        fetch_timed(port=port, path=f"/mi-credito/estado-de-cuenta/{period:%Y-%m}/pdf/", cookie=cookie)
    for cookie, credit_id in borrowers:
        seconds, status, kind, body = fetch_timed(
            port=port, path=f"/mi-credito/estado-de-cuenta/{period:%Y-%m}/pdf/", cookie=cookie
        )
        if status != 200 or kind != "application/pdf" or not body.startswith(b"%PDF"):
            errors += 1
            continue
        served.append(seconds)
        sizes.append(len(body))
        credit = Credit.objects.select_related("worker").get(pk=credit_id)
        html = statement_pdf_html(Chosen(worker=credit.worker, credit=credit, credits=[credit]), period)
        if not bare:
            HTML(string=html, base_url=PDF_BASE.as_uri()).write_pdf()
        started = time.perf_counter()
        HTML(string=html, base_url=PDF_BASE.as_uri()).write_pdf()
        bare.append(time.perf_counter() - started)
    if not served:
        return PdfRun(len(borrowers), errors, 0, 0, 0, 0, 0, 0)

    served_median, bare_median = statistics.median(served), statistics.median(bare)
    return PdfRun(
        statements=len(served),
        errors=errors,
        served_median_ms=round(served_median * 1000, 1),
        served_p95_ms=round(percentile(served, 95) * 1000, 1),
        bare_median_ms=round(bare_median * 1000, 1),
        bare_p95_ms=round(percentile(bare, 95) * 1000, 1),
        ratio=round(served_median / bare_median, 3),
        bytes_median=int(statistics.median(sizes)),
    )


@dataclass(frozen=True)
class ConstanciaPdfRun:
    documents: int
    issue_median_ms: float  # the whole issue: figures kept, context, QR, WeasyPrint, signature, storage, registry
    issue_p95_ms: float
    render_sign_median_ms: float  # WeasyPrint then the PAdES signature, on the document's own HTML
    bare_median_ms: float  # WeasyPrint alone on that same HTML
    ratio: float  # render + sign ÷ bare
    issue_ratio: float  # whole issue ÷ bare
    bytes_median: int


def constancia_pdfs(*, credit_ids: list[int], year: int) -> ConstanciaPdfRun:
    """Each credit's Constancia de Intereses issued through the documents service, then its own HTML (same folio,
    code and QR) rendered by WeasyPrint alone, and rendered and signed."""
    issued: list[float] = []
    signed: list[float] = []
    bare: list[float] = []
    sizes: list[int] = []
    actor = Actor.system("bench")
    for index, credit_id in enumerate(credit_ids):
        credit = Credit.objects.select_related("worker").get(pk=credit_id)
        started = time.perf_counter()
        document = constancia_issue(actor=actor, credit=credit, year=year)
        issue_seconds = time.perf_counter() - started
        official = official_fields(
            folio=document.folio, code=document.code, issued_at=document.issued_at, title=document.title
        )
        figures = constancia_figures(credit, year)
        html = render_to_string(TEMPLATE, {**constancia_context(credit, year, figures), "official": official})
        started = time.perf_counter()
        pdf_from_html(html)
        bare_seconds = time.perf_counter() - started
        started = time.perf_counter()
        pdf_sign(pdf_from_html(html), reason=document.title)
        signed_seconds = time.perf_counter() - started
        if index == 0:
            continue  # the first issue of the process loads fonts and keys: not counted
        issued.append(issue_seconds)
        bare.append(bare_seconds)
        signed.append(signed_seconds)
        sizes.append(document.size)
    if not issued:
        return ConstanciaPdfRun(0, 0, 0, 0, 0, 0, 0, 0)
    bare_median = statistics.median(bare)
    return ConstanciaPdfRun(
        documents=len(issued),
        issue_median_ms=round(statistics.median(issued) * 1000, 1),
        issue_p95_ms=round(percentile(issued, 95) * 1000, 1),
        render_sign_median_ms=round(statistics.median(signed) * 1000, 1),
        bare_median_ms=round(bare_median * 1000, 1),
        ratio=round(statistics.median(signed) / bare_median, 3),
        issue_ratio=round(statistics.median(issued) / bare_median, 3),
        bytes_median=int(statistics.median(sizes)),
    )
