""" "Quiero una cuenta": the identity check, the contact step and its codes, and the account with its terms.

The registration in progress is a row named by a random token that the view keeps in the person's session; no
identifier ever travels in a URL. A mismatch and an existing account get the same answer, in the same time.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from micuenta.core.actors import Actor
from micuenta.core.audit import audit_record
from micuenta.core.privacy import mask_email, mask_phone
from micuenta.identity.audit import IdentityAction
from micuenta.identity.errors import IdentityCode, IdentityError
from micuenta.identity.models import (
    CodePurpose,
    ConfirmationCode,
    Registration,
    SecurityEventKind,
    TermsAcceptance,
    User,
)
from micuenta.identity.selectors import (
    REGISTRATION_NOTICES_PER_HOUR,
    registration_account,
    registration_attempts_last_hour,
    registration_code_subject,
    terms_current,
)
from micuenta.identity.services.codes import code_check, code_issue
from micuenta.identity.services.history import notify_account, security_event_record
from micuenta.identity.timing import uniform_duration
from micuenta.notifications.models import Channel
from micuenta.notifications.services import notification_send
from micuenta.people.models import Worker, WorkerStatus

CONFIRMED_FIELD: dict[str, str] = {
    CodePurpose.REGISTRATION_EMAIL: "email_confirmed_at",
    CodePurpose.REGISTRATION_MOBILE: "mobile_confirmed_at",
}


def registration_start(*, actor: Actor, nss: str, curp: str, rfc: str, base_url: str) -> Registration | None:
    """Paso 1: NSS, CURP and RFC must name one living worker without an account; then a registration starts.

    Otherwise None, after the same time whatever the reason; when the worker already has an account, its owner
    hears of the attempt (an e-mail linking to `base_url`, and a line in the history) and nobody else does.
    """
    with uniform_duration(), transaction.atomic():
        worker = Worker.objects.filter(nss=nss).first()
        matches = (
            worker is not None and worker.curp == curp and worker.rfc == rfc and worker.status != WorkerStatus.FALLECIDO
        )
        account = User.objects.filter(worker=worker).first() if matches else None
        if worker is not None and matches and account is None:
            now = timezone.now()
            return Registration.objects.create(
                token=secrets.token_urlsafe(32),
                worker=worker,
                created_at=now,
                expires_at=now + timedelta(seconds=settings.MICUENTA_REGISTRATION_TTL_SECONDS),
            )
        if account is not None:
            # The owner hears of it (at most REGISTRATION_NOTICES_PER_HOUR e-mails an hour, the last one saying
            # that more attempts go only to the security history); the person at the keyboard gets the answer
            # everyone gets.
            earlier = registration_attempts_last_hour(account)
            security_event_record(actor=actor, kind=SecurityEventKind.REGISTRATION_REFUSED, user=account)
            if earlier < REGISTRATION_NOTICES_PER_HOUR:
                notify_account(
                    account,
                    "registration_attempt",
                    {"base_url": base_url, "last_notice": earlier == REGISTRATION_NOTICES_PER_HOUR - 1},
                )
        return None


def _code_send(actor: Actor, registration: Registration, purpose: str) -> ConfirmationCode:
    """Send the step's code. An address that already belongs to an account gets a notice instead of a code, and
    the person registering sees the same page as anyone else (no code arrives; they can change the address)."""
    by_email = purpose == CodePurpose.REGISTRATION_EMAIL
    destination = registration.email if by_email else registration.mobile
    in_use = by_email and User.objects.by_email(destination).exists()
    row = code_issue(
        actor=actor,
        purpose=purpose,
        subject=registration_code_subject(registration),
        channel=Channel.EMAIL if by_email else Channel.SMS,
        destination=None if in_use else destination,
        template="registration_code",
    )
    if in_use:
        notification_send(channel=Channel.EMAIL, to=destination, template="email_in_use", context={})
    return row


def registration_contact_set(*, actor: Actor, registration: Registration, email: str, mobile: str) -> Registration:
    """Paso 2: save the e-mail and mobile, and send a code to each one that changed.

    The other stays confirmed, or keeps its code. A refused send (too soon, the day's cap) changes nothing."""
    email_changed = email != registration.email
    mobile_changed = mobile != registration.mobile
    with transaction.atomic():
        registration.email, registration.mobile = email, mobile
        if email_changed:
            registration.email_confirmed_at = None
        if mobile_changed:
            registration.mobile_confirmed_at = None
        registration.save()
        if email_changed:
            _code_send(actor, registration, CodePurpose.REGISTRATION_EMAIL)
        if mobile_changed:
            _code_send(actor, registration, CodePurpose.REGISTRATION_MOBILE)
    return registration


def registration_code_send(*, actor: Actor, registration: Registration, purpose: str) -> ConfirmationCode:
    """Paso 3, "Reenviar código": a new code for the e-mail or the mobile; the previous one stops working."""
    with transaction.atomic():
        return _code_send(actor, registration, purpose)


def registration_code_confirm(*, actor: Actor, registration: Registration, purpose: str, entered: str) -> Registration:
    """Paso 3: the code typed back confirms the e-mail or the mobile. A wrong try counts and is refused."""
    field = CONFIRMED_FIELD[purpose]
    destination = registration.email if purpose == CodePurpose.REGISTRATION_EMAIL else registration.mobile
    with transaction.atomic():
        refusal = code_check(
            purpose=purpose,
            subject=registration_code_subject(registration),
            entered=entered,
            destination=destination,
        )
        if refusal is None:
            setattr(registration, field, timezone.now())
            registration.save(update_fields=[field])
    if refusal is not None:
        raise refusal
    return registration


ACCOUNT_TAKEN = (
    "No pudimos crear la cuenta: ya existe una con estos datos o con este correo. Si es tuya, inicia sesión o usa "
    "«Olvidé mi contraseña»."
)


def registration_complete(*, actor: Actor, registration: Registration, password: str) -> User:
    """Paso 4: the account exists, with the password and the terms in force accepted; welcome e-mail and SMS.

    When meanwhile an account took the worker or the e-mail, the registration ends without an account
    (IdentityError ACCOUNT_TAKEN). The password was checked by the form against `registration_account`.
    """
    if registration.email_confirmed_at is None or registration.mobile_confirmed_at is None:
        raise IdentityError(IdentityCode.REGISTRATION_INCOMPLETE, "Confirma tu correo y tu celular antes de seguir.")
    worker = registration.worker
    terms = terms_current()
    account: User | None = None
    with transaction.atomic():
        taken = (
            User.objects.select_for_update().filter(worker=worker).exists()
            or User.objects.by_email(registration.email).exists()
        )
        if taken:
            registration.delete()
        else:
            account = registration_account(registration)
            account.mobile = registration.mobile
            account.set_password(password)
            account.password_changed_at = timezone.now()
            account.full_clean(exclude=["password"])
            account.save()
            TermsAcceptance.objects.create(user=account, terms=terms)
            registration.completed_at = timezone.now()
            registration.save(update_fields=["completed_at"])
            security_event_record(actor=actor, kind=SecurityEventKind.ACCOUNT_CREATED, user=account)
            audit_record(
                actor=actor.with_user(account.pk),
                action=IdentityAction.ACCOUNT_CREATED,
                subject=account,
                worker_id=worker.pk,
                after={
                    "account": account.pk,
                    "email": mask_email(account.email),
                    "mobile": mask_phone(account.mobile),
                    "terminos": terms.version,
                },
            )
            notification_send(
                channel=Channel.EMAIL, to=account.email, template="welcome", context={"name": account.short_name}
            )
            notification_send(channel=Channel.SMS, to=account.mobile, template="welcome", context={})
    if account is None:
        raise IdentityError(IdentityCode.ACCOUNT_TAKEN, ACCOUNT_TAKEN)
    return account
