"""The filter of "Resumen de movimientos": type of movement and a date range, read from the query string."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from micuenta.core.forms import AccessibleFormMixin
from micuenta.savings.selectors import MOVEMENT_TYPES, MovementFilter

# An <input type="date"> sends AAAA-MM-DD; a browser without a date picker lets people type dd/mm/aaaa.
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATE_ERROR = "Escribe una fecha válida, por ejemplo 31/12/2025."
EARLIEST = date(1972, 5, 1)  # the first housing contributions (docs/sources.md#pockets)


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_ERROR},
    )


class MovementFilterForm(AccessibleFormMixin, forms.Form):
    tipo = forms.ChoiceField(
        label="Tipo de movimiento",
        required=False,
        choices=[("", "Todos"), *MOVEMENT_TYPES.items()],
        error_messages={"invalid_choice": "Elige un tipo de movimiento de la lista."},
    )
    desde = _date_field("Desde")
    hasta = _date_field("Hasta")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("desde"), cleaned.get("hasta")
        for name in ("desde", "hasta"):
            value = cleaned.get(name)
            if value is not None and value < EARLIEST:
                self.add_error(name, f"No hay movimientos antes del {EARLIEST:%d/%m/%Y}.")
        if start and end and start > end and not self.has_error("hasta"):
            self.add_error("hasta", "«Hasta» debe ser el mismo día que «Desde» o uno posterior.")
        return cleaned

    def movement_filter(self) -> MovementFilter:
        """The selectors' filter; call only on a valid form."""
        data = self.cleaned_data
        kind = data.get("tipo") or ""
        return MovementFilter(kinds=(kind,) if kind else (), date_from=data.get("desde"), date_to=data.get("hasta"))
