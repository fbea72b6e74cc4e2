from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe

from micuenta.core import validators
from micuenta.core.forms import AccessibleFormMixin
from micuenta.identity.challenge import CHALLENGE_FAILED, ChallengeField, ChallengeFormMixin, challenge_check
from micuenta.identity.models import User
from micuenta.identity.passwords import validate_new_password
from micuenta.notifications.services import normalize_mobile

GENERIC_LOGIN_ERROR = (
    "El correo electrónico, el NSS o la contraseña no son correctos. Revisa que los escribiste bien e inténtalo "
    "de nuevo. Si no recuerdas tu contraseña, usa «Olvidé mi contraseña»."
)
SECURITY_LOCKED_ERROR = (
    "Tu cuenta está bloqueada por seguridad. Para desbloquearla crea una contraseña nueva con «Olvidé mi "
    "contraseña», o acude a un Centro de Servicio Infonavit (CESI) con una identificación oficial."
)


STAFF_DOOR_ERROR = mark_safe(
    "Esta entrada es para derechohabientes y acreditados. Si trabajas en un CESI, entra en "
    '<a href="/cesi/iniciar-sesion/">Validación de identidad (CESI)</a>; si administras el portal, entra en '
    '<a href="/admin/login/">la administración</a>.'
)

LOGIN_CHALLENGE_NEEDED = (
    "Escribe otra vez tu contraseña y, cuando abajo diga «Listo», pulsa «Iniciar sesión». Te pedimos esta "
    "comprobación de seguridad porque hubo varios intentos fallidos de entrar a esta cuenta."
)

SECURITY_LOCKED_CESI_ERROR = (
    "Tu cuenta está bloqueada por seguridad y solo puede desbloquearse en un Centro de Servicio Infonavit (CESI): "
    "acude con una identificación oficial."
)


def _nss_field(**kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label="Número de Seguridad Social (NSS)",
        max_length=20,
        help_text="Son 11 dígitos. Lo encuentras en tu constancia de semanas cotizadas del IMSS.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Escribe tu Número de Seguridad Social (NSS)."},
        **kwargs,
    )


def _curp_field() -> forms.CharField:
    return forms.CharField(
        label="CURP",
        max_length=25,
        help_text="Son 18 letras y números, como aparece en tu CURP de RENAPO.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": "Escribe tu CURP."},
    )


def _rfc_field() -> forms.CharField:
    return forms.CharField(
        label="RFC",
        max_length=20,
        help_text="Son 13 letras y números, con homoclave, como aparece en tu constancia del SAT.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": "Escribe tu RFC con homoclave."},
    )


def _compact(value: str) -> str:
    """An identifier as typed or pasted, as the institutions print it: digits and letters of a full-width keyboard
    become the usual ones (NFKC), and spaces, hyphens and the invisible characters a copy may carry (a zero-width
    space, a direction mark) are left out."""
    value = unicodedata.normalize("NFKC", str(value))
    kept = (c for c in value if not c.isspace() and c != "-" and unicodedata.category(c) not in {"Cf", "Cc"})
    return "".join(kept).upper()


RFC_WITHOUT_HOMOCLAVE = re.compile(r"[A-ZÑ&]{4}[0-9]{6}")


class IdentifiersFormMixin:
    """NSS, CURP and RFC, each checked for format on its own before anything is looked up."""

    cleaned_data: dict[str, Any]

    def clean_nss(self) -> str:
        value = _compact(self.cleaned_data["nss"])
        validators.nss(value)
        return value

    def clean_curp(self) -> str:
        value = _compact(self.cleaned_data["curp"])
        validators.curp(value)
        return value

    def clean_rfc(self) -> str:
        value = _compact(self.cleaned_data["rfc"])
        if RFC_WITHOUT_HOMOCLAVE.fullmatch(value):
            raise ValidationError(
                "Escribe tu RFC completo, con los 3 caracteres de la homoclave (13 en total).", code="rfc_no_homoclave"
            )
        validators.rfc_persona_fisica(value)
        return value


