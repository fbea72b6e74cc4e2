"""Official documents: issued with a gapless folio, a QR code and the institution's signature; downloaded again as
the same bytes; verified by anyone by folio and code, by the QR link and by the PDF itself, which is refused when a
single byte changed. The signature is checked by pyHanko's own validator against the certificate."""

from __future__ import annotations

import hashlib
import io

import pytest
import zxingcpp
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader, PdfWriter

from micuenta.core.actors import Actor
from micuenta.core.models import AuditEvent
from micuenta.documents.models import DocumentStatus, OfficialDocument
from micuenta.documents.services import code_shown, document_cancel, document_issue, document_pdf
from micuenta.documents.signing import signer_files

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("pruebas")


def issue(**kwargs):
    defaults = {
        "actor": SYSTEM,
        "kind": "ejemplo",
        "prefix": "EJE",
        "title": "Documento de ejemplo",
        "template": "documents/example.html",
        "context": {"lines": [("Importe", "$1,234.56"), ("NSS", "*******1234")]},
        "printed": [("NSS", "*******1234"), ("Importe", "$1,234.56")],
        "worker_id": None,
        "subject": ("ejemplo", "1"),
    }
    return document_issue(**{**defaults, **kwargs})


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_document_is_signed_stored_and_the_same_bytes_come_back():
    document = issue()
    pdf = document_pdf(document)
    assert pdf.startswith(b"%PDF-")
    assert hashlib.sha256(pdf).hexdigest() == document.sha256 == hashlib.sha256(document_pdf(document)).hexdigest()
    text = text_of(pdf)
    assert document.folio in text and "$1,234.56" in text
    assert f"{document.code[:5]}-{document.code[5:]}" in text
    # pyHanko's own validator, against the certificate: intact, valid, trusted, over the whole file
    root = load_cert_from_pemder(str(signer_files().cert))
    status = validate_pdf_signature(
        PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0], ValidationContext(trust_roots=[root])
    )
    assert status.intact and status.valid and status.trusted
    assert status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
    assert AuditEvent.objects.filter(action="documento.emitido", subject_id=str(document.pk)).exists()


def test_folios_are_consecutive_per_prefix_and_year():
    first, second, other = issue(), issue(), issue(prefix="OTR")
    year = first.issued_at.year
    assert (first.folio, second.folio, other.folio) == (
        f"EJE-{year}-000001",
        f"EJE-{year}-000002",
        f"OTR-{year}-000001",
    )


def test_the_qr_code_printed_on_the_pdf_opens_the_verification_page(client, tmp_path):
    document = issue()
    pdf_path = tmp_path / "doc.pdf"
    pdf_path.write_bytes(document_pdf(document))
    import subprocess

    command = ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf_path), str(tmp_path / "p")]
    subprocess.run(command, check=True)
    page = Image.open(next(tmp_path.glob("p*.png")))
    found = [r.text for r in zxingcpp.read_barcodes(page) if r.format == zxingcpp.BarcodeFormat.QRCode]
    assert found == [f"{settings.MICUENTA_BASE_URL}/verificar/{document.folio}/{document.code}/"]
    response = client.get(found[0].removeprefix(settings.MICUENTA_BASE_URL))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Documento auténtico y vigente" in html and document.folio in html and "*******1234" in html


def test_folio_and_code_are_checked_together_and_a_wrong_one_tells_nothing(client):
    document = issue()
    url = reverse("documents:verify")
    typed = client.get(url, {"folio": document.folio.lower(), "codigo": f"{document.code[:5]}-{document.code[5:]}"})
    assert typed.status_code == 200 and "Documento auténtico y vigente" in typed.content.decode()
    wrong_code = client.get(url, {"folio": document.folio, "codigo": "ZZZZZZZZZZ"})
    unknown = client.get(url, {"folio": "EJE-2026-999999", "codigo": document.code})
    assert wrong_code.status_code == unknown.status_code == 404
    for response in (wrong_code, unknown):
        html = response.content.decode()
        assert "No encontramos un documento con ese folio y ese código" in html
        assert "*******1234" not in html and "Documento de ejemplo" not in html


