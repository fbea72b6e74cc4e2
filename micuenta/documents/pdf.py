"""PDFs of the portal: a template rendered to HTML, then to PDF by WeasyPrint, with nothing fetched from the network.

Every document a person downloads (statements, summaries of movements, and the official documents to come) is made
here. The templates carry their CSS inline (`documents/_pdf_base.css`); the only URLs WeasyPrint may open are files
under this package's templates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

PDF_BASE = Path(__file__).resolve().parent / "templates" / "documents"


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render a template to PDF with WeasyPrint."""
    return pdf_from_html(render_to_string(template, context))


def pdf_from_html(html: str) -> bytes:
    """The PDF of an HTML page already rendered (relative URLs resolve to this package's templates only)."""
    fetcher = URLFetcher(allowed_protocols={"file"})
    pdf: bytes = HTML(string=html, base_url=PDF_BASE.as_uri(), url_fetcher=fetcher).write_pdf()
    return pdf
