"""Opening the Subcuenta de Vivienda."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from micuenta.core.actors import Actor
from micuenta.core.audit import audit_record
from micuenta.ledger.accounts import pocket_code
from micuenta.ledger.models import Account, AccountKind
from micuenta.people.models import Worker
from micuenta.savings.audit import SavingsAction
from micuenta.savings.models import HousingSubaccount, Pocket, SubaccountPocket


def subaccount_open(*, actor: Actor, worker: Worker, opened_on: date) -> HousingSubaccount:
    """The worker's subaccount with its four pockets, each a liability account of the fund (it owes the savings);
    opened once."""
    with transaction.atomic():
        subaccount, created = HousingSubaccount.objects.get_or_create(worker=worker, defaults={"opened_on": opened_on})
        if created:
            for pocket in Pocket:
                account = Account.objects.create(
                    code=pocket_code(worker.pk, pocket.value),
                    name=f"{pocket.label} — derechohabiente {worker.pk}",
                    kind=AccountKind.LIABILITY,
                )
                SubaccountPocket.objects.create(subaccount=subaccount, pocket=pocket.value, account=account)
            audit_record(
                actor=actor,
                action=SavingsAction.SUBACCOUNT_OPENED,
                subject=subaccount,
                worker_id=worker.pk,
                after={"opened_on": opened_on},
            )
    return subaccount
