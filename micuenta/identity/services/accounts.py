"""The account's own data: password, e-mail and mobile, and deletion of the online account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from micuenta.core.actors import Actor
from micuenta.core.audit import audit_record
from micuenta.core.privacy import mask_email, mask_phone
from micuenta.identity.audit import IdentityAction
from micuenta.identity.errors import IdentityCode, IdentityError
from micuenta.identity.models import CodePurpose, ConfirmationCode, SecurityEventKind, User
from micuenta.identity.services.codes import code_check, code_issue
from micuenta.identity.services.history import notify_account, security_event_record
from micuenta.identity.services.sessions import sessions_revoke
from micuenta.identity.throttling import throttle_reset
from micuenta.notifications.models import Channel
from micuenta.notifications.services import notification_send

# --- Password ----------------------------------------------------------------------------------------------


def password_set(*, actor: Actor, user: User, password: str, keep_session: bool) -> int:
    """Set a new password: other sessions end, the sign-in lock goes, a notice is sent.

    The actor's own session ends too unless keep_session; then the view calls update_session_auth_hash(request,
    user) with this same user object. Returns how many listed sessions ended."""
    with transaction.atomic():
        user.set_password(password)
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "password_changed_at"])
        ended = sessions_revoke(actor=actor, user=user, except_key=actor.session_key if keep_session else None)
        throttle_reset(user)
        security_event_record(actor=actor, kind=SecurityEventKind.PASSWORD_CHANGED, user=user)
        audit_record(
            actor=actor,
            action=IdentityAction.PASSWORD_CHANGED,
            subject=user,
            worker_id=user.worker_id,
            after={"sessions_ended": ended},
        )
        notify_account(user, "password_changed")
        return ended


# --- E-mail and mobile -------------------------------------------------------------------------------------

ContactField = Literal["email", "mobile"]


@dataclass(frozen=True)
class ContactKind:
    """How a contact of the account is confirmed: the code's purpose and channel, and its name in messages."""

    field: ContactField
    purpose: str
    channel: str
    what: str  # "correo electrónico" / "número de celular"

    def mask(self, value: str) -> str:
        return mask_email(value) if self.field == "email" else mask_phone(value)


CONTACTS: dict[ContactField, ContactKind] = {
    "email": ContactKind("email", CodePurpose.CHANGE_EMAIL, Channel.EMAIL, "correo electrónico"),
    "mobile": ContactKind("mobile", CodePurpose.CHANGE_MOBILE, Channel.SMS, "número de celular"),
}


def contact_change(
    *,
    actor: Actor,
    user: User,
    email: str | None = None,
    mobile: str | None = None,
    reason: str = "",
) -> None:
    """Change the account's e-mail or mobile; the old contact is told, the new one gets a confirmation.

    A member of staff may change both at once (the CESI); the person changes one, after its code."""
    by_staff = actor.is_staff
    with transaction.atomic():
        if email is not None and email.lower() != user.email:
            old = user.email
            user.email = email.strip().lower()
            user.full_clean(exclude=["password"])
            user.save(update_fields=["email"])
            security_event_record(
                actor=actor,
                kind=SecurityEventKind.EMAIL_CHANGED,
                user=user,
                detail=f"De {mask_email(old)} a {mask_email(user.email)}. {reason}".strip(),
            )
            audit_record(
                actor=actor,
                action=IdentityAction.EMAIL_CHANGED,
                subject=user,
                worker_id=user.worker_id,
                before={"email": mask_email(old)},
                after={"email": mask_email(user.email)},
                reason=reason,
            )
            notification_send(
                channel=Channel.EMAIL,
                to=old,
                template="contact_changed_old",
                context={"what": "correo electrónico", "new_masked": mask_email(user.email), "by_staff": by_staff},
            )
            notify_account(user, "contact_changed_new", {"what": "correo electrónico"})
        if mobile is not None and mobile != user.mobile:
            old_mobile = user.mobile
            user.mobile = mobile
            user.save(update_fields=["mobile"])
            security_event_record(
                actor=actor,
                kind=SecurityEventKind.MOBILE_CHANGED,
                user=user,
                detail=f"De {mask_phone(old_mobile) or 'ninguno'} a {mask_phone(mobile)}. {reason}".strip(),
            )
            audit_record(
                actor=actor,
                action=IdentityAction.MOBILE_CHANGED,
                subject=user,
                worker_id=user.worker_id,
                before={"mobile": mask_phone(old_mobile)},
                after={"mobile": mask_phone(mobile)},
                reason=reason,
            )
            if old_mobile:
                notification_send(
                    channel=Channel.SMS,
                    to=old_mobile,
                    template="contact_changed_old",
                    context={"what": "número de celular", "new_masked": mask_phone(mobile), "by_staff": by_staff},
                )
            notify_account(user, "contact_changed_new", {"what": "número de celular"})


def contact_code_send(*, actor: Actor, user: User, field: ContactField, value: str) -> ConfirmationCode:
    """Send a code to the new e-mail or mobile the person wants for the account (Mi perfil › Seguridad)."""
    kind = CONTACTS[field]
    with transaction.atomic():
        return code_issue(
            actor=actor,
            purpose=kind.purpose,
            subject=f"user:{user.pk}",
            channel=kind.channel,
            destination=value,
            template="contact_code",
            context={"what": kind.what},
        )


CONTACT_REFUSED = "No podemos usar ese dato para tu cuenta. Escribe otro."


