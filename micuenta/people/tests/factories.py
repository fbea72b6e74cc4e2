"""Synthetic workers with valid, mutually consistent identifiers.

Each instance draws from a ``random.Random`` seeded with its sequence number, so the same sequence gives the same
person. The birth date is a bijection of the sequence number over 14,600 days, which keeps CURP (and RFC) unique
for the first 14,600 workers of a run; the NSS embeds its years and a random progressive number (docs/sources.md#nss).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import factory
from factory.django import DjangoModelFactory

from micuenta.core.identifiers import CURP_STATES, build_curp, build_rfc_fisica, generate_nss
from micuenta.people.models import Afore, Sex, Worker

NOMBRES_H = ("Mateo", "Santiago", "José Luis", "Emiliano", "Diego", "Juan Carlos", "Andrés", "Leonardo")
NOMBRES_M = ("Lucía", "Ximena", "María Fernanda", "Renata", "Valeria", "Guadalupe", "Sofía", "Camila")
APELLIDOS = (
    "Aguilar",
    "Bautista",
    "Cervantes",
    "Domínguez",
    "Espinoza",
    "Flores",
    "Guerrero",
    "Hernández",
    "Ibarra",
    "Juárez",
    "López",
    "Muñoz",
    "Núñez",
    "Ortega",
    "Pérez",
    "Ramírez",
)
# Births before 2000 only: CURP position 17 is then a digit (docs/sources.md#curp).
BIRTH_START = date(1960, 1, 1)
BIRTH_SPAN_DAYS = 14_600  # up to 1999-12-21
BIRTH_STEP = 1_009  # a prime that does not divide the span: n -> n * step % span is one-to-one
STATES = tuple(sorted(CURP_STATES - {"NE"}))


def birth_date(n: int) -> date:
    return BIRTH_START + timedelta(days=n * BIRTH_STEP % BIRTH_SPAN_DAYS)


class WorkerFactory(DjangoModelFactory[Worker]):
    class Meta:
        model = Worker

    class Params:
        seq = factory.Sequence(int)
        rng = factory.LazyAttribute(lambda o: random.Random(o.seq))  # noqa: S311 (synthetic data, not secrets)

    sexo = factory.LazyAttribute(lambda o: o.rng.choice((Sex.HOMBRE, Sex.MUJER)).value)
    nombre = factory.LazyAttribute(lambda o: o.rng.choice(NOMBRES_H if o.sexo == Sex.HOMBRE else NOMBRES_M))
    primer_apellido = factory.LazyAttribute(lambda o: o.rng.choice(APELLIDOS))
    segundo_apellido = factory.LazyAttribute(lambda o: o.rng.choice(APELLIDOS))
    fecha_nacimiento = factory.LazyAttribute(lambda o: birth_date(o.seq))
    entidad_nacimiento = factory.LazyAttribute(lambda o: o.rng.choice(STATES))
    afore = factory.LazyAttribute(lambda o: o.rng.choice(list(Afore)).value)
    # First IMSS registration between 18 and 25 years of age, on the first of the month.
    first_contribution_on = factory.LazyAttribute(
        lambda o: date(o.fecha_nacimiento.year + o.rng.randint(18, 25), o.fecha_nacimiento.month, 1)
    )
    curp = factory.LazyAttribute(
        lambda o: build_curp(
            nombre=o.nombre,
            primer_apellido=o.primer_apellido,
            segundo_apellido=o.segundo_apellido or None,
            fecha_nacimiento=o.fecha_nacimiento,
            sexo=o.sexo,
            entidad=o.entidad_nacimiento,
        )
    )
    rfc = factory.LazyAttribute(
        lambda o: build_rfc_fisica(
            nombre=o.nombre,
            primer_apellido=o.primer_apellido,
            segundo_apellido=o.segundo_apellido or None,
            fecha_nacimiento=o.fecha_nacimiento,
        )
    )
    nss = factory.LazyAttribute(
        lambda o: generate_nss(
            o.rng,
            registration_year=(
                o.first_contribution_on.year if o.first_contribution_on else o.fecha_nacimiento.year + 18
            ),
            birth_year=o.fecha_nacimiento.year,
        )
    )
