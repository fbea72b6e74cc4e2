"""The "¿Y si pago más?" simulator of Mi crédito: an amount once and/or an extra every month, read from the query
string."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from micuenta.core.forms import AccessibleFormMixin
from micuenta.core.money import format_pesos

AMOUNT_ERRORS = {
    "invalid": "Escribe una cantidad en pesos, por ejemplo 5000 o 5000.50.",
    "min_value": "Escribe una cantidad mayor que cero.",
    "max_digits": "La cantidad es demasiado grande.",
    "max_decimal_places": "Escribe como máximo dos decimales (centavos).",
    "max_whole_digits": "La cantidad es demasiado grande.",
}


def _amount_field(label: str, help_text: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=False,
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        localize=False,
        error_messages=AMOUNT_ERRORS,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class ExtraPaymentForm(AccessibleFormMixin, forms.Form):
    una_vez = _amount_field("Un pago extra, una sola vez", "Va directo a capital. Por ejemplo, tu aguinaldo.")
    cada_mes = _amount_field("Un extra cada mes", "Lo que pagarías cada mes además de tu mensualidad.")

    def __init__(self, *args: Any, capital: Decimal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.capital = capital

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        once, monthly = cleaned.get("una_vez"), cleaned.get("cada_mes")
        if once is None and monthly is None and not self.errors:
            self.add_error("una_vez", "Escribe cuánto pagarías de más: una vez, cada mes o ambas.")
        if once is not None and once >= self.capital:
            self.add_error(
                "una_vez",
                f"Con {format_pesos(once)} cubrirías todo tu capital ({format_pesos(self.capital)}): "
                "revisa tu saldo para liquidar.",
            )
        return cleaned

    def amounts(self) -> tuple[Decimal, Decimal]:
        """The amount once and the amount every month; call only on a valid form."""
        zero = Decimal("0.00")
        return self.cleaned_data.get("una_vez") or zero, self.cleaned_data.get("cada_mes") or zero
