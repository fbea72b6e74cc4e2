"""Synthetic employers and employment relations, valid and consistent with their worker."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from micuenta.core.identifiers import generate_registro_patronal, rfc_check_digit
from micuenta.core.money import money
from micuenta.employment.models import Employer, EmploymentMovement, EmploymentRelation, MovementType, WorkerType
from micuenta.people.tests.factories import WorkerFactory

# A razón social of three words plus the type of company: an RFC persona moral takes the initial of each of the
# first three words (docs/sources.md#rfc).
GIROS = ("Constructora", "Comercializadora", "Servicios", "Manufacturas", "Alimentos", "Transportes", "Textiles")
REGIONES = ("Altos", "Bajío", "Golfo", "Norte", "Pacífico", "Sierra", "Valle", "Centro")
PLAZAS = (
    ("Guadalajara", "JC"),
    ("Monterrey", "NL"),
    ("Puebla", "PL"),
    ("Mérida", "YN"),
    ("Querétaro", "QT"),
    ("Hermosillo", "SR"),
    ("León", "GT"),
    ("Cuauhtémoc", "DF"),
)
# SAT homoclave pattern: first character 1-9 or A-V, second 1-9 or A-Z, never zero nor O (docs/sources.md#rfc).
HOMOCLAVE_FIRST = "123456789ABCDEFGHIJKLMNPQRSTUV"
HOMOCLAVE_SECOND = "123456789ABCDEFGHIJKLMNPQRSTUVWXYZ"
FOUNDED_START = date(1970, 1, 1)
FOUNDED_SPAN_DAYS = 50 * 365
# Daily SBC between the 2025 salario mínimo general (278.80) and 25 UMA of 2025 (2,828.50), docs/sources.md#sbc-cap.
SBC_MIN_CENTAVOS = 27_880
SBC_MAX_CENTAVOS = 282_850


def rfc_moral(rng: random.Random, *, razon_social: str, founded: date) -> str:
    """RFC persona moral: 3 letters, YYMMDD of the constitution, 2 homoclave characters and the check digit."""
    letters = "".join(word[0] for word in razon_social.split()[:3]).upper()
    body = f"{letters}{founded:%y%m%d}{rng.choice(HOMOCLAVE_FIRST)}{rng.choice(HOMOCLAVE_SECOND)}"
    return body + rfc_check_digit(body)


class EmployerFactory(DjangoModelFactory[Employer]):
    class Meta:
        model = Employer

    class Params:
        seq = factory.Sequence(int)
        rng = factory.LazyAttribute(lambda o: random.Random(f"patron:{o.seq}"))  # noqa: S311 (synthetic data)
        plaza = factory.LazyAttribute(lambda o: o.rng.choice(PLAZAS))
        founded = factory.LazyAttribute(lambda o: FOUNDED_START + timedelta(days=o.rng.randrange(FOUNDED_SPAN_DAYS)))

    registro_patronal = factory.LazyAttribute(lambda o: generate_registro_patronal(o.rng))
    razon_social = factory.LazyAttribute(
        lambda o: f"{o.rng.choice(GIROS)} {o.rng.choice(REGIONES)} {o.plaza[0]}, S.A. de C.V."
    )
    rfc = factory.LazyAttribute(lambda o: rfc_moral(o.rng, razon_social=o.razon_social, founded=o.founded))
    municipio = factory.LazyAttribute(lambda o: o.plaza[0])
    estado = factory.LazyAttribute(lambda o: o.plaza[1])


class EmploymentRelationFactory(DjangoModelFactory[EmploymentRelation]):
    """A current relation that starts on the worker's first IMSS registration (or at 18 without one)."""

    class Meta:
        model = EmploymentRelation

    class Params:
        seq = factory.Sequence(int)
        rng = factory.LazyAttribute(lambda o: random.Random(f"relacion:{o.seq}"))  # noqa: S311 (synthetic data)

    worker = factory.SubFactory(WorkerFactory)
    employer = factory.SubFactory(EmployerFactory)
    started_on = factory.LazyAttribute(
        lambda o: (
            o.worker.first_contribution_on
            or o.worker.fecha_nacimiento.replace(year=o.worker.fecha_nacimiento.year + 18, day=1)
        )
    )
    ended_on = None
    sbc = factory.LazyAttribute(lambda o: money(Decimal(o.rng.randrange(SBC_MIN_CENTAVOS, SBC_MAX_CENTAVOS)) / 100))
    worker_type = WorkerType.PERMANENTE


class EmploymentMovementFactory(DjangoModelFactory[EmploymentMovement]):
    """The alta that opens its relation, with the relation's date and SBC."""

    class Meta:
        model = EmploymentMovement

    relation = factory.SubFactory(EmploymentRelationFactory)
    kind = MovementType.ALTA
    effective_on = factory.LazyAttribute(lambda o: o.relation.started_on)
    sbc = factory.LazyAttribute(lambda o: o.relation.sbc)
