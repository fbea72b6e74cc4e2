from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from micuenta.ledger.models import Account, AccountKind


class AccountFactory(DjangoModelFactory[Account]):
    class Meta:
        model = Account

    code = factory.Sequence(lambda n: f"prueba:{n:06d}")
    name = factory.Sequence(lambda n: f"Cuenta de prueba {n}")
    kind = AccountKind.ASSET
