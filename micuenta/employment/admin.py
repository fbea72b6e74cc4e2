"""Employers and employment relations in the administration, read-only: they come from the IMSS afiliación feed
(docs/feeds.md)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from micuenta.core.admin_helpers import ReadOnlyAdmin, ReadOnlyTabularInline, pesos
from micuenta.employment.models import Employer, EmploymentMovement, EmploymentRelation
from micuenta.people.admin import worker_search
from micuenta.people.models import Worker


@admin.register(Employer)
class EmployerAdmin(ReadOnlyAdmin):
    list_display = ("registro_patronal", "razon_social", "rfc", "municipio", "estado")
    list_filter = ("estado",)
    search_fields = ("^registro_patronal", "^rfc", "razon_social")
    ordering = ("razon_social", "id")
    readonly_fields = ("created_at",)
    fields = ("registro_patronal", "razon_social", "rfc", "municipio", "estado", "created_at")


class CurrentFilter(admin.SimpleListFilter):
    title = "vigencia"
    parameter_name = "vigente"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin[EmploymentRelation]) -> list[tuple[str, str]]:
        return [("si", "Vigente"), ("no", "Terminada")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[EmploymentRelation]) -> QuerySet[EmploymentRelation]:
        if self.value() == "si":
            return queryset.filter(ended_on__isnull=True)
        if self.value() == "no":
            return queryset.filter(ended_on__isnull=False)
        return queryset


class EmploymentMovementInline(ReadOnlyTabularInline):
    model = EmploymentMovement
    fields = ("effective_on", "kind", "sbc_diario")
    readonly_fields = fields
    show_change_link = False

    @admin.display(description="SBC diario")
    def sbc_diario(self, obj: EmploymentMovement) -> str | None:
        return pesos(obj.sbc)


@admin.register(EmploymentRelation)
class EmploymentRelationAdmin(ReadOnlyAdmin):
    list_display = ("worker", "employer", "started_on", "ended_on", "sbc_diario", "worker_type", "vigente")
    list_filter = (CurrentFilter, "worker_type")
    list_select_related = ("worker", "employer")
    search_fields = (
        *worker_search("worker"),
        "^employer__registro_patronal",
        "employer__razon_social",
    )
    date_hierarchy = "started_on"
    ordering = ("-started_on", "-id")
    fields = ("worker", "employer", "started_on", "ended_on", "sbc_diario", "worker_type")
    readonly_fields = ("sbc_diario",)
    inlines = (EmploymentMovementInline,)

    @admin.display(description="SBC diario", ordering="sbc")
    def sbc_diario(self, obj: EmploymentRelation) -> str | None:
        return pesos(obj.sbc)

    @admin.display(description="vigente", boolean=True)
    def vigente(self, obj: EmploymentRelation) -> bool:
        return obj.is_current


@admin.register(EmploymentMovement)
class EmploymentMovementAdmin(ReadOnlyAdmin):
    list_display = ("effective_on", "kind", "worker", "employer", "sbc_diario")
    list_filter = ("kind",)
    list_select_related = ("relation__worker", "relation__employer")
    search_fields = (
        *worker_search("relation__worker"),
        "^relation__employer__registro_patronal",
        "relation__employer__razon_social",
    )
    date_hierarchy = "effective_on"
    ordering = ("-effective_on", "-id")
    show_full_result_count = False  # one row per IMSS movement: no second COUNT(*)
    fields = ("relation", "kind", "effective_on", "sbc_diario")
    readonly_fields = ("sbc_diario",)

    @admin.display(description="derechohabiente", ordering="relation__worker__primer_apellido")
    def worker(self, obj: EmploymentMovement) -> Worker:
        return obj.relation.worker

    @admin.display(description="patrón", ordering="relation__employer__razon_social")
    def employer(self, obj: EmploymentMovement) -> Employer:
        return obj.relation.employer

    @admin.display(description="SBC diario", ordering="sbc")
    def sbc_diario(self, obj: EmploymentMovement) -> str | None:
        return pesos(obj.sbc)
