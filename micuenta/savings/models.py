"""The Subcuenta de Vivienda and its pockets (docs/sources.md#pockets); money lives in the ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import models

from micuenta.core.money import MoneyField
from micuenta.core.policies import EffectiveDated
from micuenta.ledger.kinds import LedgerKind
from micuenta.ledger.models import Account, Transaction
from micuenta.people.models import Worker


class Pocket(models.TextChoices):
    FONDO_72_92 = "fondo_72_92", "Fondo de Ahorro 1972-1992"
    VIVIENDA_92 = "vivienda_92", "Subcuenta de Vivienda 92"
    VIVIENDA_97 = "vivienda_97", "Subcuenta de Vivienda 97"
    SOLO_INFONAVIT = "solo_infonavit", "Solo Infonavit"


# Periods of each pocket (docs/sources.md#pockets); Solo Infonavit holds voluntary and RISS contributions at any date.
POCKET_PERIODS: dict[str, tuple[date, date | None]] = {
    Pocket.FONDO_72_92: (date(1972, 5, 1), date(1992, 2, 29)),
    Pocket.VIVIENDA_92: (date(1992, 3, 1), date(1997, 6, 30)),
    Pocket.VIVIENDA_97: (date(1997, 7, 1), None),
}
# The Fondo de Ahorro 1972-1992 earns no yields (law in force at the time; docs/sources.md#pockets).
POCKETS_WITH_YIELD = frozenset({Pocket.VIVIENDA_92, Pocket.VIVIENDA_97, Pocket.SOLO_INFONAVIT})


def pocket_for_contribution(day: date) -> Pocket:
    """The pocket an employer contribution for a period starting on `day` belongs to."""
    for pocket, (start, end) in POCKET_PERIODS.items():
        if start <= day and (end is None or day <= end):
            return Pocket(pocket)
    raise ValueError(f"no housing contributions existed on {day}")


class HousingSubaccount(models.Model):
    worker = models.OneToOneField(
        Worker, verbose_name="derechohabiente", on_delete=models.PROTECT, related_name="subaccount"
    )
    opened_on = models.DateField("abierta el")

    class Meta:
        verbose_name = "Subcuenta de Vivienda"
        verbose_name_plural = "Subcuentas de Vivienda"

    def __str__(self) -> str:
        return f"Subcuenta de Vivienda de {self.worker_id}"


class SubaccountPocket(models.Model):
    subaccount = models.ForeignKey(
        HousingSubaccount, verbose_name="subcuenta", on_delete=models.PROTECT, related_name="pockets"
    )
    pocket = models.CharField("bolsa", max_length=20, choices=Pocket.choices)
    account = models.OneToOneField(
        Account, verbose_name="cuenta contable", on_delete=models.PROTECT, related_name="savings_pocket"
    )

    class Meta:
        verbose_name = "bolsa de la subcuenta"
        verbose_name_plural = "bolsas de la subcuenta"
        constraints = (models.UniqueConstraint(fields=("subaccount", "pocket"), name="savings_one_pocket_each"),)

    def __str__(self) -> str:
        return self.get_pocket_display()


class Contribution(models.Model):
    """One line of an employer's bimonthly payment (SUA) for one worker: the 5 % housing contribution and, for a
    borrower, the credit deduction paid with it."""

    worker = models.ForeignKey(
        Worker, verbose_name="derechohabiente", on_delete=models.PROTECT, related_name="contributions"
    )
    employer = models.ForeignKey(
        "employment.Employer", verbose_name="patrón", on_delete=models.PROTECT, related_name="contributions"
    )
    year = models.PositiveSmallIntegerField("año")
    bimestre = models.PositiveSmallIntegerField("bimestre")
    days = models.PositiveSmallIntegerField("días cotizados")
    sbc = models.DecimalField("SBC diario", max_digits=10, decimal_places=2)
    amount = models.DecimalField("aportación", max_digits=14, decimal_places=2)
    paid_on = models.DateField("fecha de pago")
    folio_sua = models.CharField("folio SUA", max_length=40, blank=True)
    deduction = MoneyField("amortización de crédito", default=Decimal("0.00"), db_default=Decimal("0.00"))
    numero_credito = models.CharField("número de crédito", max_length=10, blank=True, default="", db_default="")
    import_run = models.ForeignKey(
        "feeds.ImportRun",
        verbose_name="carga",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    pocket = models.CharField("bolsa", max_length=20, choices=Pocket.choices, default=Pocket.VIVIENDA_97)
    transaction = models.ForeignKey(
        "ledger.Transaction", verbose_name="asiento", on_delete=models.PROTECT, related_name="contributions"
    )

    class Meta:
        verbose_name = "aportación patronal"
        verbose_name_plural = "aportaciones patronales"
        constraints = (
            # One line per worker, employer, bimestre and SUA payment: a complementary payment has its own folio.
            models.UniqueConstraint(
                fields=("worker", "employer", "year", "bimestre", "folio_sua"), name="savings_contribution_once"
            ),
            models.CheckConstraint(condition=models.Q(bimestre__gte=1, bimestre__lte=6), name="savings_bimestre_1_6"),
        )
        indexes = (
            models.Index(fields=("worker", "year", "bimestre"), name="savings_contrib_worker_period"),
            models.Index(fields=("employer", "year", "bimestre"), name="savings_contrib_employer_per"),
            models.Index(fields=("paid_on",), name="savings_contrib_paid_on"),
            models.Index(fields=("year", "bimestre"), name="savings_contrib_period"),
        )

    def __str__(self) -> str:
        return f"{self.year}-{self.bimestre} {self.amount}"


class YieldRate(EffectiveDated):
    """The annual yield of the Subcuenta de Vivienda for one calendar year, as the Consejo set it
    (docs/sources.md#yields): an effective-dated rule (micuenta.core.policies) whose rows start on 1 January. A year
    without its own row has no rate: yields are not credited at the previous year's (`savings.yields.rate_for`)."""

    rate = models.DecimalField("tasa anual", max_digits=7, decimal_places=4, help_text="Por ejemplo 0.0736")
    confirmed = models.BooleanField(
        "confirmada", default=False, help_text="Falso mientras la tasa no se haya encontrado publicada."
    )

    policy_name = "tasa de rendimiento"

    class Meta:
        verbose_name = "tasa de rendimiento"
        verbose_name_plural = "tasas de rendimiento"
        ordering = ("valid_from",)
        constraints = (
            models.CheckConstraint(condition=models.Q(rate__gte=0, rate__lt=1), name="savings_yield_rate_range"),
            models.CheckConstraint(
                condition=models.Q(valid_from__month=1, valid_from__day=1),
                name="savings_yield_rate_from_january",
                violation_error_message="La tasa de un año rige desde el 1 de enero de ese año.",
            ),
        )

    def __str__(self) -> str:
        return f"{self.year}: {self.rate:.2%}"

    @property
    def year(self) -> int:
        return self.valid_from.year

    def is_applied(self) -> bool:
        """Yields of this year have been credited at this rate."""
        return Transaction.objects.filter(kind=LedgerKind.YIELD, effective_date__year=self.year).exists()


class ContributionGap(models.Model):
    """A bimestre whose contribution is missing or short, as last computed (savings.gaps), for the back office."""

    worker = models.ForeignKey(Worker, verbose_name="derechohabiente", on_delete=models.CASCADE, related_name="+")
    employer = models.ForeignKey(
        "employment.Employer", verbose_name="patrón", on_delete=models.CASCADE, related_name="contribution_gaps"
    )
    year = models.PositiveSmallIntegerField("año")
    bimestre = models.PositiveSmallIntegerField("bimestre")
    days = models.PositiveSmallIntegerField("días con relación laboral")
    expected = MoneyField("aportación esperada")
    paid = MoneyField("aportación pagada")
    computed_at = models.DateTimeField("calculado")

    class Meta:
        verbose_name = "aportación omitida"
        verbose_name_plural = "aportaciones omitidas"
        constraints = (
            models.UniqueConstraint(fields=("worker", "employer", "year", "bimestre"), name="savings_gap_once"),
        )
        indexes = (models.Index(fields=("employer", "year", "bimestre"), name="savings_gap_employer_period"),)

    def __str__(self) -> str:
        return f"{self.employer_id} {self.year}-{self.bimestre}"


class GapCheck(models.Model):
    """The bimestre the stored gaps were checked through: when a payment file brings a later one, all are
    recomputed."""

    cut = models.DateField("revisado hasta el bimestre que empieza el", null=True)
    refreshed_at = models.DateTimeField("recalculado")

    class Meta:
        verbose_name = "cálculo de aportaciones omitidas"
        verbose_name_plural = "cálculos de aportaciones omitidas"

    def __str__(self) -> str:
        return f"corte {self.cut}"
