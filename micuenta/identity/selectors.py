"""Reads of the online account: sessions, codes, a registration in progress, locks, the terms in force."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django_otp import user_has_device

from micuenta.identity.models import (
    ConfirmationCode,
    DeviceSession,
    Registration,
    SecurityEvent,
    SecurityEventKind,
    TermsVersion,
    User,
)

# --- Sessions --------------------------------------------------------------------------------------------


def sessions_live() -> QuerySet[DeviceSession]:
    """Sessions not ended and still within the idle and absolute limits (last_seen_at lags by up to a minute)."""
    now = timezone.now()
    idle = timedelta(seconds=settings.MICUENTA_SESSION_IDLE_SECONDS + 60)
    absolute = timedelta(seconds=settings.MICUENTA_SESSION_ABSOLUTE_SECONDS)
    return DeviceSession.objects.filter(
        ended_at__isnull=True, last_seen_at__gte=now - idle, created_at__gte=now - absolute
    )


def sessions_active(user: User) -> list[DeviceSession]:
    return list(sessions_live().filter(user=user).order_by("-last_seen_at"))


# --- Confirmation codes ----------------------------------------------------------------------------------


def code_row(*, purpose: str, subject: str) -> ConfirmationCode | None:
    return ConfirmationCode.objects.filter(purpose=purpose, subject=subject).first()


def code_resend_wait(row: ConfirmationCode) -> int:
    """Seconds until "Reenviar código" may be used again (0 when it may)."""
    ready = row.sent_at + timedelta(seconds=settings.MICUENTA_CODE_RESEND_AFTER_SECONDS)
    return max(0, int((ready - timezone.now()).total_seconds() + 0.999))


def code_is_locked(*, purpose: str, subject: str) -> bool:
    return ConfirmationCode.objects.filter(
        purpose=purpose, subject=subject, failed_attempts__gte=settings.MICUENTA_CODE_MAX_FAILURES
    ).exists()


# --- Registration ----------------------------------------------------------------------------------------


def registration_current(token: str | None) -> Registration | None:
    """The registration in progress named by the token kept in the person's session, unless done or expired."""
    if not token:
        return None
    registration = Registration.objects.select_related("worker").filter(token=token, completed_at=None).first()
    if registration is None or registration.is_expired:
        return None
    return registration


def registration_code_subject(registration: Registration) -> str:
    # By worker, not by registration: starting over does not reset wrong tries or the day's sends.
    return f"worker:{registration.worker_id}"


def registration_account(registration: Registration) -> User:
    """The account the registration will create (not saved): what the password is checked against."""
    worker = registration.worker
    return User(
        email=registration.email,
        first_name=worker.nombre,
        last_name=" ".join(p for p in (worker.primer_apellido, worker.segundo_apellido) if p),
        worker=worker,
    )


def terms_current() -> TermsVersion:
    terms = TermsVersion.objects.filter(in_force_from__lte=timezone.localdate()).first()
    if terms is None:  # pragma: no cover - a migration loads the first version
        raise RuntimeError("No terms and conditions are in force")
    return terms


# --- Locks -----------------------------------------------------------------------------------------------

# Changes that could have put the account's e-mail in someone else's hands: a "No fui yo" on one of them (or
# made within CONTACT_CHANGE_WINDOW of one) locks the account until a CESI lifts it, not a link sent by e-mail.
CONTACT_TAKEOVER_KINDS = frozenset(
    {SecurityEventKind.EMAIL_CHANGED, SecurityEventKind.MOBILE_CHANGED, SecurityEventKind.MFA_DISABLED}
)
CONTACT_CHANGE_WINDOW = timedelta(days=30)


def lock_needs_cesi(user: User, reported: SecurityEvent | None = None) -> bool:
    if reported is not None and reported.kind in CONTACT_TAKEOVER_KINDS:
        return True
    return SecurityEvent.objects.filter(
        user=user, kind__in=CONTACT_TAKEOVER_KINDS, created_at__gte=timezone.now() - CONTACT_CHANGE_WINDOW
    ).exists()


def event_when(event: SecurityEvent) -> str:
    """`3 de marzo de 2026, 14:05`, in the portal's time zone."""
    return date_format(timezone.localtime(event.created_at), r"j \d\e F \d\e Y, H:i").lower()


# --- Who a line of "Actividad de seguridad" is by ----------------------------------------------------------

# What a CESI's advisor does with the person in front of them, on their official ID (micuenta/backoffice): done in
# the person's name, so «No fui yo» stays on it (whoever did not go to a CESI learns that someone went with their
# data, and a change of contact data reported this way locks the account until a CESI lifts it).
CESI_KINDS = frozenset(
    {
        SecurityEventKind.STAFF_LOOKUP,
        SecurityEventKind.UNLOCKED,
        SecurityEventKind.EMAIL_CHANGED,
        SecurityEventKind.MOBILE_CHANGED,
        SecurityEventKind.MFA_DISABLED,
    }
)
# The Institute's staff at work on the person's trámites (a document reviewed, an approved correction applied):
# not done in the person's name nor from their account, so there is nothing to report as «No fui yo».
TRAMITE_STAFF_KINDS = frozenset({SecurityEventKind.DOCUMENT_VIEWED, SecurityEventKind.DATA_CORRECTED})
# The detail of a trámite's line: what (a document's name, the corrected data) and the folio.
TRAMITE_DETAIL_SEPARATOR = " · "


class EventBy(StrEnum):
    PERSON = "persona"  # from the person's account (or someone with their password)
    CESI = "cesi"  # an advisor of a CESI, attending the person
    INSTITUTE = "instituto"  # the Institute's staff, on their own work


