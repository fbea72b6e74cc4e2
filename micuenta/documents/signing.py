"""The institution's signature on its documents: PAdES with pyHanko, by the key and certificate in settings
(docs/documents.md).

`MICUENTA_SIGNING_KEY` and `MICUENTA_SIGNING_CERT` name PEM files (the key may have `MICUENTA_SIGNING_KEY_PASSWORD`).
Demo mode (and the tests) without them sign with a demo key and a self-signed certificate made on first use under
`MICUENTA_DEMO_SIGNER_DIR`, whose names say it is not valid; anywhere else signing refuses, and `check --deploy`
says so (micuenta.E011).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

DEMO_ORGANIZATION = "micuenta · DEMOSTRACIÓN, SIN VALIDEZ"
DEMO_COMMON_NAME = "Firma de documentos de demostración (no válida)"
FIELD_NAME = "FirmaInstitucional"


@dataclass(frozen=True)
class SignerFiles:
    key: Path
    cert: Path
    password: bytes | None
    demo: bool


def demo_signer_ensure(folder: Path) -> SignerFiles:
    """The demo key and certificate in `folder`, made the first time (RSA-2048, self-signed, 10 years)."""
    key_path, cert_path = folder / "demo-key.pem", folder / "demo-cert.pem"
    if not (key_path.exists() and cert_path.exists()):
        folder.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "MX"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_ORGANIZATION),
                x509.NameAttribute(NameOID.COMMON_NAME, DEMO_COMMON_NAME),
            ]
        )
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(key, hashes.SHA256())
        )
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        key_path.write_bytes(pem)
        key_path.chmod(0o600)
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return SignerFiles(key=key_path, cert=cert_path, password=None, demo=True)


def signer_files() -> SignerFiles:
    """The configured key and certificate; the demo ones in demo mode; otherwise ImproperlyConfigured."""
    key, cert = settings.MICUENTA_SIGNING_KEY, settings.MICUENTA_SIGNING_CERT
    if key and cert:
        password = settings.MICUENTA_SIGNING_KEY_PASSWORD.encode() if settings.MICUENTA_SIGNING_KEY_PASSWORD else None
        return SignerFiles(key=Path(key), cert=Path(cert), password=password, demo=False)
    if settings.MICUENTA_DEMO or settings.MICUENTA_DEMO_SIGNER_ALLOWED:
        return demo_signer_ensure(Path(settings.MICUENTA_DEMO_SIGNER_DIR))
    raise ImproperlyConfigured(
        "Official documents need the institution's key and certificate: set MICUENTA_SIGNING_KEY and "
        "MICUENTA_SIGNING_CERT (docs/deployment.md)."
    )


class _InstitutionSigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner, parsing the private key once: SimpleSigner parses it again on every signature, with
    cryptography's full RSA key checks (about 35 ms each, more than the rest of the signature). The signature
    itself is still pyHanko's and cryptography's, by the mechanism pyHanko chose."""

    @cached_property
    def _private_key(self) -> PrivateKeyTypes:
        return serialization.load_der_private_key(self.signing_key.dump(), password=None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        key = self._private_key
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if mechanism == "rsassa_pkcs1v15" and isinstance(key, RSAPrivateKey):
            return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        return super().sign_raw(data, digest_algorithm)


@dataclass(frozen=True)
class _Signer:
    signer: signers.SimpleSigner
    reserved: int  # bytes kept in the PDF for the signature: the certificates plus room for the rest


@lru_cache(maxsize=4)
def _signer(files: SignerFiles) -> _Signer:
    loaded = signers.SimpleSigner.load(str(files.key), str(files.cert), key_passphrase=files.password)
    if loaded is None or loaded.signing_cert is None:
        raise ImproperlyConfigured("The signing key or certificate could not be read (MICUENTA_SIGNING_KEY/CERT).")
    signer = _InstitutionSigner(
        signing_cert=loaded.signing_cert, signing_key=loaded.signing_key, cert_registry=loaded.cert_registry
    )
    # Reserving the room for the signature spares pyHanko a trial signature to measure it, on every document.
    certificates = len(loaded.signing_cert.dump()) + sum(len(c.dump()) for c in loaded.cert_registry)
    return _Signer(signer=signer, reserved=certificates + 4096)


def pdf_sign(pdf: bytes, *, reason: str) -> bytes:
    """The PDF with the institution's PAdES signature over all of it (an invisible signature field)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=reason,
        location="Ciudad de México",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    chosen = _signer(signer_files())
    signed = signers.sign_pdf(writer, metadata, signer=chosen.signer, bytes_reserved=chosen.reserved)
    return signed.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    readable: bool  # a PDF pyHanko could read at all
    signed: bool  # it carries a signature at all
    intact: bool  # the bytes it covers are unchanged
    by_institution: bool  # by the institution's certificate (trusted root), over the whole file
    demo: bool  # the certificate is the demo one

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.by_institution


def pdf_signature_check(pdf: bytes) -> SignatureCheck:
    """Whether `pdf` carries the institution's signature, intact and covering the whole file."""
    files = signer_files()
    try:
        reader = PdfFileReader(io.BytesIO(pdf))
        embedded = reader.embedded_signatures
    except Exception:  # not a PDF pyHanko can read: no signature to speak of
        return SignatureCheck(readable=False, signed=False, intact=False, by_institution=False, demo=files.demo)
    if not embedded:
        return SignatureCheck(readable=True, signed=False, intact=False, by_institution=False, demo=files.demo)
    root = load_cert_from_pemder(str(files.cert))
    try:
        status = validate_pdf_signature(embedded[-1], ValidationContext(trust_roots=[root]))
    except Exception:  # a damaged signature is not a valid one
        return SignatureCheck(readable=True, signed=True, intact=False, by_institution=False, demo=files.demo)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    return SignatureCheck(
        readable=True,
        signed=True,
        intact=bool(status.intact and status.valid),
        by_institution=bool(status.trusted and whole and status.signing_cert.dump() == root.dump()),
        demo=files.demo,
    )
