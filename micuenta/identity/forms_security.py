"""Mi perfil → Seguridad: the forms to change the password, the e-mail address and the mobile number."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from micuenta.core.forms import AccessibleFormMixin
from micuenta.identity.forms import CodeForm as RegistrationCodeForm
from micuenta.identity.models import User
from micuenta.identity.passwords import validate_new_password
from micuenta.notifications.services import normalize_mobile

WRONG_CURRENT_TEXT = "La contraseña actual no es correcta. Revisa que la escribiste bien."
EMAIL_NOT_USABLE = "No podemos usar ese correo electrónico para tu cuenta. Escribe otro."

LENGTH_ADVICE = (
    "Te recomendamos 12 caracteres o más; por ejemplo, tres o cuatro palabras que puedas recordar. "
    "Mínimo 8. No puede contener tu NSS, CURP, RFC, nombre ni correo electrónico."
)


def _current_password_field() -> forms.CharField:
    return forms.CharField(
        label="Contraseña actual",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Escribe tu contraseña actual."},
    )


class CurrentPasswordMixin:
    """Checks "Contraseña actual" against the account. A wrong one is marked with the code "wrong_password"."""

    user: User

    def clean_current_password(self) -> str:
        password: str = self.cleaned_data["current_password"]  # type: ignore[attr-defined]
        if not self.user.check_password(password):
            raise ValidationError(WRONG_CURRENT_TEXT, code="wrong_password")
        return password

    def has_wrong_password(self) -> bool:
        return bool(self.has_error("current_password", code="wrong_password"))  # type: ignore[attr-defined]


class PasswordChangeForm(CurrentPasswordMixin, AccessibleFormMixin, forms.Form):
    current_password = _current_password_field()
    new_password = forms.CharField(
        label="Contraseña nueva",
        strip=False,
        help_text=LENGTH_ADVICE,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Escribe tu contraseña nueva."},
    )
    new_password_confirm = forms.CharField(
        label="Confirma tu contraseña nueva",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Escribe otra vez tu contraseña nueva."},
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_password(self) -> str:
        new: str = self.cleaned_data["new_password"]
        validate_new_password(new, self.user)
        if self.user.check_password(new):
            raise ValidationError("La contraseña nueva debe ser distinta de la actual.", code="password_unchanged")
        return new

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        new = cleaned.get("new_password")
        again = cleaned.get("new_password_confirm")
        if new and again is not None and new != again:
            self.add_error(
                "new_password_confirm",
                ValidationError("Las dos contraseñas nuevas no son iguales. Escríbelas otra vez.", code="mismatch"),
            )
        return cleaned


class EmailChangeForm(CurrentPasswordMixin, AccessibleFormMixin, forms.Form):
    new_email = forms.EmailField(
        label="Correo electrónico nuevo",
        max_length=254,
        help_text="Te enviaremos ahí un código de confirmación.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Escribe tu correo electrónico nuevo.",
            "invalid": "Escribe un correo electrónico válido, por ejemplo nombre@correo.com.",
        },
    )
    current_password = _current_password_field()

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_email(self) -> str:
        email = str(self.cleaned_data["new_email"]).strip().lower()
        if email == self.user.email.lower():
            raise ValidationError("Ese ya es el correo electrónico de tu cuenta. Escribe otro.", code="same")
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Whether another account uses the address is answered only to someone who gave the right password.
        email = cleaned.get("new_email")
        if email and "current_password" in cleaned and User.objects.by_email(email).exclude(pk=self.user.pk).exists():
            self.add_error("new_email", ValidationError(EMAIL_NOT_USABLE, code="not_usable"))
        return cleaned


class MobileChangeForm(CurrentPasswordMixin, AccessibleFormMixin, forms.Form):
    new_mobile = forms.CharField(
        label="Número de celular nuevo",
        max_length=20,
        help_text="10 dígitos, sin el 52 del país; por ejemplo 55 1234 5678. Te enviaremos ahí un código por SMS.",
        widget=forms.TextInput(attrs={"autocomplete": "tel-national", "inputmode": "tel", "type": "tel"}),
        error_messages={"required": "Escribe tu número de celular nuevo."},
    )
    current_password = _current_password_field()

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_mobile(self) -> str:
        mobile = normalize_mobile(str(self.cleaned_data["new_mobile"]))
        if mobile == self.user.mobile:
            raise ValidationError("Ese ya es el número de celular de tu cuenta. Escribe otro.", code="same")
        return mobile


class CodeForm(RegistrationCodeForm):
    """A code sent to the person: six digits, checked for their shape before any try is counted."""


class DeletionPasswordForm(CurrentPasswordMixin, AccessibleFormMixin, forms.Form):
    """Eliminar mi cuenta en línea, first step: the current password before a code is sent."""

    current_password = _current_password_field()

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
