"""Demo-only pages: the synthetic people's identifiers, so that the account flows can be tried by hand."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from micuenta.core.privacy import mask_phone
from micuenta.demo.accounts import DEMO_ACCOUNTS
from micuenta.demo.people import demo_people_curps
from micuenta.identity.models import User
from micuenta.people.models import Worker


def people(request: HttpRequest) -> HttpResponse:
    """NSS, CURP and RFC of the demo workers (all synthetic). Exists only in demo mode."""
    if not settings.MICUENTA_DEMO:
        raise Http404
    roles = {account.email: account.role for account in DEMO_ACCOUNTS}
    workers = Worker.objects.filter(curp__in=demo_people_curps()).order_by("nombre")
    accounts = {user.worker_id: user for user in User.objects.filter(worker__in=workers)}
    rows = []
    for worker in workers:
        account = accounts.get(worker.pk)
        rows.append(
            {
                "worker": worker,
                "email": account.email if account else "",
                "mobile": mask_phone(account.mobile) if account and account.mobile else "",
                "role": roles.get(account.email, "") if account else "",
            }
        )
    return render(request, "demo/people.html", {"rows": rows})