def contact_change_confirm(*, actor: Actor, user: User, field: ContactField, value: str, entered: str) -> None:
    """The code sent to the new contact, typed back: the contact changes.

    A wrong code counts and is refused (IdentityError); a value the account cannot take (an e-mail another
    account took meanwhile) is refused with CONTACT_REFUSED and the code stays spent.
    """
    kind = CONTACTS[field]
    with transaction.atomic():
        refusal = code_check(purpose=kind.purpose, subject=f"user:{user.pk}", entered=entered, destination=value)
        if refusal is None:
            try:
                with transaction.atomic():
                    if field == "email":
                        contact_change(actor=actor, user=user, email=value)
                    else:
                        contact_change(actor=actor, user=user, mobile=value)
            except ValidationError:
                user.refresh_from_db(fields=["email", "mobile"])
                refusal = IdentityError(IdentityCode.CONTACT_REFUSED, CONTACT_REFUSED)
    if refusal is not None:
        raise refusal


# --- Deletion ----------------------------------------------------------------------------------------------


def account_delete(*, actor: Actor, user: User, reason: str, by_owner: bool = False) -> None:
    """Delete the online account only. The worker, savings, credits and history stay with the fund.

    The worker can register again straight away with a new e-mail address. by_owner: the person did it signed in,
    from Mi perfil (the notices say so).
    """
    by_staff = actor.is_staff
    told = {"by_staff": by_staff, "by_owner": by_owner}
    with transaction.atomic():
        worker = user.worker
        user_pk, mobile = user.pk, user.mobile
        before = {"account": user_pk, "email": mask_email(user.email), "mobile": mask_phone(mobile)}
        # The registered address hears of it too: its owner may still read it even if the person at hand cannot.
        notify_account(user, "account_deleted", told)
        sessions_revoke(actor=actor, user=user)
        throttle_reset(user)
        security_event_record(
            actor=actor, kind=SecurityEventKind.ACCOUNT_DELETED, user=None, worker=worker, detail=reason
        )
        # A new registration starts with fresh codes (the old ones named the deleted account's contacts).
        ConfirmationCode.objects.filter(subject__in=[f"user:{user_pk}", f"worker:{user.worker_id}"]).delete()
        user.delete()
        audit_record(
            actor=actor,
            action=IdentityAction.ACCOUNT_DELETED,
            subject=("identity.user", user_pk),
            worker_id=worker.pk if worker is not None else None,
            before=before,
            after={"account": None},
            reason=reason,
        )
        if mobile:
            notification_send(channel=Channel.SMS, to=mobile, template="account_deleted", context=told)


# --- Eliminar mi cuenta en línea (Mi perfil › Seguridad) ---------------------------------------------------

SELF_DELETION_REASON = (
    "La persona borró su cuenta en línea desde Mi perfil › Seguridad, con su contraseña y un código enviado a su "
    "celular registrado."
)
SELF_DELETION_NO_MOBILE = (
    "Tu cuenta no tiene un número de celular registrado y lo necesitamos para enviarte el código. Regístralo en "
    "«Cambiar número de celular» y vuelve aquí, o acude a un Centro de Servicio Infonavit (CESI) con una "
    "identificación oficial."
)
SELF_DELETION_LOCKED = (
    "Tu cuenta está bloqueada por seguridad y no se puede borrar en línea. Acude a un Centro de Servicio Infonavit "
    "(CESI) con una identificación oficial."
)


def _self_deletion_refusal(user: User) -> IdentityError | None:
    if user.security_locked_at is not None:
        return IdentityError(IdentityCode.DELETION_UNSAFE, SELF_DELETION_LOCKED)
    if not user.mobile:
        return IdentityError(IdentityCode.DELETION_UNSAFE, SELF_DELETION_NO_MOBILE)
    return None


def self_deletion_code_send(*, actor: Actor, user: User) -> ConfirmationCode:
    """Send the deletion code by SMS to the account's registered mobile, once the person gave the password.

    A code of its own, apart from the one of "No tengo acceso a mi correo": what the signed-in owner does here
    (a wrong try, the day's lock, the wait before another send) never shows at the public door, where it would
    tell a stranger that this NSS has an account. This door needs the password and the signed-in session first."""
    refusal = _self_deletion_refusal(user)
    if refusal is not None:
        raise refusal
    with transaction.atomic():
        return code_issue(
            actor=actor,
            purpose=CodePurpose.SELF_DELETION,
            subject=f"user:{user.pk}",
            channel=Channel.SMS,
            destination=user.mobile,
            template="deletion_code",
        )


def self_deletion_confirm(*, actor: Actor, user: User, entered: str) -> None:
    """The deletion code typed back by the signed-in person: the online account is deleted (`account_delete`).

    A wrong code counts and is refused (IdentityError: CODE_WRONG, CODE_LOCKED after the last try, CODE_EXPIRED…);
    an account locked or left without a mobile meanwhile is refused with DELETION_UNSAFE."""
    refusal = _self_deletion_refusal(user)
    if refusal is not None:
        raise refusal
    with transaction.atomic():
        refusal = code_check(
            purpose=CodePurpose.SELF_DELETION, subject=f"user:{user.pk}", entered=entered, destination=user.mobile
        )
        if refusal is None:
            account_delete(actor=actor, user=user, reason=SELF_DELETION_REASON, by_owner=True)
    if refusal is not None:
        raise refusal
