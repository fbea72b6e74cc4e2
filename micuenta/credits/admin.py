"""Credits in the administration, read-only: they are granted and serviced by services, and their balance lives in
the ledger (docs/credits.md)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import admin
from django.utils.formats import number_format

from micuenta.core.admin_helpers import ReadOnlyAdmin, RuleAdmin, pesos
from micuenta.credits.models import ChargeRate, Credit, CreditPayment, Instalment, UnitUpdate
from micuenta.people.admin import worker_search


def percent(rate: Decimal) -> str:
    """An annual rate stored as a fraction (0.0350) as "3.50 %"."""
    return number_format(rate * 100, decimal_pos=2, use_l10n=True) + " %"


@admin.register(Credit)
class CreditAdmin(ReadOnlyAdmin):
    list_display = (
        "numero_credito",
        "worker",
        "product",
        "denomination",
        "monto_otorgado",
        "tasa",
        "term_months",
        "origination_date",
        "regime",
        "status",
        "saldo",
    )
    list_filter = ("status", "product", "denomination", "regime", "estado")
    list_select_related = ("worker", "account")
    search_fields = ("^numero_credito", *worker_search("worker"))
    date_hierarchy = "origination_date"
    ordering = ("-origination_date", "-id")
    fieldsets = (
        (None, {"fields": ("numero_credito", "worker", "co_borrower", "product", "status")}),
        (
            "Condiciones",
            {
                "fields": (
                    "denomination",
                    "monto_otorgado",
                    "amount_granted_vsm",
                    "tasa",
                    "term_months",
                    "origination_date",
                    "regime",
                    "discount_type",
                    "discount_value",
                )
            },
        ),
        ("Saldo", {"fields": ("account", "saldo")}),
        ("Vivienda", {"fields": ("calle_numero", "colonia", "municipio", "estado", "codigo_postal")}),
    )
    readonly_fields = ("monto_otorgado", "tasa", "saldo")

    @admin.display(description="monto otorgado", ordering="amount_granted")
    def monto_otorgado(self, obj: Credit) -> str | None:
        return pesos(obj.amount_granted)

    @admin.display(description="tasa anual", ordering="annual_rate")
    def tasa(self, obj: Credit) -> str:
        return percent(obj.annual_rate)

    @admin.display(description="saldo", ordering="account__balance")
    def saldo(self, obj: Credit) -> str | None:
        return pesos(obj.account.natural_balance)


@admin.register(UnitUpdate)
class UnitUpdateAdmin(RuleAdmin):
    """The yearly factor of credits in VSM, entered with its source; `manage.py accrue_credits` applies it each
    January and refuses an unconfirmed one unless told."""

    list_display = ("year", "factor", "confirmed", "source")
    fields = ("year", "factor", "confirmed", "source")
    ordering = ("-year",)


@admin.register(ChargeRate)
class ChargeRateAdmin(RuleAdmin):
    """The yearly rates of the seguro de daños and the cuota de administración, each row in force from its date and
    entered with its source; the accrual charges the row in force in each month."""

    list_display = ("valid_from", "damage_insurance", "administration_fee", "confirmed", "source")
    fields = ("valid_from", "damage_insurance", "administration_fee", "confirmed", "source")
    ordering = ("-valid_from",)


@admin.register(Instalment)
class InstalmentAdmin(ReadOnlyAdmin):
    list_display = ("credit", "period", "number", "due_date", "interest", "insurance", "capital_due", "pagado")
    list_select_related = ("credit",)
    search_fields = ("^credit__numero_credito",)
    date_hierarchy = "period"
    ordering = ("-period", "credit")

    @admin.display(description="pagado")
    def pagado(self, obj: Instalment) -> str | None:
        return pesos(obj.paid)


@admin.register(CreditPayment)
class CreditPaymentAdmin(ReadOnlyAdmin):
    list_display = ("credit", "paid_on", "source", "channel", "amount", "to_charges", "to_interest", "to_capital",
                    "to_excess")  # fmt: skip
    list_filter = ("source", "channel")
    list_select_related = ("credit",)
    search_fields = ("^credit__numero_credito", "reference")
    date_hierarchy = "paid_on"
    ordering = ("-paid_on", "-id")
