"""Django's own form messages in the portal's voice ("tú"), for every form built on `AccessibleFormMixin`.

A field's own message (given in its `error_messages`, or by its own validator) is kept; only Django's defaults
("Asegúrese de que este valor tenga como máximo…", "Este campo es obligatorio.") are replaced.
"""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.core import validators

FIELD_MESSAGES: dict[str, str] = {
    "required": "Escribe este dato: es obligatorio.",
    "invalid": "Revisa este dato: no tiene el formato esperado.",
    "invalid_choice": "Elige una de las opciones de la lista.",
    "max_value": "Escribe un valor de %(limit_value)s o menos.",
    "min_value": "Escribe un valor de %(limit_value)s o más.",
    "max_digits": "Escribe como máximo %(max)s dígitos.",
    "max_decimal_places": "Escribe como máximo %(max)s decimales.",
    "null_characters_not_allowed": "Quita los caracteres especiales que no se ven (como el carácter nulo).",
}
EMAIL_INVALID = "Escribe un correo electrónico completo, por ejemplo nombre@correo.com."

VALIDATOR_MESSAGES: dict[type[validators.BaseValidator], str] = {
    validators.MaxLengthValidator: (
        "Este dato admite como máximo %(limit_value)d caracteres (escribiste %(show_value)d): acórtalo y vuelve a "
        "enviarlo."
    ),
    validators.MinLengthValidator: (
        "Este dato necesita al menos %(limit_value)d caracteres (escribiste %(show_value)d): complétalo y vuelve "
        "a enviarlo."
    ),
    validators.MaxValueValidator: FIELD_MESSAGES["max_value"],
    validators.MinValueValidator: FIELD_MESSAGES["min_value"],
}


def _django_default(field: forms.Field, key: str) -> Any:
    for cls in type(field).__mro__:
        defaults = getattr(cls, "default_error_messages", {})
        if key in defaults:
            return defaults[key]
    return None


def portal_error_messages(fields: dict[str, forms.Field]) -> None:
    """Replace Django's default messages of these (per-form) fields by the portal's."""
    for field in fields.values():
        messages = dict(field.error_messages)
        for key, default in list(messages.items()):
            if str(default) != str(_django_default(field, key)):
                continue  # the field's own words
            if key == "invalid" and isinstance(field, forms.EmailField):
                messages[key] = EMAIL_INVALID
            elif key in FIELD_MESSAGES:
                messages[key] = FIELD_MESSAGES[key]
        field.error_messages = messages
        replaced: list[Any] = []
        for validator in field.validators:
            v: Any = validator
            own = VALIDATOR_MESSAGES.get(type(v))
            if isinstance(v, validators.EmailValidator):
                own = EMAIL_INVALID
            elif isinstance(v, validators.ProhibitNullCharactersValidator):  # every CharField has one
                own = FIELD_MESSAGES["null_characters_not_allowed"]
            if own is not None and str(v.message) == str(type(v).message):
                v = copy.copy(v)
                v.message = own
            replaced.append(v)
        field.validators = replaced
