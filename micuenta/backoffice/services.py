"""Writes of the CESI back office. Each action on an online account, its row in the CESI's log (`StaffAction`) and
its audit event commit together.

The actor is the member of staff, with the role the view checked (`roles.ROLE_CESI_VALIDATE`).
"""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from micuenta.backoffice.audit import BackofficeAction
from micuenta.backoffice.errors import BackofficeCode, BackofficeError
from micuenta.backoffice.models import ActionKind, IdCheck, StaffAction
from micuenta.backoffice.roles import ROLE_CESI_VALIDATE
from micuenta.backoffice.selectors import account_of, id_check_current
from micuenta.core.actors import Actor
from micuenta.core.audit import audit_record
from micuenta.core.privacy import mask_email_tail, mask_phone
from micuenta.identity.models import SecurityEventKind, User
from micuenta.identity.services.accounts import account_delete, contact_change
from micuenta.identity.services.history import security_event_record
from micuenta.identity.services.security import account_unlock
from micuenta.identity.services.sessions import sessions_revoke
from micuenta.mfa.services import factors_remove_all
from micuenta.people.models import Worker

REASON_MIN_LENGTH = 15
DOCUMENT_NUMBER = re.compile(r"[A-Z0-9]{4,30}")


def document_number_normalize(number: str) -> str:
    """`idmex 1234-56` → `IDMEX123456`: letters and digits only, in capitals."""
    return "".join(ch for ch in number.upper() if ch.isalnum())


def document_number_hmac(document_type: str, number: str) -> str:
    """A keyed hash of the document's number, to recognise it again without keeping it."""
    key = settings.SECRET_KEY.encode()
    message = f"id-document|{document_type}|{document_number_normalize(number)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def document_number_mask(number: str) -> str:
    """`IDMEX123456` → `*******3456`: only the last four characters stay."""
    digits = document_number_normalize(number)
    return "*" * max(len(digits) - 4, 0) + digits[-4:]


def _require_role(actor: Actor) -> int:
    """The member of staff's account id, when the actor is staff with the CESI role."""
    if not actor.is_staff or actor.user_id is None or ROLE_CESI_VALIDATE not in actor.roles:
        raise BackofficeError(BackofficeCode.FORBIDDEN, "Tu cuenta no tiene el rol de Asesor CESI.")
    return actor.user_id


def worker_lookup_record(*, actor: Actor, worker: Worker) -> None:
    """Keep a member of staff's look at a worker's data in the worker's security history.

    The person sees it in "Actividad de seguridad". A read, not a change: no audit event."""
    _require_role(actor)
    with transaction.atomic():
        security_event_record(
            actor=actor,
            kind=SecurityEventKind.STAFF_LOOKUP,
            user=account_of(worker),
            worker=worker,
            detail="Un asesor del CESI consultó tus datos para atenderte.",
        )


def id_check_record(*, actor: Actor, worker: Worker, document_type: str, number: str) -> IdCheck:
    """Record the official ID shown in person: its type, its last four characters and a keyed hash."""
    staff_id = _require_role(actor)
    normalized = document_number_normalize(number)
    if not DOCUMENT_NUMBER.fullmatch(normalized):
        raise BackofficeError(
            BackofficeCode.INVALID_DOCUMENT_NUMBER,
            "Escribe el número de la identificación: de 4 a 30 letras o dígitos.",
        )
    with transaction.atomic():
        return IdCheck.objects.create(
            staff_id=staff_id,
            worker=worker,
            document_type=document_type,
            number_masked=document_number_mask(normalized),
            number_hmac=document_number_hmac(document_type, normalized),
        )


def _prepare(actor: Actor, worker: Worker, reason: str) -> tuple[IdCheck, User]:
    staff_id = _require_role(actor)
    if len(reason.strip()) < REASON_MIN_LENGTH:
        raise BackofficeError(
            BackofficeCode.REASON_TOO_SHORT, f"Escribe el motivo con al menos {REASON_MIN_LENGTH} caracteres."
        )
    id_check = id_check_current(staff_id, worker)
    if id_check is None:
        raise BackofficeError(
            BackofficeCode.ID_CHECK_REQUIRED,
            "Antes de actuar sobre la cuenta, registra la identificación oficial que revisaste (vale 2 horas).",
        )
    account = User.objects.select_for_update().filter(worker=worker).first()
    if account is None:
        raise BackofficeError(BackofficeCode.NO_ACCOUNT, "Este derechohabiente no tiene cuenta en línea.")
    return id_check, account


