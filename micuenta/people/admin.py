"""Workers in the administration: staff may look, never edit.

The fund's records of people, employers, savings and credits arrive from the IMSS and SUA feeds and are changed
by services only (docs/feeds.md), so these pages have no add, change or delete permission. `worker_search` is
shared by the admin pages of employment, savings and credits.
"""

from __future__ import annotations

from django.contrib import admin

from micuenta.core.admin_helpers import ReadOnlyAdmin
from micuenta.people.models import Worker


def worker_search(path: str) -> tuple[str, ...]:
    """search_fields for the worker at `path`: NSS, CURP and RFC by prefix, names by any part."""
    return (
        f"^{path}__nss",
        f"^{path}__curp",
        f"^{path}__rfc",
        f"{path}__nombre",
        f"{path}__primer_apellido",
        f"{path}__segundo_apellido",
    )


@admin.register(Worker)
class WorkerAdmin(ReadOnlyAdmin):
    list_display = (
        "nss",
        "curp",
        "rfc",
        "nombre_completo",
        "fecha_nacimiento",
        "sexo",
        "entidad_nacimiento",
        "afore",
        "regimen",
        "status",
    )
    list_filter = ("status", "sexo", "afore", "entidad_nacimiento")
    search_fields = ("^nss", "^curp", "^rfc", "nombre", "primer_apellido", "segundo_apellido")  # as worker_search
    ordering = ("primer_apellido", "segundo_apellido", "nombre", "id")
    readonly_fields = ("regimen", "created_at")
    fieldsets = (
        ("Identificación", {"fields": ("nss", "curp", "rfc")}),
        (
            "Datos personales",
            {
                "fields": (
                    "nombre",
                    "primer_apellido",
                    "segundo_apellido",
                    "fecha_nacimiento",
                    "sexo",
                    "entidad_nacimiento",
                )
            },
        ),
        ("Seguridad social", {"fields": ("afore", "first_contribution_on", "regimen", "status", "created_at")}),
    )

    @admin.display(description="nombre completo", ordering="primer_apellido")
    def nombre_completo(self, obj: Worker) -> str:
        return obj.nombre_completo

    @admin.display(description="régimen", ordering="first_contribution_on")
    def regimen(self, obj: Worker) -> str | None:
        regime = obj.pension_regime
        return None if regime is None else regime.label
