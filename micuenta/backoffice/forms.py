"""Forms of the CESI back office; every message in Spanish, every field through core/_field.html."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from micuenta.backoffice.models import DocumentType
from micuenta.backoffice.services import DOCUMENT_NUMBER, REASON_MIN_LENGTH, document_number_normalize
from micuenta.core.forms import AccessibleFormMixin
from micuenta.identity.models import User
from micuenta.notifications.services import normalize_mobile

GENERIC_LOGIN_ERROR = (
    "El correo electrónico o la contraseña no son correctos, o tu cuenta no tiene acceso a la validación de "
    "identidad. Revisa tus datos e inténtalo de nuevo."
)

# What must never be written in a reason: NSS, CURP, RFC, e-mail addresses and phone numbers.
IDENTIFIER_PATTERNS = (
    re.compile(r"\d[\d\s-]{8,}\d"),  # NSS, phone numbers
    re.compile(r"\b[A-Z]{4}\d{6}[HMX][A-Z]{5}[A-Z0-9]\d\b", re.IGNORECASE),  # CURP
    re.compile(r"\b[A-ZÑ&]{3,4}\d{6}[A-Z0-9]{3}\b", re.IGNORECASE),  # RFC
    re.compile(r"\S+@\S+"),  # e-mail
)


class LoginForm(AccessibleFormMixin, forms.Form):
    username = forms.EmailField(
        label="Correo electrónico",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True, "spellcheck": "false"}),
        error_messages={
            "required": "Escribe tu correo electrónico institucional.",
            "invalid": "Escribe un correo electrónico válido, por ejemplo nombre@correo.com.",
        },
    )
    password = forms.CharField(
        label="Contraseña",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Escribe tu contraseña."},
    )

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()


class WorkerSearchForm(AccessibleFormMixin, forms.Form):
    identificador = forms.CharField(
        label="NSS o CURP",
        max_length=30,
        help_text="El NSS tiene 11 dígitos; la CURP, 18 caracteres.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
        error_messages={"required": "Escribe el NSS o la CURP del derechohabiente."},
    )

    def clean_identificador(self) -> str:
        value = "".join(str(self.cleaned_data["identificador"]).split()).upper()
        if not ((len(value) == 11 and value.isdigit()) or (len(value) == 18 and value.isalnum())):
            raise ValidationError(
                "Escribe un NSS de 11 dígitos o una CURP de 18 caracteres.", code="invalid_identifier"
            )
        return value


class IdCheckForm(AccessibleFormMixin, forms.Form):
    document_type = forms.ChoiceField(
        label="Identificación oficial revisada",
        choices=[("", "Elige el tipo de identificación"), *DocumentType.choices],
        error_messages={"required": "Elige el tipo de identificación que revisaste."},
    )
    number = forms.CharField(
        label="Número de la identificación",
        max_length=40,
        help_text="Solo se guardan los últimos 4 caracteres.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Escribe el número de la identificación que revisaste."},
    )

    def clean_number(self) -> str:
        value = document_number_normalize(str(self.cleaned_data["number"]))
        if not DOCUMENT_NUMBER.fullmatch(value):
            raise ValidationError("El número debe tener de 4 a 30 letras o dígitos.", code="invalid_number")
        return value


class ReasonForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label="Motivo",
        max_length=500,
        help_text=(
            f"Mínimo {REASON_MIN_LENGTH} caracteres. Se guarda en la bitácora y se envía a la persona. "
            "No escribas NSS, CURP, RFC, correos ni teléfonos."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Escribe el motivo de la acción."},
    )

    def clean_reason(self) -> str:
        value = " ".join(str(self.cleaned_data["reason"]).split())
        if len(value) < REASON_MIN_LENGTH:
            raise ValidationError(
                f"Escribe un motivo más claro, de al menos {REASON_MIN_LENGTH} caracteres.", code="reason_too_short"
            )
        if any(pattern.search(value) for pattern in IDENTIFIER_PATTERNS):
            raise ValidationError(
                "El motivo no debe incluir NSS, CURP, RFC, correos ni teléfonos. Descríbelo sin esos datos.",
                code="reason_has_identifier",
            )
        return value


class UnlockForm(ReasonForm):
    pass


class MfaResetForm(ReasonForm):
    confirm = forms.BooleanField(
        label="La persona ya no tiene su aplicación, su llave de acceso ni sus códigos de recuperación.",
        error_messages={"required": "Confirma que la persona perdió todos sus métodos de verificación."},
    )


class DeleteAccountForm(ReasonForm):
    confirm = forms.BooleanField(
        label="La persona pidió eliminar su cuenta en línea y entiende que deberá registrarse de nuevo.",
        error_messages={"required": "Confirma que la persona pidió eliminar su cuenta en línea."},
    )


class ContactChangeForm(ReasonForm):
    email = forms.EmailField(
        label="Nuevo correo electrónico",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"invalid": "Escribe un correo electrónico válido, por ejemplo nombre@correo.com."},
    )
    mobile = forms.CharField(
        label="Nuevo número de celular",
        required=False,
        max_length=20,
        help_text="10 dígitos, sin el 52 del país.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel", "type": "tel"}),
    )

    field_order = ("email", "mobile", "reason")

    def __init__(self, *args: Any, account: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account = account

    def clean_email(self) -> str | None:
        value = str(self.cleaned_data.get("email") or "").strip().lower()
        if not value:
            return None
        taken = User.objects.by_email(value)
        if self.account is not None:
            taken = taken.exclude(pk=self.account.pk)
        if taken.exists():
            raise ValidationError("Ese correo electrónico ya está registrado en otra cuenta.", code="email_in_use")
        return value

    def clean_mobile(self) -> str | None:
        value = str(self.cleaned_data.get("mobile") or "").strip()
        if not value:
            return None
        return normalize_mobile(value)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and cleaned.get("email") is None and cleaned.get("mobile") is None:
            raise ValidationError("Escribe el nuevo correo electrónico, el nuevo celular o ambos.", code="empty")
        return cleaned


class AuditFilterForm(AccessibleFormMixin, forms.Form):
    desde = forms.DateField(
        label="Desde",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Escribe la fecha como AAAA-MM-DD."},
    )
    hasta = forms.DateField(
        label="Hasta",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Escribe la fecha como AAAA-MM-DD."},
    )
    personal = forms.ModelChoiceField(
        label="Personal",
        required=False,
        queryset=User.objects.none(),
        empty_label="Todo el personal",
        error_messages={"invalid_choice": "Elige a alguien de la lista."},
    )

    def __init__(self, *args: Any, staff_choices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["personal"]
        if staff_choices is not None:
            field.queryset = staff_choices
        field.label_from_instance = lambda u: u.get_full_name() or f"Cuenta {u.pk}"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("desde"), cleaned.get("hasta")
        if start and end and start > end:
            raise ValidationError("La fecha «Desde» debe ser anterior o igual a «Hasta».", code="range")
        return cleaned
