"""Employers (registro patronal) and employment relations as reported to the IMSS."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from micuenta.core import validators
from micuenta.people.models import STATE_CHOICES, Worker


class Employer(models.Model):
    registro_patronal = models.CharField(
        "registro patronal", max_length=11, unique=True, validators=[validators.registro_patronal]
    )
    rfc = models.CharField("RFC", max_length=13, db_index=True, validators=[validators.rfc])
    razon_social = models.CharField("razón social", max_length=200)
    # The IMSS movements feed names the employer only by registro patronal, razón social and RFC: an employer it
    # creates has no address until the employers' register supplies one.
    municipio = models.CharField("municipio", max_length=120, blank=True, default="")
    estado = models.CharField("estado", max_length=2, choices=STATE_CHOICES, blank=True, default="")
    created_at = models.DateTimeField("registrado", auto_now_add=True)

    class Meta:
        verbose_name = "patrón"
        verbose_name_plural = "patrones"

    def __str__(self) -> str:
        return f"{self.razon_social} ({self.registro_patronal})"


class WorkerType(models.TextChoices):
    PERMANENTE = "permanente", "Permanente"
    EVENTUAL = "eventual", "Eventual"


class EmploymentRelation(models.Model):
    """One period with one employer: from an alta (or reingreso) to its baja; open while current."""

    worker = models.ForeignKey(
        Worker, verbose_name="derechohabiente", on_delete=models.PROTECT, related_name="relations"
    )
    employer = models.ForeignKey(Employer, verbose_name="patrón", on_delete=models.PROTECT, related_name="relations")
    started_on = models.DateField("fecha de alta")
    ended_on = models.DateField("fecha de baja", null=True, blank=True)
    sbc = models.DecimalField("salario base de cotización diario", max_digits=10, decimal_places=2)
    worker_type = models.CharField(
        "tipo de trabajador", max_length=10, choices=WorkerType.choices, default=WorkerType.PERMANENTE
    )

    class Meta:
        verbose_name = "relación laboral"
        verbose_name_plural = "relaciones laborales"
        indexes = (
            models.Index(fields=("worker", "started_on"), name="employment_worker_alta"),
            models.Index(fields=("employer", "started_on"), name="employment_employer_alta"),
        )
        constraints = (
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="employment_baja_after_alta",
            ),
            models.CheckConstraint(condition=Q(sbc__gt=0), name="employment_sbc_positive"),
        )

    def __str__(self) -> str:
        return f"{self.employer_id} {self.started_on}–{self.ended_on or 'vigente'}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class MovementType(models.TextChoices):
    ALTA = "ALTA", "Alta"
    BAJA = "BAJA", "Baja"
    MODIFICACION = "MODIFICACION", "Modificación de salario"
    REINGRESO = "REINGRESO", "Reingreso"


class EmploymentMovement(models.Model):
    """A movement as the IMSS reported it; the relation is its running result."""

    relation = models.ForeignKey(
        EmploymentRelation, verbose_name="relación laboral", on_delete=models.PROTECT, related_name="movements"
    )
    kind = models.CharField("tipo de movimiento", max_length=12, choices=MovementType.choices)
    effective_on = models.DateField("fecha")
    sbc = models.DecimalField("SBC diario", max_digits=10, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = "movimiento afiliatorio"
        verbose_name_plural = "movimientos afiliatorios"
        ordering = ("relation", "effective_on", "id")
        indexes = (models.Index(fields=("relation", "effective_on"), name="employment_movement_rel_date"),)
        # The same movement reported twice is one movement: a replayed feed adds nothing.
        constraints = (
            models.UniqueConstraint(fields=("relation", "kind", "effective_on"), name="employment_movement_once"),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on}"
