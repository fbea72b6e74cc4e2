"""Reading official documents back: by folio and code (public verification), by the PDF itself, by subject."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass

from micuenta.documents.models import OfficialDocument
from micuenta.documents.signing import SignatureCheck, pdf_signature_check

FOLIO_RE = re.compile(r"[A-Z]{2,5}-\d{4}-\d{6}")


def _compact(value: str) -> str:
    value = unicodedata.normalize("NFKC", value).upper()
    return "".join(c for c in value if c.isalnum() or c == "-").strip("-")


def document_by_folio_and_code(folio: str, code: str) -> OfficialDocument | None:
    """The document with this folio, when `code` is its verification code (typed with or without the hyphen,
    in any case); None otherwise, the same for an unknown folio and a wrong code."""
    folio = _compact(folio)
    code = _compact(code).replace("-", "")
    if not FOLIO_RE.fullmatch(folio) or not code:
        return None
    document = OfficialDocument.objects.filter(folio=folio).select_related("replaced_by").first()
    if document is None or not hmac.compare_digest(document.code.encode(), code.encode()):
        return None
    return document


@dataclass(frozen=True)
class FileCheck:
    document: OfficialDocument | None  # the registry's row whose PDF these bytes are, exactly
    signature: SignatureCheck


def document_check_file(content: bytes) -> FileCheck:
    """Whether `content` is, byte for byte, a PDF the fund issued (its SHA-256 in the registry) and carries the
    institution's signature intact."""
    found = (
        OfficialDocument.objects.filter(sha256=hashlib.sha256(content).hexdigest())
        .select_related("replaced_by")
        .first()
    )
    return FileCheck(document=found, signature=pdf_signature_check(content))


def documents_of_subject(subject_type: str, subject_id: str, kind: str = "") -> list[OfficialDocument]:
    rows = OfficialDocument.objects.filter(subject_type=subject_type, subject_id=subject_id)
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.order_by("-issued_at", "-pk"))
