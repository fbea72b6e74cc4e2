"""What each feed file did: one run per processing of a file, with its summary and its quarantined lines."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import models
from django.utils import timezone

# A run that has not moved for this long is shown as interrupted (its process ended without finishing it).
STALE_AFTER = timedelta(minutes=10)


class FeedKind(models.TextChoices):
    EMPLOYMENT = "imss_movimientos", "Movimientos afiliatorios del IMSS"
    EMPLOYER_PAYMENTS = "sua_pagos", "Pagos bimestrales de los patrones (SUA)"
    BANK_PAYMENTS = "pagos_bancarios", "Pagos directos a créditos (bancos y establecimientos)"


# How each total of a run is named to people (the command's summary, the back office).
TOTAL_LABELS = {
    "aportaciones": "Aportaciones registradas",
    "amortizaciones": "Amortizaciones registradas",
    "pagos_credito": "Pagos a créditos registrados",
}


class RunStatus(models.TextChoices):
    RUNNING = "en_proceso", "En proceso"
    DONE = "terminada", "Terminada"
    UNREADABLE = "ilegible", "No se pudo leer"


class ImportRun(models.Model):
    kind = models.CharField("archivo", max_length=20, choices=FeedKind.choices)
    file_name = models.CharField("nombre del archivo", max_length=255)
    file_sha256 = models.CharField("SHA-256 del archivo", max_length=64, blank=True)
    status = models.CharField("estado", max_length=12, choices=RunStatus.choices, default=RunStatus.RUNNING)
    started_at = models.DateTimeField("inicio", default=timezone.now)
    updated_at = models.DateTimeField("último avance", auto_now=True)
    finished_at = models.DateTimeField("fin", null=True, blank=True)
    lines = models.PositiveIntegerField("líneas", default=0)
    posted = models.PositiveIntegerField("registradas", default=0)
    duplicates = models.PositiveIntegerField("ya registradas", default=0)
    repeated_in_file = models.PositiveIntegerField("repetidas en el archivo", default=0)
    quarantined = models.PositiveIntegerField("en cuarentena", default=0)
    # Totals in pesos of what was posted, as strings of Decimal ("aportaciones": "1234.50" …).
    totals = models.JSONField("totales", default=dict, blank=True)
    error = models.TextField("motivo", blank=True)

    class Meta:
        verbose_name = "carga de archivo"
        verbose_name_plural = "cargas de archivos"
        ordering = ("-started_at", "-id")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name}"

    @property
    def interrupted(self) -> bool:
        return self.status == RunStatus.RUNNING and timezone.now() - self.updated_at > STALE_AFTER

    @property
    def labelled_totals(self) -> list[tuple[str, Decimal]]:
        """The run's totals as (label, pesos), in a fixed order."""
        return [(TOTAL_LABELS.get(name, name), Decimal(value)) for name, value in sorted(self.totals.items())]

    @property
    def status_label(self) -> str:
        return "Interrumpida" if self.interrupted else self.get_status_display()


class QuarantinedLine(models.Model):
    """A line that was not posted, with its number in the file and the reason, for staff to fix and resend."""

    run = models.ForeignKey(ImportRun, verbose_name="carga", on_delete=models.CASCADE, related_name="quarantine")
    line_number = models.PositiveIntegerField("línea")
    code = models.CharField("clave del motivo", max_length=40)
    reason = models.CharField("motivo", max_length=400)
    raw = models.TextField("contenido de la línea")

    class Meta:
        verbose_name = "línea en cuarentena"
        verbose_name_plural = "líneas en cuarentena"
        ordering = ("run", "line_number")
        constraints = (models.UniqueConstraint(fields=("run", "line_number"), name="feeds_quarantine_line_once"),)

    def __str__(self) -> str:
        return f"línea {self.line_number}: {self.reason}"
