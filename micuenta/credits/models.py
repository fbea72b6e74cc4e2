"""Credits granted by the fund (docs/credits.md); their balance lives in the ledger."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.db.models.functions import Round

from micuenta.core import validators
from micuenta.core.money import MoneyField
from micuenta.core.policies import EffectiveDated
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
    # Where the servicing engine posts: interest and charges (insurance, fees) owed but not yet paid, and what
    # the borrower paid beyond what is owed. Created with the first accrual or payment that needs them.
    interest_account = models.OneToOneField(
        Account,
        verbose_name="intereses por cobrar",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    charges_account = models.OneToOneField(
        Account,
        verbose_name="seguros y cuotas por cobrar",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    excess_account = models.OneToOneField(
        Account, verbose_name="saldo a favor", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_off_on = models.DateField("fecha de liquidación", null=True, blank=True)

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


class PaymentSource(models.TextChoices):
    NOMINA = "nomina", "Descuento de nómina (pago del patrón)"
    APORTACION = "aportacion", "Aportación patronal aplicada a capital"
    DIRECTO = "directo", "Pago directo"


class PaymentChannel(models.TextChoices):
    SUA = "sua", "Pago del patrón (SUA)"
    VENTANILLA = "ventanilla", "Depósito en ventanilla bancaria"
    SPEI = "spei", "Transferencia SPEI"
    TIENDA = "tienda", "Establecimiento autorizado"


class UnitUpdate(models.Model):
    """Yearly update of VSM credits (docs/sources.md#vsm-update): each January the balance and the payment in pesos grow
    by this factor (the lesser of the salario mínimo and UMA increases, or what the Consejo set)."""

    year = models.PositiveSmallIntegerField("año", unique=True)
    factor = models.DecimalField("aumento", max_digits=7, decimal_places=5, help_text="0.03150 es 3.15 %")
    confirmed = models.BooleanField("confirmado", default=False)
    source = models.CharField("fuente", max_length=400)

    class Meta:
        verbose_name = "actualización anual de créditos en VSM"
        verbose_name_plural = "actualizaciones anuales de créditos en VSM"
        ordering = ("year",)

    def __str__(self) -> str:
        return f"{self.year}: {self.factor * 100:.2f} %"

    def is_applied(self) -> bool:
        """Some mensualidad of a credit in VSM has been issued in this year, valued with this factor."""
        return Instalment.objects.filter(period__year=self.year, unit_value__isnull=False).exists()


class ChargeRate(EffectiveDated):
    """The yearly rates of a credit's seguro de daños and cuota de administración over the amount granted, charged
    a twelfth with each mensualidad, in force from `valid_from` (micuenta.core.policies). Staff enter a new row, with
    its source, when the fund publishes or changes them (docs/credits.md, "Seguro y cuotas")."""

    damage_insurance = models.DecimalField(
        "seguro de daños (tasa anual)", max_digits=7, decimal_places=5, help_text="0.00250 es 0.25 % al año"
    )
    administration_fee = models.DecimalField(
        "cuota de administración (tasa anual)", max_digits=7, decimal_places=5, help_text="0 si no se cobra"
    )
    confirmed = models.BooleanField(
        "confirmada", default=False, help_text="Falso mientras las tasas no se hayan encontrado publicadas."
    )

    policy_name = "tasas de seguro de daños y cuota de administración"

    class Meta:
        verbose_name = "tasas de seguro y cuota de los créditos"
        verbose_name_plural = "tasas de seguro y cuota de los créditos"
        ordering = ("valid_from",)
        constraints = (
            models.CheckConstraint(
                condition=Q(damage_insurance__gte=0, damage_insurance__lt=1)
                & Q(administration_fee__gte=0, administration_fee__lt=1),
                name="credits_charge_rate_range",
            ),
        )

    def is_applied(self) -> bool:
        """Some mensualidad has been charged at these rates (a month from this row's date to the next row's)."""
        later = ChargeRate.objects.filter(valid_from__gt=self.valid_from).order_by("valid_from").first()
        months = Instalment.objects.filter(period__gte=self.valid_from)
        if later is not None:
            months = months.filter(period__lt=later.valid_from)
        return months.exists()

    def __str__(self) -> str:
        insurance, fee = self.damage_insurance * 100, self.administration_fee * 100
        return f"Desde {self.valid_from:%d/%m/%Y}: seguro de daños {insurance:.3f} %, cuota {fee:.3f} %"


class Instalment(models.Model):
    """The mensualidad of one month: what was charged (interest, insurance, fees) and what capital fell due, and
    how much of each has been paid. Issued on the first day of the month by the accrual (`accrue_credits`)."""

    credit = models.ForeignKey(Credit, verbose_name="crédito", on_delete=models.PROTECT, related_name="instalments")
    period = models.DateField("mes", help_text="Primer día del mes")
    number = models.PositiveSmallIntegerField("número de mensualidad")
    due_date = models.DateField("fecha límite de pago")
    opening_capital = MoneyField("capital al inicio del mes")
    capital_update = MoneyField("actualización del saldo (VSM)", default=Decimal("0.00"))
    unit_value = models.DecimalField("valor mensual del VSM", max_digits=12, decimal_places=4, null=True, blank=True)
    interest = MoneyField("intereses")
    insurance = MoneyField("seguro de daños")
    fees = MoneyField("cuota de administración")
    capital_due = MoneyField("capital de la mensualidad")
    paid_charges = MoneyField("pagado de seguro y cuotas", default=Decimal("0.00"))
    paid_interest = MoneyField("pagado de intereses", default=Decimal("0.00"))
    paid_capital = MoneyField("pagado de capital", default=Decimal("0.00"))
    transaction = models.ForeignKey(
        "ledger.Transaction",
        verbose_name="asiento",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "mensualidad"
        verbose_name_plural = "mensualidades"
        ordering = ("credit", "period")
        constraints = (
            models.UniqueConstraint(fields=("credit", "period"), name="credits_instalment_one_per_month"),
            models.CheckConstraint(
                condition=Q(paid_charges__lte=Round(models.F("insurance") + models.F("fees"), 2))
                & Q(paid_interest__lte=models.F("interest"))
                & Q(paid_capital__lte=models.F("capital_due"))
                & Q(paid_charges__gte=0, paid_interest__gte=0, paid_capital__gte=0),
                name="credits_instalment_paid_within_due",
            ),
        )

    def __str__(self) -> str:
        return f"Mensualidad {self.number} de {self.credit_id} ({self.period:%m/%Y})"

    @property
    def charges(self) -> Decimal:
        return self.insurance + self.fees

    @property
    def amount(self) -> Decimal:
        return self.interest + self.charges + self.capital_due

    @property
    def paid(self) -> Decimal:
        return self.paid_charges + self.paid_interest + self.paid_capital

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.paid


class CreditPayment(models.Model):
    """A payment received for a credit and how it was applied (docs/credits.md: the order)."""

    credit = models.ForeignKey(Credit, verbose_name="crédito", on_delete=models.PROTECT, related_name="payments")
    key = models.CharField("clave de idempotencia", max_length=200, unique=True)
    source = models.CharField("origen", max_length=12, choices=PaymentSource.choices)
    channel = models.CharField("canal", max_length=12, choices=PaymentChannel.choices)
    reference = models.CharField("referencia", max_length=60, blank=True, default="")
    paid_on = models.DateField("fecha de pago", db_index=True)
    amount = MoneyField("importe")
    to_charges = MoneyField("a seguro y cuotas", default=Decimal("0.00"))
    to_interest = MoneyField("a intereses", default=Decimal("0.00"))
    to_capital = MoneyField("a capital", default=Decimal("0.00"))
    to_excess = MoneyField("a saldo a favor", default=Decimal("0.00"))
    transaction = models.ForeignKey(
        "ledger.Transaction", verbose_name="asiento", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("registrado", auto_now_add=True)

    class Meta:
        verbose_name = "pago al crédito"
        verbose_name_plural = "pagos al crédito"
        ordering = ("credit", "paid_on", "id")
        indexes = (models.Index(fields=("credit", "paid_on"), name="credits_payment_credit_day"),)
        constraints = (
            models.CheckConstraint(condition=Q(amount__gt=0), name="credits_payment_positive"),
            models.CheckConstraint(
                # ROUND: SQLite adds NUMERIC columns as doubles.
                condition=Q(
                    amount=Round(
                        models.F("to_charges")
                        + models.F("to_interest")
                        + models.F("to_capital")
                        + models.F("to_excess"),
                        2,
                    )
                ),
                name="credits_payment_fully_applied",
            ),
        )

    def __str__(self) -> str:
        return f"Pago {self.key} ({self.amount})"


class Statement(models.Model):
    """The monthly estado de cuenta of a credit, as generated (batch or on demand); figures in pesos."""

    credit = models.ForeignKey(Credit, verbose_name="crédito", on_delete=models.PROTECT, related_name="statements")
    period = models.DateField("mes", help_text="Primer día del mes")
    cutoff = models.DateField("fecha de corte")
    opening_balance = MoneyField("saldo inicial")
    payment_due = MoneyField("mensualidad")
    interest = MoneyField("intereses")
    charges = MoneyField("seguros y cargos")
    capital_update = MoneyField("actualización del saldo (VSM)")
    payments = MoneyField("pagos")
    capital_paid = MoneyField("capital pagado")
    closing_balance = MoneyField("saldo final")
    excess_balance = MoneyField("saldo a favor al corte")
    generated_at = models.DateTimeField("generado", auto_now_add=True)

    class Meta:
        verbose_name = "estado de cuenta mensual"
        verbose_name_plural = "estados de cuenta mensuales"
        ordering = ("credit", "-period")
        constraints = (models.UniqueConstraint(fields=("credit", "period"), name="credits_statement_one_per_month"),)

    def __str__(self) -> str:
        return f"Estado de cuenta {self.credit_id} {self.period:%m/%Y}"

    @property
    def capital_due(self) -> Decimal:
        """The capital part of the month's mensualidad (the rest is its interest and its seguros y cargos)."""
        return self.payment_due - self.interest - self.charges


class InterestYear(models.Model):
    """The inputs of a credit's Constancia de Intereses for one closed fiscal year, as computed from the ledger
    (`manage.py generate_constancias` or the first request), with the real interest they give (RLISR art. 257;
    docs/documents.md). The figures are recomputed from these inputs, so the page, the PDF and the verification
    always agree."""

    credit = models.ForeignKey(Credit, verbose_name="crédito", on_delete=models.PROTECT, related_name="interest_years")
    year = models.PositiveSmallIntegerField("ejercicio")
    computed_at = models.DateTimeField("calculado", auto_now_add=True)
    first_month = models.PositiveSmallIntegerField("primer mes del periodo")
    last_month = models.PositiveSmallIntegerField("último mes del periodo")
    month_end_balances = models.JSONField("saldos al fin de cada mes (pesos, como texto)")
    nominal_accrued = MoneyField("intereses nominales devengados")
    nominal_paid = MoneyField("intereses nominales pagados")
    inpc_last = models.DecimalField("INPC del último mes", max_digits=10, decimal_places=3)
    inpc_before_first = models.DecimalField("INPC del mes anterior al primero", max_digits=10, decimal_places=3)
    balance_at_start = MoneyField("saldo insoluto al inicio")
    udi_at_start = models.DecimalField("UDI de ese día", max_digits=12, decimal_places=6)
    real_interest = MoneyField("intereses reales deducibles")

    class Meta:
        verbose_name = "intereses del ejercicio"
        verbose_name_plural = "intereses por ejercicio"
        constraints = (models.UniqueConstraint(fields=("credit", "year"), name="credits_interest_one_per_year"),)

    def __str__(self) -> str:
        return f"Intereses {self.year} del crédito {self.credit_id}"
