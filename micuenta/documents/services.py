"""Issuing official documents (docs/documents.md): folio and verification code, the PDF with its QR code, the
institution's signature, the registry row and the stored PDF, in one transaction.

A document is issued once and its PDF kept: the person downloads the same bytes again (same SHA-256). A correction
issues a new document that replaces the old one (`replaces=`), which then reads "Reemplazado" when verified.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from micuenta.core.actors import Actor
from micuenta.core.audit import AuditAction, audit_record
from micuenta.core.errors import ApplicationError, ErrorCode
from micuenta.core.folios import folio_next
from micuenta.documents.hooks import DocumentNotice, document_notice_run
from micuenta.documents.models import DocumentFolioCounter, DocumentStatus, OfficialDocument
from micuenta.documents.pdf import render_pdf
from micuenta.documents.qr import qr_svg
from micuenta.documents.signing import pdf_sign

# The verification code's alphabet: no 0/O, 1/I/L, so that it reads back from paper without doubt.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


class DocumentAction(AuditAction):
    ISSUED = "documento.emitido"
    REPLACED = "documento.reemplazado"
    CANCELLED = "documento.cancelado"


class DocumentCode(ErrorCode):
    NOT_IN_FORCE = "documento_no_vigente"


class DocumentError(ApplicationError):
    pass


def code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_shown(code: str) -> str:
    """The code as printed: ABCDE-FGHJK."""
    return f"{code[:5]}-{code[5:]}"


def verification_url(folio: str, code: str) -> str:
    return f"{settings.MICUENTA_BASE_URL}{reverse('documents:verify_link', args=[folio, code])}"


def official_fields(*, folio: str, code: str, issued_at: datetime, title: str) -> dict[str, Any]:
    """What every document's template prints of its issue: folio, code (as printed), issue time, verification URL
    and its QR code, title."""
    url = verification_url(folio, code)
    return {
        "folio": folio,
        "code": code_shown(code),
        "issued_at": issued_at,
        "url": url,
        "qr": qr_svg(url),
        "title": title,
    }


def document_issue(
    *,
    actor: Actor,
    kind: str,
    prefix: str,
    title: str,
    template: str,
    context: dict[str, Any],
    printed: Sequence[tuple[str, str]],
    worker_id: int | None = None,
    subject: tuple[str, str] = ("", ""),
    data: dict[str, Any] | None = None,
    replaces: OfficialDocument | None = None,
    replaced_because: str = "",
    notice: DocumentNotice | None = None,
) -> OfficialDocument:
    """Issue one document: `template` is rendered with `context` plus `official` (folio, code, QR, URL, issue
    time), signed, stored and registered. `printed` is what the public verification may show: label and value
    pairs exactly as the PDF prints them (masked by the caller). With `replaces`, that document (still vigente)
    becomes "reemplazado" by this one; `replaced_because` is what its verification then says, `{folio}` standing for
    the new document's (by default, just that folio). With `notice`, the person is told (documents/hooks.py) in the same
    transaction."""
    storage = storages["private"]
    with transaction.atomic():
        now = timezone.now()
        folio = folio_next(DocumentFolioCounter, prefix, timezone.localdate(now).year)
        code = code_new()
        official = official_fields(folio=folio, code=code, issued_at=now, title=title)
        pdf = pdf_sign(render_pdf(template, {**context, "official": official}), reason=title)
        name = storage.save(f"documentos/{prefix}/{timezone.localdate(now).year}/{folio}.pdf", ContentFile(pdf))
        try:
            document = OfficialDocument.objects.create(
                kind=kind,
                title=title,
                folio=folio,
                code=code,
                issued_at=now,
                worker_id=worker_id,
                subject_type=subject[0],
                subject_id=str(subject[1]),
                data=data or {},
                printed=[[str(label), str(value)] for label, value in printed],
                sha256=hashlib.sha256(pdf).hexdigest(),
                size=len(pdf),
                storage_name=name,
            )
            audit_record(
                actor=actor,
                action=DocumentAction.ISSUED,
                subject=document,
                worker_id=worker_id,
                after={"folio": folio, "kind": kind, "sha256": document.sha256},
            )
            if replaces is not None:
                because = (replaced_because or "Lo reemplaza el folio {folio}.").replace("{folio}", folio)
                _replace(actor, replaces.pk, document, because)
            if notice is not None and worker_id is not None:
                document_notice_run(document, notice)
        except BaseException:
            storage.delete(name)
            raise
    return document


def _replace(actor: Actor, old_id: int, new: OfficialDocument, reason: str) -> None:
    old = OfficialDocument.objects.select_for_update().get(pk=old_id)
    if old.status != DocumentStatus.VIGENTE:
        raise DocumentError(
            DocumentCode.NOT_IN_FORCE, f"El documento {old.folio} ya no está vigente: no puede reemplazarse."
        )
    old.status = DocumentStatus.REEMPLAZADO
    old.replaced_by = new
    old.status_changed_at = timezone.now()
    old.status_reason = reason[:300]
    old.save(update_fields=["status", "replaced_by", "status_changed_at", "status_reason"])
    audit_record(
        actor=actor,
        action=DocumentAction.REPLACED,
        subject=old,
        worker_id=old.worker_id,
        before={"status": DocumentStatus.VIGENTE},
        after={"status": DocumentStatus.REEMPLAZADO, "replaced_by": new.folio},
    )


def document_cancel(*, actor: Actor, document_id: int, reason: str) -> OfficialDocument:
    """Cancel a document in force (it was issued in error): verification then says "Cancelado" and why."""
    with transaction.atomic():
        document = OfficialDocument.objects.select_for_update().get(pk=document_id)
        if document.status != DocumentStatus.VIGENTE:
            raise DocumentError(
                DocumentCode.NOT_IN_FORCE, f"El documento {document.folio} ya no está vigente: no puede cancelarse."
            )
        document.status = DocumentStatus.CANCELADO
        document.status_changed_at = timezone.now()
        document.status_reason = reason.strip()[:300]
        document.save(update_fields=["status", "status_changed_at", "status_reason"])
        audit_record(
            actor=actor,
            action=DocumentAction.CANCELLED,
            subject=document,
            worker_id=document.worker_id,
            before={"status": DocumentStatus.VIGENTE},
            after={"status": DocumentStatus.CANCELADO},
            reason=document.status_reason,
        )
    return document


def document_pdf(document: OfficialDocument) -> bytes:
    """The signed PDF as issued (the same bytes every time)."""
    with storages["private"].open(document.storage_name, "rb") as stored:
        content: bytes = stored.read()
    return content
