from __future__ import annotations

from typing import Any

from django import forms

from micuenta.core.forms import AccessibleFormMixin


class CodeForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(
        label="Código de verificación",
        max_length=24,
        help_text="Los 6 números que muestra tu aplicación de autenticación, o uno de tus códigos de recuperación.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages={"required": "Escribe el código de verificación."},
    )


class TotpConfirmForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(
        label="Código de verificación",
        max_length=12,
        help_text="Escribe los 6 números que muestra tu aplicación para Mi Cuenta.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": "Escribe el código de 6 números que muestra tu aplicación."},
    )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("El código tiene 6 números, sin letras. Revísalo en tu aplicación.")
        return code


class PasswordForm(AccessibleFormMixin, forms.Form):
    password = forms.CharField(
        label="Contraseña",
        strip=False,
        help_text="Por seguridad, confirma que eres tú.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Escribe tu contraseña."},
    )


class RemoveForm(PasswordForm):
    factor = forms.ChoiceField(
        label="¿Qué quieres quitar?",
        widget=forms.RadioSelect,
        error_messages={"required": "Elige qué quieres quitar.", "invalid_choice": "Elige qué quieres quitar."},
    )
    field_order = ["factor", "password"]

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["factor"].choices = choices  # type: ignore[attr-defined]