def test_the_original_pdf_is_recognised_and_one_changed_byte_is_refused(client):
    document = issue()
    original = document_pdf(document)
    url = reverse("documents:verify_file")
    ok = client.post(url, {"archivo": SimpleUploadedFile("aviso.pdf", original, "application/pdf")})
    assert ok.status_code == 200 and "Es el documento original" in ok.content.decode()
    changed = bytearray(original)
    at = original.index(b"/Contents") // 2  # a byte inside the signed part, before the signature
    changed[at] = changed[at] ^ 0x01
    refused = client.post(url, {"archivo": SimpleUploadedFile("aviso.pdf", bytes(changed), "application/pdf")})
    html = refused.content.decode()
    assert refused.status_code == 422
    assert "no es el original" in html or "fue modificado" in html
    assert "Es el documento original" not in html and "*******1234" not in html
    blank = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.write(blank)
    unsigned = client.post(url, {"archivo": SimpleUploadedFile("x.pdf", blank.getvalue(), "application/pdf")})
    assert unsigned.status_code == 422 and "no tiene la firma electrónica del Instituto" in unsigned.content.decode()
    truncated = client.post(
        url, {"archivo": SimpleUploadedFile("x.pdf", original[: len(original) // 3], "application/pdf")}
    )
    assert truncated.status_code == 422 and "No pudimos leer este archivo como PDF" in truncated.content.decode()
    text = client.post(url, {"archivo": SimpleUploadedFile("aviso.pdf", b"hola, soy un texto", "application/pdf")})
    assert text.status_code == 400 and "Este archivo no es un PDF" in text.content.decode()


def test_a_replaced_or_cancelled_document_says_so_when_verified(client):
    old = issue()
    new = issue(replaces=old)
    old.refresh_from_db()
    assert (old.status, old.replaced_by_id) == (DocumentStatus.REEMPLAZADO, new.pk)
    html = client.get(reverse("documents:verify_link", args=[old.folio, old.code])).content.decode()
    assert "Documento auténtico, reemplazado por otro" in html and f"Lo reemplaza el folio {new.folio}." in html
    assert new.code not in html and code_shown(new.code) not in html  # the newer one's code is not given away
    document_cancel(actor=SYSTEM, document_id=new.pk, reason="Emitido con un dato equivocado.")
    html = client.get(reverse("documents:verify_link", args=[new.folio, new.code])).content.decode()
    assert "Cancelado" in html and "Emitido con un dato equivocado." in html


def test_a_failed_issue_leaves_no_folio_used_and_no_file(monkeypatch):
    from micuenta.documents import services

    def broken(*args, **kwargs):
        raise RuntimeError("sin firma")

    monkeypatch.setattr(services, "pdf_sign", broken)
    with pytest.raises(RuntimeError):
        issue()
    monkeypatch.undo()
    assert issue().folio.endswith("-000001")
    assert OfficialDocument.objects.count() == 1


def test_verification_is_rate_limited_per_client(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"},
    }
    url = reverse("documents:verify")
    answers = [client.get(url, {"folio": "EJE-2026-000001", "codigo": "ABCDEFGHJK"}) for _ in range(25)]
    assert [a.status_code for a in answers[:20]] == [404] * 20
    assert answers[-1].status_code == 429 and answers[-1]["Retry-After"] == "60"
    assert "Espera un minuto" in answers[-1].content.decode()


def test_the_rate_limit_counts_where_every_web_worker_sees_it(tmp_path):
    """Without Redis the count is kept in files under var/ (the web workers of one machine share them); with Redis,
    in Redis. Each process's own memory would let every worker allow its own 20 a minute."""
    import subprocess
    import sys

    code = (
        "from django.conf import settings; print(settings.RATELIMIT_USE_CACHE, settings.CACHES['ratelimit']['BACKEND'])"
    )
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "micuenta.settings", "MICUENTA_VAR_DIR": str(tmp_path)}
    plain = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    redis = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**env, "MICUENTA_REDIS_URL": "redis://127.0.0.1:6379/9"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert plain == ["ratelimit", "django.core.cache.backends.filebased.FileBasedCache"]
    assert redis == ["ratelimit", "django.core.cache.backends.redis.RedisCache"]


def test_a_configured_4096_bit_key_with_a_password_signs_and_validates(tmp_path, settings):
    """The institution's own pair (not the demo one): a bigger key, encrypted; the signature still fits the room
    reserved for it and validates with pyHanko against that certificate."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Firma institucional de prueba")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = tmp_path / "llave.pem", tmp_path / "cert.pem"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"clave de prueba"),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    settings.MICUENTA_SIGNING_KEY, settings.MICUENTA_SIGNING_CERT = str(key_path), str(cert_path)
    settings.MICUENTA_SIGNING_KEY_PASSWORD = "clave de prueba"

    pdf = document_pdf(issue())

    embedded = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[-1]
    status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[load_cert_from_pemder(str(cert_path))]))
    assert (
        status.intact
        and status.valid
        and status.trusted
        and status.signing_cert.dump() == cert.public_bytes(serialization.Encoding.DER)
    )
