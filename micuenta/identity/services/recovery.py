""" "Olvidé mi contraseña" and "No tengo acceso a mi correo" (delete the online account and register again).

Both answer the same, after the same time, whether or not an account exists: the services return nothing that
tells, and the views show the same page.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from micuenta.core.actors import Actor
from micuenta.identity.errors import IdentityCode, IdentityError
from micuenta.identity.models import CodePurpose, ConfirmationCode, SecurityEventKind, User
from micuenta.identity.selectors import (
    RESET_LINKS_PER_HOUR,
    deletion_destination,
    deletion_is_safe,
    deletion_user,
    reset_links_last_hour,
)
from micuenta.identity.services.accounts import account_delete, password_set
from micuenta.identity.services.codes import code_check, code_issue
from micuenta.identity.services.history import notify_account, security_event_record
from micuenta.identity.services.security import account_unlock_by_reset
from micuenta.identity.timing import uniform_duration
from micuenta.notifications.models import Channel
from micuenta.people.models import Worker

# --- Olvidé mi contraseña ----------------------------------------------------------------------------


def password_reset_request(*, actor: Actor, nss: str, base_url: str) -> None:
    """E-mail a single-use link (30 minutes) to the account of this NSS, at most RESET_LINKS_PER_HOUR an hour.

    Nothing is returned and the call lasts the same whether or not an account exists or got an e-mail."""
    with uniform_duration(), transaction.atomic():
        user = User.objects.filter(worker__nss=nss, is_active=True).first()
        if user is None or reset_links_last_hour(user) >= RESET_LINKS_PER_HOUR:
            return
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = base_url + reverse("identity:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
        security_event_record(actor=actor, kind=SecurityEventKind.PASSWORD_RESET_REQUESTED, user=user)
        notify_account(user, "password_reset", {"reset_url": link})


def password_reset_complete(*, actor: Actor, user: User, password: str) -> None:
    """Set the password chosen from the e-mailed link, and lift a "No fui yo" lock unless it is CESI-only.

    Every session ends. The e-mail proves control of the account."""
    person = actor.with_user(user.pk)
    with transaction.atomic():
        password_set(actor=person, user=user, password=password, keep_session=False)
        account_unlock_by_reset(actor=person, user=user)


# --- No tengo acceso a mi correo → Borrar mi cuenta e iniciar un nuevo registro ----------------------

DELETION_REASON = (
    "La persona pidió borrar su cuenta en línea desde «No tengo acceso a mi correo», con su NSS, CURP, RFC y un "
    "código enviado a su celular registrado."
)
DELETION_UNSAFE = "Por seguridad ya no podemos borrar esta cuenta en línea."


def _nobody(nss: str, curp: str, rfc: str) -> str:
    # The subject is fixed per NSS, CURP and RFC, so its wrong tries and sends count like an account's.
    triple = f"{nss}|{curp}|{rfc}".encode()
    return f"nobody:{hmac.new(settings.SECRET_KEY.encode(), triple, hashlib.sha256).hexdigest()[:40]}"


def account_deletion_start(*, actor: Actor, nss: str, curp: str, rfc: str) -> str:
    """Send a deletion code by SMS when deletion is safe, and return the code's subject for the session.

    The code goes to the registered mobile of the account of this NSS, CURP and RFC. Nobody to send to, or not
    safe to: a code that is never sent keeps the answer the same, in the same time. A code sent a moment ago is
    still valid; over the limits the code page says so."""
    with uniform_duration(), transaction.atomic():
        worker = Worker.objects.filter(nss=nss, curp=curp, rfc=rfc).first()
        user = User.objects.filter(worker=worker).first() if worker is not None else None
        destination: str | None = None
        if user is not None and deletion_is_safe(user):
            subject, destination = f"user:{user.pk}", user.mobile
        else:
            subject = _nobody(nss, curp, rfc)
        with contextlib.suppress(IdentityError):
            code_issue(
                actor=actor,
                purpose=CodePurpose.ACCOUNT_DELETION,
                subject=subject,
                channel=Channel.SMS,
                destination=destination,
                template="deletion_code",
            )
        return subject


def account_deletion_code_send(*, actor: Actor, subject: str) -> ConfirmationCode:
    """ "Reenviar código" on the deletion page (sent only while deletion is safe)."""
    with transaction.atomic():
        return code_issue(
            actor=actor,
            purpose=CodePurpose.ACCOUNT_DELETION,
            subject=subject,
            channel=Channel.SMS,
            destination=deletion_destination(subject),
            template="deletion_code",
        )


def account_deletion_confirm(*, actor: Actor, subject: str, entered: str) -> None:
    """Delete the online account when the deletion code typed back is right.

    Refused (IdentityError) when the code is wrong (the try counts), over-tried (CODE_LOCKED) or when deletion
    stopped being safe (DELETION_UNSAFE)."""
    user = deletion_user(subject)
    if user is not None and not deletion_is_safe(user):
        # Locked, or its mobile or second factor changed, since the code was sent.
        raise IdentityError(IdentityCode.DELETION_UNSAFE, DELETION_UNSAFE)
    with transaction.atomic():
        refusal = code_check(
            purpose=CodePurpose.ACCOUNT_DELETION,
            subject=subject,
            entered=entered,
            destination=deletion_destination(subject) or "",
        )
        if refusal is None:
            if user is None:  # pragma: no cover - a code of nobody is never sent, so it is never right
                refusal = IdentityError(IdentityCode.DELETION_UNSAFE, "")
            else:
                account_delete(actor=actor.with_user(user.pk), user=user, reason=DELETION_REASON)
    if refusal is not None:
        raise refusal