class LoginForm(AccessibleFormMixin, AuthenticationForm):
    """E-mail or NSS, and password; one generic message for any wrong combination."""

    username = forms.CharField(
        label="Correo electrónico o NSS",
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True, "spellcheck": "false"}),
        error_messages={"required": "Escribe tu correo electrónico o tu NSS."},
    )
    password = forms.CharField(
        label="Contraseña",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Escribe tu contraseña."},
    )

    altcha = ChallengeField()

    # The same words for an unknown account, a wrong password and an inactive account.
    error_messages = {"invalid_login": GENERIC_LOGIN_ERROR, "inactive": GENERIC_LOGIN_ERROR}

    def __init__(self, *args: Any, challenge_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # After a few failures on the account, no password is checked without a solved proof of work.
        self.challenge_required = challenge_required

    def clean(self) -> dict[str, Any]:
        if self.challenge_required:
            payload = str(self.data.get("altcha") or "")
            if not payload:
                self.errors.pop("password", None)  # the message already asks for the password: said once
                raise ValidationError(LOGIN_CHALLENGE_NEEDED, code="challenge_missing")
            try:
                challenge_check(payload)
            except ValidationError:
                raise ValidationError(CHALLENGE_FAILED, code="challenge_invalid") from None
        return super().clean()

    def clean_username(self) -> str:
        value = str(self.cleaned_data["username"]).strip()
        compact = "".join(value.split()).replace("-", "")
        return compact if compact.isdigit() else value.lower()

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if user.is_staff:
            # Staff sign in at their own doors; said only after the right password, so it tells a stranger nothing.
            raise ValidationError(STAFF_DOOR_ERROR, code="staff_door")
        if user.security_locked_at is not None:
            if user.security_lock_cesi_only:
                raise ValidationError(SECURITY_LOCKED_CESI_ERROR, code="security_locked")
            raise ValidationError(SECURITY_LOCKED_ERROR, code="security_locked")


class RegistrationIdentityForm(AccessibleFormMixin, IdentifiersFormMixin, ChallengeFormMixin, forms.Form):
    nss = _nss_field()
    curp = _curp_field()
    rfc = _rfc_field()
    altcha = ChallengeField()


class RegistrationContactForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(
        label="Correo electrónico",
        max_length=254,
        help_text="Usa un correo personal que revises seguido; no uses el de tu trabajo ni el de otra persona.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Escribe tu correo electrónico.",
            "invalid": "Escribe un correo electrónico válido, por ejemplo nombre@correo.com.",
        },
    )
    mobile = forms.CharField(
        label="Número de celular",
        max_length=20,
        help_text="10 dígitos, sin el 52 del país; por ejemplo 55 1234 5678. Que sea tuyo, no de otra persona.",
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel-national"}),
        error_messages={"required": "Escribe tu número de celular de 10 dígitos."},
    )

    def clean_email(self) -> str:
        # Whether another account uses it is not said here: that mailbox gets a notice instead of a code.
        return str(self.cleaned_data["email"]).strip().lower()

    def clean_mobile(self) -> str:
        return normalize_mobile(self.cleaned_data["mobile"])


class CodeForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(
        label="Código de confirmación",
        max_length=12,
        help_text="Son 6 dígitos. Vence 10 minutos después de que lo enviamos.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "spellcheck": "false"}),
        error_messages={"required": "Escribe el código de confirmación de 6 dígitos."},
    )

    def clean_code(self) -> str:
        # NFKC: digits typed on a full-width keyboard ("１２３") are the same digits.
        value = "".join(unicodedata.normalize("NFKC", str(self.cleaned_data["code"])).split())
        if not (value.isascii() and value.isdigit() and len(value) == 6):
            raise ValidationError("El código tiene 6 dígitos, sin letras ni espacios.", code="code_format")
        return value


class PasswordPairMixin:
    """ "Contraseña" and "Confirma tu contraseña", checked against the rules and the person's own data."""

    cleaned_data: dict[str, Any]
    account: User

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        first = cleaned.get("password1")
        second = cleaned.get("password2")
        if first and second and first != second:
            message = "Las dos contraseñas no son iguales. Escríbelas de nuevo."
            self.add_error("password2", message)  # type: ignore[attr-defined]
        elif first:
            try:
                validate_new_password(first, self.account)
            except ValidationError as error:
                self.add_error("password1", error)  # type: ignore[attr-defined]
        return cleaned


HELP_CHOOSING = (
    "Al menos 8 caracteres; te recomendamos 12 o más, por ejemplo una frase de varias palabras. Puede tener "
    "espacios, acentos y símbolos. No uses tu NSS, CURP, RFC, nombre ni correo."
)


def _password_fields() -> tuple[forms.CharField, forms.CharField]:
    return (
        forms.CharField(
            label="Contraseña",
            strip=False,
            help_text=HELP_CHOOSING,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            error_messages={"required": "Escribe una contraseña."},
        ),
        forms.CharField(
            label="Confirma tu contraseña",
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            error_messages={"required": "Escribe otra vez la contraseña para confirmarla."},
        ),
    )


class RegistrationPasswordForm(AccessibleFormMixin, PasswordPairMixin, forms.Form):
    password1, password2 = _password_fields()
    accept_terms = forms.BooleanField(
        label="Acepto los términos y condiciones",
        error_messages={"required": "Para crear tu cuenta, lee y acepta los términos y condiciones."},
    )

    def __init__(self, *args: Any, account: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account = account


class NewPasswordForm(AccessibleFormMixin, PasswordPairMixin, forms.Form):
    """The new password of "Olvidé mi contraseña"."""

    password1, password2 = _password_fields()

    def __init__(self, *args: Any, account: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account = account


class ForgotPasswordForm(AccessibleFormMixin, ChallengeFormMixin, forms.Form):
    nss = _nss_field()
    altcha = ChallengeField()

    def clean_nss(self) -> str:
        value = _compact(self.cleaned_data["nss"])
        validators.nss(value)
        return value


class DeletionIdentityForm(AccessibleFormMixin, IdentifiersFormMixin, ChallengeFormMixin, forms.Form):
    nss = _nss_field()
    curp = _curp_field()
    rfc = _rfc_field()
    altcha = ChallengeField()
