"""The security challenge of "Quiero una cuenta", "Olvidé mi contraseña" and account deletion.

An ALTCHA proof of work (the `altcha` library): the server signs a random puzzle, the person's browser solves
it in the background, the server checks the signature and the answer. Nothing to read or click, no image, no
outside service; a solved challenge is accepted once and only until it expires.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import timedelta
from typing import Any

import altcha
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from micuenta.identity.models import UsedChallenge

CHALLENGE_FAILED = (
    "No pudimos completar la comprobación de seguridad. Espera a que diga «Listo» y vuelve a enviar el formulario; "
    "si no aparece, recarga la página o prueba con otro navegador."
)


def _hmac_key() -> str:
    return hashlib.sha256(f"altcha|{settings.SECRET_KEY}".encode()).hexdigest()


def challenge_new() -> dict[str, Any]:
    expires = timezone.now() + timedelta(seconds=settings.MICUENTA_CHALLENGE_TTL_SECONDS)
    options = altcha.ChallengeOptionsV1(
        hmac_key=_hmac_key(), max_number=settings.MICUENTA_CHALLENGE_MAX_NUMBER, expires=expires
    )
    challenge = altcha.create_challenge_v1(options)
    return dict(challenge.to_dict())


def challenge_check(payload: str) -> None:
    """Accept a solved challenge once; ValidationError otherwise."""
    if not payload:
        raise ValidationError(CHALLENGE_FAILED, code="challenge_missing")
    try:
        ok, _error = altcha.verify_solution_v1(payload, _hmac_key(), check_expires=True)
        data = json.loads(base64.b64decode(payload).decode())
    except Exception:  # the answer is the client's: whatever shape the library cannot read is a failed answer
        raise ValidationError(CHALLENGE_FAILED, code="challenge_invalid") from None
    if not ok or not isinstance(data, dict):
        raise ValidationError(CHALLENGE_FAILED, code="challenge_invalid")
    digest = hashlib.sha256(str(data.get("signature", "")).encode()).hexdigest()
    try:
        with transaction.atomic():
            UsedChallenge.objects.filter(expires_at__lt=timezone.now()).delete()
            UsedChallenge.objects.create(
                digest=digest, expires_at=timezone.now() + timedelta(seconds=settings.MICUENTA_CHALLENGE_TTL_SECONDS)
            )
    except IntegrityError:
        raise ValidationError(CHALLENGE_FAILED, code="challenge_reused") from None


def challenge_solve(challenge: dict[str, Any]) -> str:
    """Solve a challenge as a browser would: for tests and for people's scripts against the public API."""
    solution = altcha.solve_challenge_v1(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxNumber"]
    )
    if solution is None:
        raise ValueError("challenge has no solution")
    payload = {
        "algorithm": challenge["algorithm"],
        "challenge": challenge["challenge"],
        "number": solution.number,
        "salt": challenge["salt"],
        "signature": challenge["signature"],
    }
    return base64.b64encode(json.dumps(payload).encode()).decode()


class ChallengeField(forms.CharField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)  # an empty answer gets the challenge's own message
        kwargs.setdefault("label", "Comprobación de seguridad")
        super().__init__(**kwargs)


class ChallengeFormMixin:
    """Adds the challenge to a form; a new puzzle comes with every rendering.

    Its template: {% include "identity/_challenge.html" with field=form.altcha challenge=form.challenge %}.
    """

    @property
    def challenge(self) -> dict[str, Any]:
        return challenge_new()

    def clean_altcha(self) -> str:
        payload = str(self.cleaned_data.get("altcha") or "")  # type: ignore[attr-defined]
        challenge_check(payload)
        return payload
