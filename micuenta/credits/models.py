"""Credits granted by the fund (DOMAIN.md §5.5, §7); their balance lives in the ledger."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from micuenta.core import validators
from micuenta.core.money import MoneyField
from micuenta.ledger.models import Account
from micuenta.people.models import STATE_CHOICES, Worker


class Product(models.TextChoices):
    TRADICIONAL = "tradicional", "Crédito Infonavit"
    INFONAVIT_TOTAL = "infonavit_total", "Infonavit Total"
    COFINAVIT = "cofinavit", "Cofinavit"
    UNAMOS = "unamos", "Unamos Créditos"
    CONYUGAL = "conyugal", "Crédito conyugal"
    SEGUNDO_CREDITO = "segundo_credito", "Tu 2do Crédito Infonavit"
    MEJORAVIT = "mejoravit", "Mejoravit"


class Denomination(models.TextChoices):
    PESOS = "pesos", "Pesos"
    VSM = "vsm", "Veces salario mínimo (VSM)"


class Regime(models.TextChoices):
    ROA = "ROA", "Régimen Ordinario de Amortización (descuento por nómina)"
    REA = "REA", "Régimen Especial de Amortización (pago directo)"


class DiscountType(models.TextChoices):
    PORCENTAJE = "porcentaje", "Porcentaje del salario"
    CUOTA_FIJA = "cuota_fija", "Cuota fija"
    FACTOR = "factor", "Factor de descuento"


class CreditStatus(models.TextChoices):
    EN_TRAMITE = "en_tramite", "En trámite"
    VIGENTE = "vigente", "Vigente"
    PRORROGA = "prorroga", "En prórroga"
    FPP = "fpp", "Fondo de Protección de Pagos"
    EN_COBRANZA = "en_cobranza", "En cobranza"
    LIQUIDADO = "liquidado", "Liquidado"
    CANCELADO = "cancelado", "Cancelado"


class Credit(models.Model):
    numero_credito = models.CharField(
        "número de crédito", max_length=10, unique=True, validators=[validators.numero_credito]
    )
    worker = models.ForeignKey(Worker, verbose_name="acreditado", on_delete=models.PROTECT, related_name="credits")
    co_borrower = models.ForeignKey(
        Worker,
        verbose_name="coacreditado",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="co_credits",
    )
    product = models.CharField("producto", max_length=20, choices=Product.choices)
    denomination = models.CharField("denominación", max_length=5, choices=Denomination.choices)
    amount_granted = MoneyField("monto otorgado (pesos)")
    amount_granted_vsm = models.DecimalField(
        "monto otorgado (VSM)", max_digits=12, decimal_places=4, null=True, blank=True
    )
    annual_rate = models.DecimalField("tasa anual", max_digits=7, decimal_places=4, help_text="Por ejemplo 0.0350")
    term_months = models.PositiveSmallIntegerField("plazo (meses)")
    origination_date = models.DateField("fecha de formalización")
    regime = models.CharField("régimen", max_length=3, choices=Regime.choices)
    discount_type = models.CharField("tipo de descuento", max_length=10, choices=DiscountType.choices)
    discount_value = models.DecimalField("valor del descuento", max_digits=12, decimal_places=4)
    status = models.CharField("estado", max_length=12, choices=CreditStatus.choices, default=CreditStatus.VIGENTE)
    account = models.OneToOneField(
        Account, verbose_name="cuenta contable del saldo", on_delete=models.PROTECT, related_name="credit"
    )
    calle_numero = models.CharField("calle y número", max_length=200)
    colonia = models.CharField("colonia", max_length=120)
    municipio = models.CharField("municipio", max_length=120)
    estado = models.CharField("estado", max_length=2, choices=STATE_CHOICES)
    codigo_postal = models.CharField("código postal", max_length=5)

    class Meta:
        verbose_name = "crédito"
        verbose_name_plural = "créditos"
        constraints = (
            models.CheckConstraint(condition=Q(amount_granted__gt=0), name="credits_amount_positive"),
            models.CheckConstraint(condition=Q(term_months__gte=12, term_months__lte=360), name="credits_term_1_30y"),
            models.CheckConstraint(
                condition=Q(denomination="pesos") | Q(amount_granted_vsm__isnull=False), name="credits_vsm_amount"
            ),
        )

    def __str__(self) -> str:
        return f"Crédito {self.numero_credito}"
