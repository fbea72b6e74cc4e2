from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from micuenta.core.forms import AccessibleFormMixin

GENERIC_LOGIN_ERROR = (
    "El correo electrónico o la contraseña no son correctos. Revisa que los escribiste bien e inténtalo de nuevo."
)


class LoginForm(AccessibleFormMixin, AuthenticationForm):
    """E-mail and password; one generic message for any wrong combination."""

    username = forms.EmailField(
        label="Correo electrónico",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True, "spellcheck": "false"}),
        error_messages={
            "required": "Escribe tu correo electrónico.",
            "invalid": "Escribe un correo electrónico válido, por ejemplo nombre@correo.com.",
        },
    )
    password = forms.CharField(
        label="Contraseña",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Escribe tu contraseña."},
    )

    # The same words for an unknown account, a wrong password and an inactive account.
    error_messages = {"invalid_login": GENERIC_LOGIN_ERROR, "inactive": GENERIC_LOGIN_ERROR}

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()