def _log(
    *,
    actor: Actor,
    worker: Worker,
    account_pk: int,
    kind: ActionKind,
    audit: BackofficeAction,
    reason: str,
    id_check: IdCheck,
    detail: str,
) -> StaffAction:
    """The CESI's own log row, and the audit event beside it."""
    action = StaffAction.objects.create(
        staff_id=_require_role(actor),
        worker=worker,
        action=kind,
        reason=reason.strip(),
        id_check=id_check,
        detail=detail[:300],
    )
    audit_record(
        actor=actor,
        action=audit,
        subject=("identity.user", account_pk),
        worker_id=worker.pk,
        after={"staff_action": action.pk, "id_check": id_check.pk, "document_type": id_check.document_type},
        reason=reason.strip(),
    )
    return action


def staff_account_unlock(*, actor: Actor, worker: Worker, reason: str) -> StaffAction:
    """Lift the security lock and the temporary sign-in lock of the worker's online account."""
    with transaction.atomic():
        id_check, account = _prepare(actor, worker, reason)
        account_unlock(actor=actor, user=account, reason=reason.strip())
        return _log(
            actor=actor,
            worker=worker,
            account_pk=account.pk,
            kind=ActionKind.UNLOCK,
            audit=BackofficeAction.UNLOCK,
            reason=reason,
            id_check=id_check,
            detail="Se levantó el bloqueo de la cuenta en línea.",
        )


def staff_account_delete(*, actor: Actor, worker: Worker, reason: str) -> StaffAction:
    """Delete the online account only, so that the worker can register again. The fund's data stay."""
    with transaction.atomic():
        id_check, account = _prepare(actor, worker, reason)
        account_pk = account.pk
        account_delete(actor=actor, user=account, reason=reason.strip())
        return _log(
            actor=actor,
            worker=worker,
            account_pk=account_pk,
            kind=ActionKind.DELETE_ACCOUNT,
            audit=BackofficeAction.DELETE_ACCOUNT,
            reason=reason,
            id_check=id_check,
            detail="Se eliminó la cuenta en línea; la persona puede registrarse de nuevo.",
        )


def staff_contact_change(
    *,
    actor: Actor,
    worker: Worker,
    reason: str,
    email: str | None = None,
    mobile: str | None = None,
) -> StaffAction:
    """Change the online account's e-mail and/or mobile (already validated and normalised by the form)."""
    with transaction.atomic():
        id_check, account = _prepare(actor, worker, reason)
        changes = []
        if email is not None:
            email = email.strip().lower()
            if email == account.email:
                email = None
            elif User.objects.by_email(email).exclude(pk=account.pk).exists():
                raise BackofficeError(
                    BackofficeCode.EMAIL_IN_USE, "Ese correo electrónico ya está registrado en otra cuenta."
                )
            else:
                changes.append(f"Correo: {mask_email_tail(account.email)} → {mask_email_tail(email)}.")
        if mobile is not None:
            if mobile == account.mobile:
                mobile = None
            else:
                changes.append(f"Celular: {mask_phone(account.mobile) or 'ninguno'} → {mask_phone(mobile)}.")
        if not changes:
            raise BackofficeError(
                BackofficeCode.NO_CHANGE, "El correo y el celular son los mismos que ya tiene la cuenta."
            )
        try:
            with transaction.atomic():
                contact_change(actor=actor, user=account, email=email, mobile=mobile, reason=reason.strip())
        except (ValidationError, IntegrityError) as exc:
            raise BackofficeError(
                BackofficeCode.EMAIL_IN_USE, "Ese correo electrónico ya está registrado en otra cuenta."
            ) from exc
        # The person came because someone else may hold the old contact: its sessions end.
        sessions_revoke(actor=actor, user=account)
        return _log(
            actor=actor,
            worker=worker,
            account_pk=account.pk,
            kind=ActionKind.CONTACT_CHANGE,
            audit=BackofficeAction.CONTACT_CHANGE,
            reason=reason,
            id_check=id_check,
            detail=" ".join(changes),
        )


def staff_mfa_reset(*, actor: Actor, worker: Worker, reason: str) -> StaffAction:
    """Remove the second factors of a person who lost their phone or passkey and their recovery codes."""
    with transaction.atomic():
        id_check, account = _prepare(actor, worker, reason)
        removed = factors_remove_all(actor=actor, user=account, reason=reason.strip())
        if not removed:
            raise BackofficeError(BackofficeCode.NO_SECOND_FACTOR, "La cuenta no tiene verificación en dos pasos.")
        # Whoever had taken the account over loses every session it had, verified or waiting for the second step.
        sessions_revoke(actor=actor, user=account)
        return _log(
            actor=actor,
            worker=worker,
            account_pk=account.pk,
            kind=ActionKind.MFA_RESET,
            audit=BackofficeAction.MFA_RESET,
            reason=reason,
            id_check=id_check,
            detail="Se quitó la verificación en dos pasos; la persona entra solo con su contraseña.",
        )
