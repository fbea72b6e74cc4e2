"""The Subcuenta de Vivienda in the administration, read-only: it is opened by `subaccount_open`, and its money
lives in the ledger (docs/sources.md#pockets); contributions come from the SUA feed (docs/feeds.md)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import admin
from django.db.models import QuerySet, Sum
from django.http import HttpRequest

from micuenta.core.admin_helpers import ReadOnlyAdmin, ReadOnlyTabularInline, RuleAdmin, pesos
from micuenta.core.periods import BIMESTRE_MONTHS
from micuenta.people.admin import worker_search
from micuenta.people.models import Worker
from micuenta.savings.models import Contribution, ContributionGap, HousingSubaccount, SubaccountPocket, YieldRate

# GLOSSARY.md: bimestre 1 = enero–febrero … 6 = noviembre–diciembre.


class SubaccountPocketInline(ReadOnlyTabularInline):
    model = SubaccountPocket
    fields = ("pocket", "account", "saldo")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[SubaccountPocket]:
        return super().get_queryset(request).select_related("account")

    @admin.display(description="saldo")
    def saldo(self, obj: SubaccountPocket) -> str | None:
        return pesos(obj.account.natural_balance)


@admin.register(HousingSubaccount)
class HousingSubaccountAdmin(ReadOnlyAdmin):
    list_display = ("worker_nss", "worker", "opened_on", "saldo")
    list_select_related = ("worker",)
    search_fields = worker_search("worker")
    date_hierarchy = "opened_on"
    ordering = ("-opened_on", "-id")
    fields = ("worker", "opened_on", "saldo")
    readonly_fields = ("saldo",)
    inlines = (SubaccountPocketInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[HousingSubaccount]:
        # Sum of the pockets' cached balances (debits minus credits) in the same query as the rows.
        return super().get_queryset(request).annotate(ledger_balance=Sum("pockets__account__balance"))

    @admin.display(description="NSS", ordering="worker__nss")
    def worker_nss(self, obj: HousingSubaccount) -> str:
        return obj.worker.nss

    @admin.display(description="saldo", ordering="ledger_balance")
    def saldo(self, obj: HousingSubaccount) -> str | None:
        # The pockets are liabilities: the saving a person sees is the credit balance, turned positive.
        balance: Decimal | None = getattr(obj, "ledger_balance", None)
        return pesos(Decimal("0.00") if balance is None else -balance)


@admin.register(SubaccountPocket)
class SubaccountPocketAdmin(ReadOnlyAdmin):
    list_display = ("worker", "pocket", "account", "saldo")
    list_filter = ("pocket",)
    list_select_related = ("subaccount__worker", "account")
    search_fields = (*worker_search("subaccount__worker"), "^account__code")
    ordering = ("subaccount", "pocket")
    fields = ("subaccount", "pocket", "account", "saldo")
    readonly_fields = ("saldo",)

    @admin.display(description="derechohabiente", ordering="subaccount__worker__primer_apellido")
    def worker(self, obj: SubaccountPocket) -> Worker:
        return obj.subaccount.worker

    @admin.display(description="saldo", ordering="account__balance")
    def saldo(self, obj: SubaccountPocket) -> str | None:
        return pesos(obj.account.natural_balance)


class BimestreFilter(admin.SimpleListFilter):
    """The six bimestres by name, without a SELECT DISTINCT over every contribution."""

    title = "bimestre"
    parameter_name = "bimestre"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin[Contribution]) -> list[tuple[str, str]]:
        return [(str(number), f"{number} ({months})") for number, months in BIMESTRE_MONTHS.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Contribution]) -> QuerySet[Contribution]:
        value = self.value()
        return queryset.filter(bimestre=int(value)) if value in {"1", "2", "3", "4", "5", "6"} else queryset


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = (
        "worker",
        "employer",
        "periodo",
        "days",
        "sbc_diario",
        "aportacion",
        "paid_on",
        "pocket",
    )
    list_filter = ("pocket", BimestreFilter, "year")
    list_select_related = ("worker", "employer")
    search_fields = (
        *worker_search("worker"),
        "^employer__registro_patronal",
        "employer__razon_social",
        "=folio_sua",
    )
    date_hierarchy = "paid_on"
    ordering = ("-year", "-bimestre", "-id")
    show_full_result_count = False  # one row per worker, employer and bimestre: no second COUNT(*)
    fieldsets = (
        (None, {"fields": ("worker", "employer", "year", "bimestre", "pocket")}),
        ("Pago (SUA)", {"fields": ("days", "sbc_diario", "aportacion", "paid_on", "folio_sua")}),
        ("Contabilidad", {"fields": ("transaction",)}),
    )
    readonly_fields = ("sbc_diario", "aportacion")

    @admin.display(description="bimestre", ordering="year")
    def periodo(self, obj: Contribution) -> str:
        return f"{obj.year}-{obj.bimestre}"

    @admin.display(description="SBC diario", ordering="sbc")
    def sbc_diario(self, obj: Contribution) -> str | None:
        return pesos(obj.sbc)

    @admin.display(description="aportación", ordering="amount")
    def aportacion(self, obj: Contribution) -> str | None:
        return pesos(obj.amount)


@admin.register(YieldRate)
class YieldRateAdmin(RuleAdmin):
    """The Consejo's annual rate, entered with its source; `manage.py post_yields --year N` reads it."""

    list_display = ("year", "valid_from", "rate", "confirmed", "source")
    fields = ("valid_from", "rate", "confirmed", "source")
    ordering = ("-valid_from",)


@admin.register(ContributionGap)
class ContributionGapAdmin(ReadOnlyAdmin):
    list_display = ("employer", "worker", "year", "bimestre", "days", "expected", "paid", "computed_at")
    list_select_related = ("worker", "employer")
    search_fields = (*worker_search("worker"), "^employer__registro_patronal", "employer__razon_social")
    ordering = ("-year", "-bimestre", "employer")
