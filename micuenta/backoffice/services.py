"""Writes of the CESI back office. Each action on an online account and its audit row commit together."""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from micuenta.backoffice.models import ActionKind, IdCheck, StaffAction
from micuenta.backoffice.roles import can_validate
from micuenta.backoffice.selectors import id_check_current
from micuenta.core.privacy import mask_email, mask_phone
from micuenta.identity import services as identity_services
from micuenta.identity.models import User
from micuenta.people.models import Worker

REASON_MIN_LENGTH = 15
DOCUMENT_NUMBER = re.compile(r"[A-Z0-9]{4,30}")


class BackofficeError(Exception):
    """A refusal with a message for the member of staff, in Spanish."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def document_number_normalize(number: str) -> str:
    return "".join(ch for ch in number.upper() if ch.isalnum())


def document_number_hmac(document_type: str, number: str) -> str:
    key = settings.SECRET_KEY.encode()
    message = f"id-document|{document_type}|{document_number_normalize(number)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def document_number_mask(number: str) -> str:
    digits = document_number_normalize(number)
    return "*" * max(len(digits) - 4, 0) + digits[-4:]


def _require_staff(staff: User) -> None:
    if not can_validate(staff):
        raise BackofficeError("Tu cuenta no tiene el rol de Asesor CESI.", "forbidden")


def id_check_record(*, staff: User, worker: Worker, document_type: str, number: str) -> IdCheck:
    """Record the official ID shown in person: its type, its last four characters and a keyed hash."""
    _require_staff(staff)
    normalized = document_number_normalize(number)
    if not DOCUMENT_NUMBER.fullmatch(normalized):
        raise BackofficeError(
            "Escribe el número de la identificación: de 4 a 30 letras o dígitos.", "invalid_document_number"
        )
    return IdCheck.objects.create(
        staff=staff,
        worker=worker,
        document_type=document_type,
        number_masked=document_number_mask(normalized),
        number_hmac=document_number_hmac(document_type, normalized),
    )


def _prepare(staff: User, worker: Worker, reason: str) -> tuple[IdCheck, User]:
    _require_staff(staff)
    if len(reason.strip()) < REASON_MIN_LENGTH:
        raise BackofficeError(f"Escribe el motivo con al menos {REASON_MIN_LENGTH} caracteres.", "reason_too_short")
    id_check = id_check_current(staff, worker)
    if id_check is None:
        raise BackofficeError(
            "Antes de actuar sobre la cuenta, registra la identificación oficial que revisaste (vale 2 horas).",
            "id_check_required",
        )
    account = User.objects.select_for_update().filter(worker=worker).first()
    if account is None:
        raise BackofficeError("Este derechohabiente no tiene cuenta en línea.", "no_account")
    return id_check, account


def _audit(*, staff: User, worker: Worker, action: str, reason: str, id_check: IdCheck, detail: str) -> StaffAction:
    return StaffAction.objects.create(
        staff=staff, worker=worker, action=action, reason=reason.strip(), id_check=id_check, detail=detail[:300]
    )


def staff_account_unlock(
    *, staff: User, worker: Worker, reason: str, request: HttpRequest | None = None
) -> StaffAction:
    """Lift the security lock and the temporary sign-in lock of the worker's online account."""
    with transaction.atomic():
        id_check, account = _prepare(staff, worker, reason)
        identity_services.account_unlock(account, reason=reason.strip(), actor=staff, request=request)
        return _audit(
            staff=staff,
            worker=worker,
            action=ActionKind.UNLOCK,
            reason=reason,
            id_check=id_check,
            detail="Se levantó el bloqueo de la cuenta en línea.",
        )


def staff_account_delete(
    *, staff: User, worker: Worker, reason: str, request: HttpRequest | None = None
) -> StaffAction:
    """Delete the online account only, so that the worker can register again. The fund's data stay."""
    with transaction.atomic():
        id_check, account = _prepare(staff, worker, reason)
        identity_services.account_delete(account, reason=reason.strip(), actor=staff, request=request)
        return _audit(
            staff=staff,
            worker=worker,
            action=ActionKind.DELETE_ACCOUNT,
            reason=reason,
            id_check=id_check,
            detail="Se eliminó la cuenta en línea; la persona puede registrarse de nuevo.",
        )


def staff_contact_change(
    *,
    staff: User,
    worker: Worker,
    reason: str,
    email: str | None = None,
    mobile: str | None = None,
    request: HttpRequest | None = None,
) -> StaffAction:
    """Change the online account's e-mail and/or mobile (already validated and normalised by the form)."""
    with transaction.atomic():
        id_check, account = _prepare(staff, worker, reason)
        changes = []
        if email is not None:
            email = email.strip().lower()
            if email == account.email:
                email = None
            elif User.objects.by_email(email).exclude(pk=account.pk).exists():
                raise BackofficeError("Ese correo electrónico ya está registrado en otra cuenta.", "email_in_use")
            else:
                changes.append(f"Correo: {mask_email(account.email)} → {mask_email(email)}.")
        if mobile is not None:
            if mobile == account.mobile:
                mobile = None
            else:
                changes.append(f"Celular: {mask_phone(account.mobile) or 'ninguno'} → {mask_phone(mobile)}.")
        if not changes:
            raise BackofficeError("El correo y el celular son los mismos que ya tiene la cuenta.", "no_change")
        try:
            with transaction.atomic():
                identity_services.contact_change(
                    account, email=email, mobile=mobile, request=request, actor=staff, reason=reason.strip()
                )
        except (ValidationError, IntegrityError) as exc:
            raise BackofficeError("Ese correo electrónico ya está registrado en otra cuenta.", "email_in_use") from exc
        # The person came because someone else may hold the old contact: its sessions end.
        identity_services.sessions_end_all(account)
        return _audit(
            staff=staff,
            worker=worker,
            action=ActionKind.CONTACT_CHANGE,
            reason=reason,
            id_check=id_check,
            detail=" ".join(changes),
        )


def staff_mfa_reset(*, staff: User, worker: Worker, reason: str, request: HttpRequest | None = None) -> StaffAction:
    """Remove the second factors of a person who lost their phone or passkey and their recovery codes."""
    from micuenta.mfa.services import factors_remove_all

    with transaction.atomic():
        id_check, account = _prepare(staff, worker, reason)
        removed = factors_remove_all(account, reason=reason.strip(), actor=staff, request=request)
        if not removed:
            raise BackofficeError("La cuenta no tiene verificación en dos pasos.", "no_second_factor")
        # Whoever had taken the account over loses every session it had, verified or waiting for the second step.
        identity_services.sessions_end_all(account)
        return _audit(
            staff=staff,
            worker=worker,
            action=ActionKind.MFA_RESET,
            reason=reason,
            id_check=id_check,
            detail="Se quitó la verificación en dos pasos; la persona entra solo con su contraseña.",
        )
