"""Reference data with effective dates: UMA, salario mínimo, UMI, INPC, UDI and official holidays.

Rows change only by migration, loaded from the files in `micuenta/core/data/` (each row keeps its source; citations
in `data/sources.csv`). Read them through `micuenta.core.reference` and `micuenta.core.calendar`, never directly:
those lookups know the effective-date rules and cache per process.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from micuenta.core.money import MoneyField
from micuenta.core.policies import EffectiveDated

Zone = Literal["general", "zlfn"]


class Uma(EffectiveDated):
    """Unidad de Medida y Actualización (INEGI), in force from `valid_from` until the next row.

    From 2017 each value is in force from 1 February to 31 January (Ley para Determinar el Valor de la UMA, art. 5);
    the first one from 28-Jan-2016, when the desindexación decree took effect. Monthly = daily × 30.4 and
    annual = monthly × 12, as published (micuenta/core/data/README.md).
    """

    year = models.PositiveSmallIntegerField("año", unique=True)
    daily = MoneyField("valor diario")
    monthly = MoneyField("valor mensual")
    annual = MoneyField("valor anual")

    cache_in_process = True
    policy_name = "valor de la UMA"

    class Meta:
        verbose_name = "UMA"
        verbose_name_plural = "UMA"
        ordering = ("valid_from",)

    def __str__(self) -> str:
        return f"UMA {self.year}: {self.daily} diarios"


class MinimumWage(EffectiveDated):
    """Salario mínimo general and that of the Zona Libre de la Frontera Norte (CONASAMI), in force from 1 January."""

    general = MoneyField("general (diario)")
    zlfn = MoneyField("Zona Libre de la Frontera Norte (diario)")

    cache_in_process = True
    policy_name = "salario mínimo"

    class Meta:
        verbose_name = "salario mínimo"
        verbose_name_plural = "salarios mínimos"
        ordering = ("valid_from",)

    def __str__(self) -> str:
        return f"Salario mínimo desde {self.valid_from:%d/%m/%Y}: {self.general} general, {self.zlfn} ZLFN"

    def for_zone(self, zone: Zone) -> Decimal:
        """The daily minimum wage of `zone`: "general" or "zlfn" (Zona Libre de la Frontera Norte)."""
        if zone == "general":
            return self.general
        if zone == "zlfn":
            return self.zlfn
        raise ValueError(f"Zona de salario mínimo desconocida: {zone!r} (use «general» o «zlfn»).")


class Umi(EffectiveDated):
    """Unidad Mixta Infonavit, for credits granted in VSM; in force from 1 January (docs/sources.md#umi)."""

    daily = MoneyField("valor diario")
    monthly = MoneyField("valor mensual")
    annual = MoneyField("valor anual")

    cache_in_process = True
    policy_name = "valor de la UMI"

    class Meta:
        verbose_name = "UMI"
        verbose_name_plural = "UMI"
        ordering = ("valid_from",)

    def __str__(self) -> str:
        return f"UMI desde {self.valid_from:%d/%m/%Y}: {self.daily} diarios"


class Inpc(models.Model):
    """Índice Nacional de Precios al Consumidor (INEGI), monthly, base 2ª quincena de julio de 2018 = 100."""

    year = models.PositiveSmallIntegerField("año")
    month = models.PositiveSmallIntegerField("mes")
    value = models.DecimalField("índice", max_digits=10, decimal_places=3)
    source = models.CharField("fuente", max_length=300)

    class Meta:
        verbose_name = "INPC mensual"
        verbose_name_plural = "INPC mensual"
        ordering = ("year", "month")
        constraints = (
            models.UniqueConstraint(fields=("year", "month"), name="core_inpc_one_per_month"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="core_inpc_month_1_12"),
        )

    def __str__(self) -> str:
        return f"INPC {self.month:02d}/{self.year}: {self.value}"


class Udi(models.Model):
    """Unidad de Inversión (Banco de México), one value for every calendar day."""

    date = models.DateField("fecha", unique=True)
    value = models.DecimalField("valor (pesos)", max_digits=12, decimal_places=6)
    source = models.CharField("fuente", max_length=300)

    class Meta:
        verbose_name = "UDI"
        verbose_name_plural = "UDI"
        ordering = ("date",)

    def __str__(self) -> str:
        return f"UDI {self.date:%d/%m/%Y}: {self.value}"


class HolidayKind(models.TextChoices):
    LEY = "ley", "Descanso obligatorio (LFT art. 74)"
    BANCARIO = "bancario", "Cierre bancario (CNBV)"


class Holiday(models.Model):
    """An official non-working day: LFT art. 74 rest day (`ley`) or CNBV bank closure (`bancario`)."""

    date = models.DateField("fecha")
    name = models.CharField("nombre", max_length=120)
    kind = models.CharField("tipo", max_length=10, choices=HolidayKind.choices)
    rule = models.CharField("regla", max_length=300, blank=True)
    source = models.CharField("fuente", max_length=300)

    class Meta:
        verbose_name = "día inhábil"
        verbose_name_plural = "días inhábiles"
        ordering = ("date", "kind")
        constraints = (models.UniqueConstraint(fields=("date", "kind"), name="core_holiday_one_per_date_and_kind"),)

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name} ({self.get_kind_display()})"


class AuditEvent(models.Model):
    """One change of a person's data, of a status or of money: who, what, before → after, why (append-only).

    Written by services in the same database transaction as the change (`micuenta.core.audit`). Never holds an
    identifier in clear (NSS, CURP, RFC, e-mail, phone, CLABE): a service records masked values or database ids.
    The actor's address is kept as its network and its session as a digest, as in the security history.
    """

    created_at = models.DateTimeField("fecha", default=timezone.now, db_index=True)
    actor_kind = models.CharField("quién (tipo)", max_length=10)
    actor_user_id = models.BigIntegerField("cuenta que actuó", null=True, blank=True, db_index=True)
    actor_job = models.CharField("proceso", max_length=80, blank=True, default="")
    actor_network = models.CharField("red", max_length=50, blank=True, default="")
    actor_device = models.CharField("dispositivo", max_length=120, blank=True, default="")
    actor_session = models.CharField("sesión (huella)", max_length=16, blank=True, default="")
    action = models.CharField("acción", max_length=60, db_index=True)
    subject_type = models.CharField("sobre (tipo)", max_length=60)
    subject_id = models.CharField("sobre (id)", max_length=60)
    worker_id = models.BigIntegerField("derechohabiente", null=True, blank=True, db_index=True)
    before = models.JSONField("antes", default=dict, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField("después", default=dict, blank=True, encoder=DjangoJSONEncoder)
    reason = models.CharField("motivo", max_length=500, blank=True, default="")

    class Meta:
        verbose_name = "evento de auditoría"
        verbose_name_plural = "eventos de auditoría"
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=("subject_type", "subject_id"), name="core_audit_subject"),)

    def __str__(self) -> str:
        return f"{self.action} {self.subject_type}:{self.subject_id} ({self.created_at:%Y-%m-%d %H:%M})"
