"""A stored file goes back to the browser only as a download that it cannot show, sniff, cache or run."""

from __future__ import annotations

import pytest
from django.http import FileResponse
from django.test import Client

from micuenta.uploads.http import attachment_response
from micuenta.uploads.inspect import upload_inspect
from micuenta.uploads.storage import upload_store
from micuenta.uploads.tests import files
from micuenta.uploads.tests.files import upload


def close(response: FileResponse) -> None:
    """What the server does once it has sent the file (without the request_finished signal of a real request)."""
    assert response.file_to_stream is not None
    response.file_to_stream.close()


@pytest.fixture
def stored_pdf():
    clean = upload_inspect(upload("Acta de nacimiento — Peña.pdf", files.good_pdf()))
    return clean, upload_store(clean, prefix="pruebas")


def test_the_response_is_a_download_with_protective_headers(stored_pdf):
    clean, name = stored_pdf

    response = attachment_response(name, filename=clean.name, content_type=clean.content_type)

    assert response.getvalue() == clean.content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="Acta de nacimiento _ Pena.pdf"; '
        "filename*=UTF-8''Acta%20de%20nacimiento%20%E2%80%94%20Pe%C3%B1a.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["Content-Length"] == str(clean.size)
    close(response)


@pytest.mark.django_db
@pytest.mark.urls("micuenta.uploads.tests.urls")
def test_the_portal_middleware_keeps_those_headers(stored_pdf):
    clean, name = stored_pdf

    response = Client().get("/descarga/", {"nombre": name, "archivo": clean.name, "tipo": clean.content_type})

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Content-Disposition"].startswith("attachment; ")
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.getvalue() == clean.content


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("../../x.pdf", "attachment; filename=\"x.pdf\"; filename*=UTF-8''x.pdf"),
        (
            'a"b\r\nSet-Cookie: x=1.pdf',
            "attachment; filename=\"a_b Set-Cookie_ x=1.pdf\"; filename*=UTF-8''a_b%20Set-Cookie_%20x%3D1.pdf",
        ),
        ("文件.pdf", "attachment; filename=\"documento.pdf\"; filename*=UTF-8''%E6%96%87%E4%BB%B6.pdf"),
        ("foto.html", "attachment; filename=\"foto.pdf\"; filename*=UTF-8''foto.pdf"),
    ],
)
def test_the_name_is_cleaned_again_and_cannot_break_the_header(stored_pdf, filename, expected):
    _, name = stored_pdf
    response = attachment_response(name, filename=filename, content_type="application/pdf")
    assert response["Content-Disposition"] == expected
    close(response)


@pytest.mark.parametrize("content_type", ["text/html", "image/svg+xml", "application/octet-stream", ""])
def test_only_the_three_accepted_types_are_served(stored_pdf, content_type):
    _, name = stored_pdf
    with pytest.raises(ValueError, match="Not a type of attached file"):
        attachment_response(name, filename="acta.pdf", content_type=content_type)
