"""Public verification of official documents (/verificar/): by folio and code, by the QR code's link, or by the
PDF itself. Rate-limited per client address; an unknown folio and a wrong code get the same answer, and the page
shows only what the document prints (docs/documents.md)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit  # type: ignore[import-untyped]

from micuenta.core.clients import request_address
from micuenta.core.forms import AccessibleFormMixin
from micuenta.documents.models import DocumentStatus, OfficialDocument
from micuenta.documents.selectors import FileCheck, document_by_folio_and_code, document_check_file

RATE = "20/m"  # lookups per client address and minute: plenty for a person, slow for anyone guessing codes
MAX_FILE = 10 * 1024 * 1024


def _client(group: str, request: HttpRequest) -> str:
    return request_address(request)


class LookupForm(AccessibleFormMixin, forms.Form):
    folio = forms.CharField(
        label="Folio",
        max_length=30,
        help_text="Como aparece en el documento, por ejemplo AVR-2026-000123.",
        error_messages={"required": "Escribe el folio del documento."},
    )
    codigo = forms.CharField(
        label="Código de verificación",
        max_length=20,
        help_text="Los 10 caracteres junto al código QR, por ejemplo ABCDE-FGHJK.",
        error_messages={"required": "Escribe el código de verificación del documento."},
    )


class FileForm(AccessibleFormMixin, forms.Form):
    archivo = forms.FileField(
        label="El PDF que recibiste",
        help_text="Lo comparamos con el que emitimos; no lo guardamos.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        error_messages={
            "required": "Elige el archivo PDF que quieres comprobar.",
            "empty": "El archivo está vacío. Elige el PDF que recibiste.",
        },
    )


def _limited(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "documents/verify.html",
        {"limited": True, "lookup": LookupForm(), "file_form": FileForm()},
        status=429,
    )
    response["Retry-After"] = "60"
    return response


def _shown(document: OfficialDocument) -> dict[str, Any]:
    return {
        "document": document,
        "status_label": DocumentStatus(document.status).label,
        "in_force": document.status == DocumentStatus.VIGENTE,
        "printed": document.printed,
    }


@never_cache
@require_GET
@ratelimit(key=_client, rate=RATE, block=False, group="documents.verify")
def verify(request: HttpRequest) -> HttpResponse:
    """The form; with ?folio=&codigo= the answer."""
    if getattr(request, "limited", False):
        return _limited(request)
    context: dict[str, Any] = {"lookup": LookupForm(), "file_form": FileForm()}
    status = 200
    if "folio" in request.GET or "codigo" in request.GET:
        form = LookupForm(request.GET)
        context["lookup"] = form
        if form.is_valid():
            document = document_by_folio_and_code(form.cleaned_data["folio"], form.cleaned_data["codigo"])
            if document is None:
                context["not_found"] = True
                status = 404
            else:
                context.update(_shown(document))
        else:
            status = 400
    return render(request, "documents/verify.html", context, status=status)


@never_cache
@require_GET
@ratelimit(key=_client, rate=RATE, block=False, group="documents.verify")
def verify_link(request: HttpRequest, folio: str, code: str) -> HttpResponse:
    """The QR code's link."""
    if getattr(request, "limited", False):
        return _limited(request)
    document = document_by_folio_and_code(folio, code)
    context: dict[str, Any] = {"lookup": LookupForm(), "file_form": FileForm()}
    if document is None:
        context["not_found"] = True
        return render(request, "documents/verify.html", context, status=404)
    context.update(_shown(document))
    return render(request, "documents/verify.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key=_client, rate=RATE, method="POST", block=False, group="documents.verify")
def verify_file(request: HttpRequest) -> HttpResponse:
    """Is this PDF, byte for byte, one the fund issued, with its signature intact?"""
    if getattr(request, "limited", False):
        return _limited(request)
    context: dict[str, Any] = {"lookup": LookupForm(), "file_form": FileForm()}
    if request.method == "GET":
        return render(request, "documents/verify.html", context)
    form = FileForm(request.POST, request.FILES)
    context["file_form"] = form
    if not form.is_valid():
        return render(request, "documents/verify.html", context, status=400)
    upload = form.cleaned_data["archivo"]
    if upload.size > MAX_FILE:
        form.add_error("archivo", "El archivo pesa más de 10 MB: ningún documento que emitimos es tan grande.")
        return render(request, "documents/verify.html", context, status=400)
    content = upload.read()
    if b"%PDF-" not in content[:1024]:
        form.add_error("archivo", "Este archivo no es un PDF. Elige el archivo PDF del documento que recibiste.")
        return render(request, "documents/verify.html", context, status=400)
    check: FileCheck = document_check_file(content)
    context["file_check"] = check
    if check.document is not None and check.signature.valid:
        context.update(_shown(check.document))
        context["file_original"] = True
        return render(request, "documents/verify.html", context)
    return render(request, "documents/verify.html", context, status=422)
