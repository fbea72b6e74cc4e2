"""The registry of official documents: one row per document issued, the PDF it was, and how to verify it
(docs/documents.md)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class DocumentStatus(models.TextChoices):
    VIGENTE = "vigente", "Vigente"
    REEMPLAZADO = "reemplazado", "Reemplazado"
    CANCELADO = "cancelado", "Cancelado"


class DocumentFolioCounter(models.Model):
    """The last folio number given for a document type's prefix in a year (core.folios)."""

    prefix = models.CharField(max_length=5)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="documents_folio_counter_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class OfficialDocument(models.Model):
    """One official document as issued: its type, folio and verification code, what it is about, what it printed
    (masked, as the public verification page may show it), the PDF's SHA-256 and where the signed PDF is kept."""

    kind = models.CharField("tipo", max_length=40)
    title = models.CharField("título", max_length=200)
    folio = models.CharField(max_length=20, unique=True)
    code = models.CharField("código de verificación", max_length=12)
    issued_at = models.DateTimeField("emitido", default=timezone.now)
    # What the document is about: the worker (by id; the people package is not imported here) and the subject
    # row, e.g. ("credits.credit", "42").
    worker_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    subject_type = models.CharField(max_length=60, blank=True)
    subject_id = models.CharField(max_length=40, blank=True)
    # Everything the PDF shows, as issued (the figures it was made from), and the part the public page may show.
    data = models.JSONField(default=dict)
    printed = models.JSONField("datos que muestra la verificación", default=list)
    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveIntegerField(default=0)
    storage_name = models.CharField(max_length=300)
    status = models.CharField(max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.VIGENTE)
    replaced_by = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaces")
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "documento oficial"
        verbose_name_plural = "documentos oficiales"
        ordering = ("-issued_at", "-pk")
        indexes = [models.Index(fields=["subject_type", "subject_id", "kind"], name="documents_subject_idx")]

    def __str__(self) -> str:
        return f"{self.folio} · {self.title}"
