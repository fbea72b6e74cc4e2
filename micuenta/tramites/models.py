"""Trámites: a case (`Case`, «solicitud») of a declared kind for one worker, its folio, its steps and its papers.

Every change of a case's status is a row of `CaseEvent` (append-only), written with the change in one
transaction by `micuenta.tramites.services.case_transition`. The kinds and their state machines live in
`micuenta.tramites.registry` and `micuenta.tramites.kinds` (docs/tramites.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class Status(models.TextChoices):
    RECIBIDA = "recibida", "Recibida"
    EN_REVISION = "en_revision", "En revisión"
    INFO_REQUERIDA = "info_requerida", "Necesitamos más información"
    POR_CONFIRMAR = "por_confirmar", "Aprobada, en confirmación"
    APROBADA = "aprobada", "Aprobada"
    RECHAZADA = "rechazada", "Rechazada"
    CANCELADA = "cancelada", "Cancelada"


OPEN_STATUSES = frozenset({Status.RECIBIDA, Status.EN_REVISION, Status.INFO_REQUERIDA, Status.POR_CONFIRMAR})
CLOSED_STATUSES = frozenset({Status.APROBADA, Status.RECHAZADA, Status.CANCELADA})


class RejectionReason(models.TextChoices):
    """The catalogue a rejection picks from; the analyst adds, in free text, what to fix."""

    DOCUMENTO_ILEGIBLE = "documento_ilegible", "Un documento no se puede leer"
    DOCUMENTO_NO_CORRESPONDE = "documento_no_corresponde", "Un documento no corresponde a lo que se pide"
    DOCUMENTO_FALTANTE = "documento_faltante", "Falta un documento"
    DATOS_NO_COINCIDEN = "datos_no_coinciden", "Los datos no coinciden con los documentos"
    YA_CORRECTO = "ya_correcto", "El dato ya está correcto en nuestro registro"
    OTRO = "otro", "Otro motivo"


class FolioCounter(models.Model):
    """The last folio number given for a kind's prefix in a year. Locked (SELECT … FOR UPDATE) while a case is
    created, in the same transaction: a rolled-back creation gives its number back, so folios have no gaps."""

    prefix = models.CharField(max_length=5)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="tramites_folio_counter_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class SlaRule(models.Model):
    """How many business days the fund takes to answer a kind of trámite, from a date, with its public source.
    Staff keep it in the administration; a case's due date is fixed when it is filed."""

    kind = models.CharField("trámite", max_length=40)
    valid_from = models.DateField("vigente desde")
    business_days = models.PositiveSmallIntegerField("días hábiles para responder")
    source = models.CharField("fuente", max_length=300)

    class Meta:
        verbose_name = "plazo de respuesta"
        verbose_name_plural = "plazos de respuesta"
        constraints = [models.UniqueConstraint(fields=["kind", "valid_from"], name="tramites_sla_rule_unique")]
        ordering = ("kind", "valid_from")

    def __str__(self) -> str:
        return f"{self.kind} desde {self.valid_from:%d/%m/%Y}: {self.business_days} días hábiles"


class Case(models.Model):
    folio = models.CharField(max_length=20, unique=True)
    kind = models.CharField("trámite", max_length=40)
    worker = models.ForeignKey("people.Worker", on_delete=models.PROTECT, related_name="tramites")
    status = models.CharField("estado", max_length=20, choices=Status.choices, default=Status.RECIBIDA)
    data = models.JSONField("lo que se pide", default=dict)
    submitted_at = models.DateTimeField("presentada", default=timezone.now)
    due_on = models.DateField("fecha límite de respuesta")
    overdue_at = models.DateTimeField("vencida desde", null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=30, choices=RejectionReason.choices, blank=True)
    rejection_text = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "solicitud"
        verbose_name_plural = "solicitudes"
        constraints = [
            # One open case per kind and person: a second one is refused (services say where the first is).
            models.UniqueConstraint(
                fields=["worker", "kind"], condition=Q(closed_at__isnull=True), name="tramites_one_open_per_kind"
            ),
            # Four eyes: whoever confirms a decision is never whoever made it.
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=F("decided_by")),
                name="tramites_four_eyes",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "status", "submitted_at"], name="tramites_queue"),
            models.Index(fields=["worker", "submitted_at"], name="tramites_of_worker"),
            models.Index(fields=["status", "due_on"], name="tramites_due"),
        ]

    def __str__(self) -> str:
        return self.folio

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseEvent(models.Model):
    """One step of a case: who, when, from → to, why. Append-only (database triggers)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor_kind = models.CharField(max_length=12)
    # Staff only (their accounts are deactivated, never deleted); a person's step names no account, which the
    # person may delete and make again: the case is the worker's.
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"


class CaseMessage(models.Model):
    """A message in a case: staff asking for information, the person answering."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="messages")
    at = models.DateTimeField(default=timezone.now)
    # The person's online account may be deleted and made again: the message stays with the case.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    from_staff = models.BooleanField(default=False)
    text = models.TextField()

    class Meta:
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"mensaje {self.pk}"


class CaseDocument(models.Model):
    """A paper attached to a case (docs/uploads.md): stored privately, by an unguessable name, with its SHA-256."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requirement = models.CharField("qué comprueba", max_length=40, blank=True)
    name = models.CharField("nombre", max_length=130)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=200, unique=True)
    scan = models.CharField("análisis antivirus", max_length=15)

    class Meta:
        ordering = ("uploaded_at", "pk")

    def __str__(self) -> str:
        return self.name
