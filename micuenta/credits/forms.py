"""The "¿Y si pago más?" simulator of Mi crédito: an amount once and/or an extra every month, read from the query
string."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms

from micuenta.core.forms import AccessibleFormMixin
from micuenta.core.money import format_pesos

AMOUNT_ERRORS = {
    "invalid": "Escribe una cantidad en pesos con cifras del 0 al 9, por ejemplo 5000, 5,000.50 o $5,000.",
    "min_value": "Escribe una cantidad mayor que cero.",
    "max_digits": "La cantidad es demasiado grande.",
    "max_decimal_places": "Escribe como máximo dos decimales (centavos).",
    "max_whole_digits": "La cantidad es demasiado grande.",
}


# Pesos as the site writes them ("$1,000.50", docs/ui.md) or plain ("1000.50"): ASCII digits only, thousands
# separated by commas in groups of three, decimals after a point (how many: the field says). A minus sign is read,
# so that the field can say the amount must be more than zero.
PESOS_RE = re.compile(r"-?\$?\s*(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")


class PesosField(forms.DecimalField):
    """A DecimalField that also reads the site's own format ("$1,000.50") and refuses digits that are not 0–9
    (Python's Decimal would read "١٠٠٠" or full-width "１０００")."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # DecimalField returns a Decimal
        if isinstance(value, str):
            text = value.strip()
            if text and not PESOS_RE.fullmatch(text):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            value = text.replace("$", "").replace(",", "").strip()
        return super().to_python(value)


def _amount_field(label: str, help_text: str) -> forms.DecimalField:
    return PesosField(
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
