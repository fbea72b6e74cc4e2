from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from micuenta.identity.models import User

TEST_PASSWORD = "correcto-caballo-bateria-grapa"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persona{n}@ejemplo.test")
    first_name = factory.Iterator(["Lucía", "Mateo", "Ximena", "Santiago", "Renata"])
    last_name = factory.Iterator(["Aguilar Soto", "Bautista León", "Cervantes Mora", "Domínguez Paz"])

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: Any) -> None:
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save(update_fields=["password"])
