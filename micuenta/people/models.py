"""The worker (derechohabiente) as the fund knows them."""

from __future__ import annotations

from datetime import date

from django.db import models

from micuenta.core import validators
from micuenta.core.identifiers import CURP_STATES

# Ley del Seguro Social of 1997 took effect on 1 July 1997: who contributed before is "Ley 73" (docs/sources.md#ley-73).
LEY_97_START = date(1997, 7, 1)


class Sex(models.TextChoices):
    HOMBRE = "H", "Hombre"
    MUJER = "M", "Mujer"


class WorkerStatus(models.TextChoices):
    ACTIVO = "activo", "Activo"
    PENSIONADO = "pensionado", "Pensionado"
    FALLECIDO = "fallecido", "Fallecido"


class PensionRegime(models.TextChoices):
    LEY_73 = "73", "Ley 73"
    LEY_97 = "97", "Ley 97"


class Afore(models.TextChoices):
    AZTECA = "azteca", "Afore Azteca"
    CITIBANAMEX = "citibanamex", "Afore Citibanamex"
    COPPEL = "coppel", "Afore Coppel"
    INBURSA = "inbursa", "Afore Inbursa"
    INVERCAP = "invercap", "Afore Invercap"
    PENSIONISSSTE = "pensionissste", "PensionISSSTE"
    PRINCIPAL = "principal", "Principal Afore"
    PROFUTURO = "profuturo", "Profuturo Afore"
    SURA = "sura", "Afore SURA"
    XXI_BANORTE = "xxi_banorte", "Afore XXI Banorte"


STATE_CHOICES = [(code, code) for code in sorted(CURP_STATES)]


class Worker(models.Model):
    nss = models.CharField("NSS", max_length=11, unique=True, validators=[validators.nss])
    curp = models.CharField("CURP", max_length=18, unique=True, validators=[validators.curp])
    rfc = models.CharField("RFC", max_length=13, db_index=True, validators=[validators.rfc_persona_fisica])
    nombre = models.CharField("nombre(s)", max_length=100)
    primer_apellido = models.CharField("primer apellido", max_length=100)
    segundo_apellido = models.CharField("segundo apellido", max_length=100, blank=True)
    fecha_nacimiento = models.DateField("fecha de nacimiento")
    sexo = models.CharField("sexo", max_length=1, choices=Sex.choices)
    entidad_nacimiento = models.CharField("entidad de nacimiento", max_length=2, choices=STATE_CHOICES)
    afore = models.CharField("Afore", max_length=20, choices=Afore.choices, blank=True)
    first_contribution_on = models.DateField("primera cotización al IMSS", null=True, blank=True)
    status = models.CharField("estado", max_length=12, choices=WorkerStatus.choices, default=WorkerStatus.ACTIVO)
    created_at = models.DateTimeField("registrado", auto_now_add=True)

    class Meta:
        verbose_name = "derechohabiente"
        verbose_name_plural = "derechohabientes"

    def __str__(self) -> str:
        return self.nombre_completo

    def clean(self) -> None:
        # Identifiers are stored as the institutions print them: upper case, no spaces.
        self.nss = self.nss.strip()
        self.curp = self.curp.strip().upper()
        self.rfc = self.rfc.strip().upper()

    @property
    def nombre_completo(self) -> str:
        return " ".join(p for p in (self.nombre, self.primer_apellido, self.segundo_apellido) if p)

    @property
    def pension_regime(self) -> PensionRegime | None:
        """Ley 73 when the first contribution came before 1 July 1997, else Ley 97; None without contributions."""
        if self.first_contribution_on is None:
            return None
        return PensionRegime.LEY_73 if self.first_contribution_on < LEY_97_START else PensionRegime.LEY_97


class WorkerCorrection(models.Model):
    """A correction of a worker's name, CURP or RFC: the value before and after, and the case that proved it.
    Append-only (database triggers). It holds identifiers in clear, as the worker's own row does; the audit trail
    records the change without them."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="corrections")
    field = models.CharField("dato", max_length=20)
    old_value = models.CharField("antes", max_length=300)
    new_value = models.CharField("después", max_length=300)
    reference = models.CharField("trámite", max_length=30)
    corrected_at = models.DateTimeField("corregido", auto_now_add=True)

    class Meta:
        verbose_name = "corrección de datos"
        verbose_name_plural = "correcciones de datos"
        ordering = ("corrected_at", "pk")

    def __str__(self) -> str:
        return f"{self.field} ({self.reference})"