def tramite_detail(what: str, folio: str) -> str:
    """The detail of a trámite's line in the person's history: `Identificación oficial · COR-2026-000123`."""
    return f"{what}{TRAMITE_DETAIL_SEPARATOR}{folio}"


def event_by(event: SecurityEvent) -> EventBy:
    """Who the line is by. Staff are named on a line (`actor`) only when they acted on someone else's account."""
    if event.kind in TRAMITE_STAFF_KINDS:
        return EventBy.INSTITUTE
    if event.actor_id is None:
        return EventBy.PERSON
    return EventBy.CESI if event.kind in CESI_KINDS else EventBy.INSTITUTE


def event_reportable(event: SecurityEvent) -> bool:
    """Whether «No fui yo» applies: not to what the Institute's staff did on their own."""
    return event_by(event) != EventBy.INSTITUTE


@dataclass(frozen=True)
class ActivityLine:
    """A line of "Actividad de seguridad" as the person reads it."""

    event: SecurityEvent
    by: EventBy
    who: str  # empty for the person's own lines, which show their device, place and network instead
    detail: str
    folio: str = ""  # the trámite the line is about, said after `who` («… de tu trámite COR-2026-000123»)

    @property
    def reportable(self) -> bool:
        return self.by != EventBy.INSTITUTE


def activity_line(event: SecurityEvent) -> ActivityLine:
    """Who did it, in words by kind; a staff member's device and network are never shown as the person's."""
    by = event_by(event)
    if by == EventBy.PERSON:
        return ActivityLine(event, by, "", event.detail)
    if by == EventBy.CESI:
        return ActivityLine(event, by, "Personal del CESI, al atenderte en persona", event.detail)
    what, separator, folio = event.detail.rpartition(TRAMITE_DETAIL_SEPARATOR)
    if not separator:
        what, folio = event.detail, ""
    if event.kind == SecurityEventKind.DOCUMENT_VIEWED:
        return ActivityLine(event, by, "Personal del Instituto revisó un documento de tu trámite", what, folio)
    if event.kind == SecurityEventKind.DATA_CORRECTED:
        return ActivityLine(event, by, "Personal del Instituto aplicó la corrección de tu trámite", what, folio)
    return ActivityLine(event, by, "Personal del Instituto", event.detail)


# --- Re-authentication on Mi perfil › Seguridad ------------------------------------------------------------

# Wrong "Contraseña actual" on these pages: after REAUTH_LIMIT within REAUTH_WINDOW the forms wait.
REAUTH_LIMIT = 5
REAUTH_WINDOW = timedelta(minutes=15)
REAUTH_DETAIL = "Contraseña actual incorrecta en Mi perfil › Seguridad."


def _reauth_failures(user: User) -> QuerySet[SecurityEvent]:
    since = timezone.now() - REAUTH_WINDOW
    return SecurityEvent.objects.filter(
        user=user, kind=SecurityEventKind.LOGIN_FAILED, detail=REAUTH_DETAIL, created_at__gte=since
    )


def reauth_locked_until(user: User) -> datetime | None:
    """When the password forms open again, or None when they are open."""
    failures = list(_reauth_failures(user).order_by("-created_at").values_list("created_at", flat=True)[:REAUTH_LIMIT])
    if len(failures) < REAUTH_LIMIT:
        return None
    return failures[-1] + REAUTH_WINDOW


def reauth_tries_left(user: User) -> int:
    return max(REAUTH_LIMIT - _reauth_failures(user).count(), 1)


# --- Recovery --------------------------------------------------------------------------------------------

RESET_LINKS_PER_HOUR = 3  # more requests get the same answer and no e-mail: a mailbox cannot be flooded


def reset_links_last_hour(user: User) -> int:
    return SecurityEvent.objects.filter(
        user=user, kind=SecurityEventKind.PASSWORD_RESET_REQUESTED, created_at__gte=timezone.now() - timedelta(hours=1)
    ).count()


REGISTRATION_NOTICES_PER_HOUR = 3  # e-mails about attempts to register with an account's data; more go to history


def registration_attempts_last_hour(user: User) -> int:
    """Attempts to register again with the data of this account's worker in the last hour."""
    return SecurityEvent.objects.filter(
        user=user, kind=SecurityEventKind.REGISTRATION_REFUSED, created_at__gte=timezone.now() - timedelta(hours=1)
    ).count()


def deletion_user(subject: str) -> User | None:
    """The account a deletion code is for ("user:<id>"); None for a code that is never sent ("nobody:…")."""
    if not subject.startswith("user:"):
        return None
    return User.objects.filter(pk=subject.removeprefix("user:")).first()


def deletion_is_safe(user: User) -> bool:
    """Self-service deletion needs the registered mobile, no security lock and no second factor: an account
    protected by an authenticator app or a passkey is not deleted on an SMS code alone (SIM swapping)."""
    return bool(user.mobile) and user.security_locked_at is None and not user_has_device(user)


def deletion_destination(subject: str) -> str | None:
    """Where the deletion code goes: the account's mobile while deletion is safe, else nowhere."""
    user = deletion_user(subject)
    if user is None or not deletion_is_safe(user):
        return None
    return user.mobile


def deletion_refused(subject: str) -> bool:
    """The code's account exists but may no longer be deleted online (locked, or its mobile or second factor
    changed since the code was sent)."""
    user = deletion_user(subject)
    return user is not None and not deletion_is_safe(user)
