"""Password rules of NIST SP 800-63B: long enough, not too long to hash, not common, not the person's own data.

No composition rules (no "one capital and one digit"): they make passwords harder to remember, not to guess.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError


def _fold(text: str) -> str:
    """Lower case without accents and without separators: `Pérez-Núñez` → `pereznunez`."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-zñ]", "", plain.lower())


class MaximumLengthValidator:
    """At least 64 characters are allowed (NIST); past max_length the hash would only cost time."""

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                f"La contraseña puede tener hasta {self.max_length} caracteres. Usa una más corta.",
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return f"Puede tener hasta {self.max_length} caracteres."


class PersonalDataValidator:
    """Refuse a password that contains the person's NSS, CURP, RFC, a name or the e-mail address.

    The person's data come from the account (and its worker) or, during registration, from attributes set on
    an unsaved account: `user.worker`, `user.email`.
    """

    MIN_NAME_PART = 4  # shorter name parts ("Ana", "Luz", "de") hide inside too many words to refuse

    def _parts(self, user: Any) -> list[tuple[str, str]]:
        parts: list[tuple[str, str]] = []
        worker = getattr(user, "worker", None)
        if worker is not None:
            for value, label in (
                (worker.nss, "tu NSS"),
                (worker.curp, "tu CURP"),
                (worker.rfc, "tu RFC"),
                (worker.rfc[:10], "tu RFC"),
                (worker.curp[:10], "tu CURP"),
            ):
                if value:
                    parts.append((_fold(value), label))
        names = [getattr(user, "first_name", ""), getattr(user, "last_name", "")]
        if worker is not None:
            names += [worker.nombre, worker.primer_apellido, worker.segundo_apellido]
        for name in names:
            for piece in (name or "").split():
                if len(_fold(piece)) >= self.MIN_NAME_PART:
                    parts.append((_fold(piece), "tu nombre"))
        email = getattr(user, "email", "") or ""
        if email:
            parts.append((_fold(email.split("@")[0]), "tu correo electrónico"))
        return [(value, label) for value, label in parts if len(value) >= 3]

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        folded = _fold(password)
        found = sorted({label for value, label in self._parts(user) if value in folded})
        if found:
            raise ValidationError(
                f"La contraseña no puede contener {_spanish_list(found)}. Elige una que no tenga tus datos.",
                code="password_personal_data",
            )

    def get_help_text(self) -> str:
        return "No puede contener tu NSS, CURP, RFC, nombre ni correo electrónico."


# Django's own wording says what is wrong; these also say what to do.
PASSWORD_MESSAGES = {
    "password_too_short": "La contraseña es muy corta: usa al menos 8 caracteres (te recomendamos 12 o más).",
    "password_too_common": (
        "Esa contraseña es demasiado común y fácil de adivinar. Elige otra; una frase de varias palabras es más segura."
    ),
    "password_too_similar": (
        "La contraseña se parece demasiado a tus datos. Elige una que no tenga tu nombre ni tu correo."
    ),
}


def validate_new_password(password: str, user: Any = None) -> None:
    """The rules of AUTH_PASSWORD_VALIDATORS, in the portal's words, in the order they are listed there."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError(
            [ValidationError(PASSWORD_MESSAGES.get(e.code or "", e.messages[0]), code=e.code) for e in error.error_list]
        ) from None


def _spanish_list(items: list[str]) -> str:
    """«tu CURP», «tu CURP ni tu RFC», «tu NSS, tu CURP ni tu RFC»: what a password may not contain."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} ni {items[-1]}"
