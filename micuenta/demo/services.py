"""Loading demo data; idempotent, so `make run` can call it every time."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from micuenta.backoffice.roles import roles_ensure
from micuenta.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from micuenta.demo.people import demo_people_load
from micuenta.demo.tramites import demo_cases_load
from micuenta.identity.models import User
from micuenta.notifications.models import Channel
from micuenta.notifications.services import notification_send
from micuenta.savings.services.gaps import contribution_gaps_refresh
from micuenta.tramites.roles import roles_ensure as tramites_roles_ensure


class DemoModeRequired(Exception):
    pass


@dataclass(frozen=True)
class DemoLoadReport:
    created: int
    existing: int
    people: int


def demo_data_load() -> DemoLoadReport:
    """Create the demo accounts that are missing and make sure the printed password works."""
    if not settings.MICUENTA_DEMO:
        raise DemoModeRequired("demo data is loaded only in demo mode (MICUENTA_DEMO=1)")
    created = existing = 0
    with transaction.atomic():
        roles_ensure()  # the CESI groups the staff demo accounts belong to
        tramites_roles_ensure()  # and the groups of the back office of trámites
        loaded = demo_people_load()
        workers = {person.email: worker for person, worker in loaded if person.email}
        for account in DEMO_ACCOUNTS:
            user = User.objects.filter(email=account.email).first()
            if user is None:
                user = User.objects.create_user(
                    email=account.email,
                    password=DEMO_PASSWORD,
                    first_name=account.first_name,
                    last_name=account.last_name,
                    is_staff=account.is_staff,
                    is_superuser=account.is_superuser,
                    worker=workers.get(account.email),
                    mobile=account.mobile,
                )
                created += 1
                if not account.is_staff:
                    notification_send(
                        channel=Channel.EMAIL, to=user.email, template="welcome", context={"name": user.first_name}
                    )
            else:
                existing += 1
                if not user.check_password(DEMO_PASSWORD) or not user.is_active or user.mobile != account.mobile:
                    user.set_password(DEMO_PASSWORD)
                    user.is_active = True
                    user.mobile = account.mobile
                    user.save(update_fields=["password", "is_active", "mobile"])
            if account.group:
                user.groups.add(Group.objects.get(name=account.group))
        users = {u.email: u for u in User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS])}
        demo_cases_load(
            people=users,
            analyst=users["analista.demo@micuenta.test"],
            supervisor=users["supervisora.tramites.demo@micuenta.test"],
        )
    # The back office's list of employers with missing contributions includes the demo people's.
    contribution_gaps_refresh(worker_ids=[worker.pk for _, worker in loaded])
    return DemoLoadReport(created=created, existing=existing, people=len(loaded))
