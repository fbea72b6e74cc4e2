"""Reads for the CESI back office: the worker found, the state of the online account, valid ID checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django_otp import user_has_device

from micuenta.backoffice.models import IdCheck, StaffAction
from micuenta.core.privacy import mask_email, mask_phone
from micuenta.identity.models import SecurityEvent, SecurityEventKind, User
from micuenta.identity.throttling import account_throttled_until
from micuenta.people.models import Worker

ID_CHECK_VALID_FOR = timedelta(hours=2)


def mask_identifier(value: str, *, keep: int = 4) -> str:
    """`12345678901` → `*******8901`."""
    value = value or ""
    if len(value) <= keep:
        return "*" * len(value)
    return "*" * (len(value) - keep) + value[-keep:]


def worker_find(identifier: str) -> Worker | None:
    """The worker with this NSS (11 digits) or CURP (18 characters), or None."""
    identifier = "".join(identifier.split()).upper()
    if len(identifier) == 11 and identifier.isdigit():
        return Worker.objects.filter(nss=identifier).first()
    if len(identifier) == 18 and identifier.isalnum():
        return Worker.objects.filter(curp=identifier).first()
    return None


def account_of(worker: Worker) -> User | None:
    return User.objects.filter(worker=worker).first()


@dataclass(frozen=True)
class WorkerView:
    """What the CESI screen shows of a worker: identifiers masked, the online account's state."""

    worker: Worker
    name: str
    nss_masked: str
    curp_masked: str
    account: User | None
    email_masked: str
    mobile_masked: str
    locked_at: datetime | None
    lock_reason: str
    throttled_until: datetime | None
    has_second_factor: bool = False

    @property
    def has_account(self) -> bool:
        return self.account is not None

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None or self.throttled_until is not None


def worker_view(worker: Worker) -> WorkerView:
    account = account_of(worker)
    name = " ".join(p for p in (worker.nombre, worker.primer_apellido, worker.segundo_apellido) if p)
    return WorkerView(
        worker=worker,
        name=name,
        nss_masked=mask_identifier(worker.nss),
        curp_masked=mask_identifier(worker.curp),
        account=account,
        email_masked=mask_email(account.email) if account else "",
        mobile_masked=mask_phone(account.mobile) if account and account.mobile else "",
        locked_at=account.security_locked_at if account else None,
        lock_reason=account.security_lock_reason if account else "",
        throttled_until=account_throttled_until(account) if account else None,
        has_second_factor=bool(account) and user_has_device(account, confirmed=True),
    )


def id_check_current(staff: Any, worker: Worker, *, now: datetime | None = None) -> IdCheck | None:
    """The latest ID check this member of staff recorded for this worker in the last two hours."""
    since = (now or timezone.now()) - ID_CHECK_VALID_FOR
    return IdCheck.objects.filter(staff=staff, worker=worker, created_at__gte=since).order_by("-created_at").first()


def audit_log(
    *, date_from: date | None = None, date_to: date | None = None, staff: Any = None
) -> QuerySet[StaffAction]:
    """Staff actions, newest first, within local calendar dates (inclusive) and by one member of staff."""
    rows = _within_dates(StaffAction.objects.select_related("staff", "worker", "id_check"), date_from, date_to)
    if staff is not None:
        rows = rows.filter(staff=staff)
    return rows.order_by("-created_at", "-pk")


def _within_dates(rows: QuerySet[Any], date_from: date | None, date_to: date | None) -> QuerySet[Any]:
    """Rows created within local calendar dates, both inclusive."""
    tz = timezone.get_current_timezone()
    if date_from is not None:
        rows = rows.filter(created_at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to is not None:
        rows = rows.filter(created_at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz))
    return rows


def audit_staff_choices() -> QuerySet[User]:
    """Members of staff who appear in the audit log."""
    ids = StaffAction.objects.values("staff_id")
    return User.objects.filter(pk__in=ids).order_by("first_name", "last_name", "pk")


def lookup_log(*, date_from: date | None = None, date_to: date | None = None, staff: Any = None) -> QuerySet[Any]:
    """Every look of a member of staff at a worker's data (kept in the worker's security history), newest first."""
    lookups = SecurityEvent.objects.filter(kind=SecurityEventKind.STAFF_LOOKUP).select_related("actor", "worker")
    rows = _within_dates(lookups, date_from, date_to)
    if staff is not None:
        rows = rows.filter(actor=staff)
    return rows.order_by("-created_at", "-pk")


def lookup_staff_choices() -> QuerySet[User]:
    ids = SecurityEvent.objects.filter(kind=SecurityEventKind.STAFF_LOOKUP).values("actor_id")
    return User.objects.filter(pk__in=ids).order_by("first_name", "last_name", "pk")
