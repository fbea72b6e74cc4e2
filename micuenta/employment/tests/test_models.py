from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from micuenta.core.identifiers import validate_rfc
from micuenta.employment.models import MovementType
from micuenta.employment.tests.factories import (
    EmployerFactory,
    EmploymentMovementFactory,
    EmploymentRelationFactory,
)
from micuenta.people.tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db


def test_factory_employer_is_valid_with_an_rfc_persona_moral():
    employer = EmployerFactory.create(seq=0)

    employer.full_clean()

    assert employer.registro_patronal == "03691677032"
    assert employer.razon_social == "Servicios Golfo Cuauhtémoc, S.A. de C.V."
    assert employer.rfc == "SGC9604141V9"  # initials of the first three words, 14 April 1996, homoclave 1V, 9
    assert (employer.municipio, employer.estado) == ("Cuauhtémoc", "DF")
    result = validate_rfc(employer.rfc, kind="moral")
    assert (result.check_digit_ok, result.warnings) == (True, ())
    assert str(employer) == "Servicios Golfo Cuauhtémoc, S.A. de C.V. (03691677032)"


def test_factory_relation_starts_on_the_first_registration_and_is_valid():
    worker = WorkerFactory.create(fecha_nacimiento=date(1980, 5, 17), first_contribution_on=date(1999, 8, 1))

    relation = EmploymentRelationFactory.create(worker=worker, seq=0)

    relation.full_clean()
    assert relation.started_on == date(1999, 8, 1)
    assert relation.ended_on is None
    assert relation.sbc == Decimal("2283.51")


def test_a_relation_ending_before_it_starts_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        EmploymentRelationFactory.create(started_on=date(2020, 3, 2), ended_on=date(2020, 3, 1))


def test_a_relation_may_end_on_the_day_it_starts():
    relation = EmploymentRelationFactory.create(started_on=date(2020, 3, 2), ended_on=date(2020, 3, 2))

    assert relation.ended_on == date(2020, 3, 2)


@pytest.mark.parametrize("sbc", [Decimal("0.00"), Decimal("-278.80")])
def test_sbc_not_positive_is_refused_by_the_database(sbc):
    with pytest.raises(IntegrityError), transaction.atomic():
        EmploymentRelationFactory.create(sbc=sbc)


def test_is_current_until_the_baja():
    relation = EmploymentRelationFactory.create(started_on=date(2020, 3, 2))
    assert relation.is_current is True
    assert str(relation) == f"{relation.employer_id} 2020-03-02–vigente"

    relation.ended_on = date(2023, 6, 30)
    relation.save()

    assert relation.is_current is False
    assert str(relation) == f"{relation.employer_id} 2020-03-02–2023-06-30"


def test_movements_are_ordered_by_date_then_by_arrival():
    relation = EmploymentRelationFactory.create(started_on=date(2020, 1, 6), sbc=Decimal("450.00"))
    EmploymentMovementFactory.create(
        relation=relation, kind=MovementType.BAJA, effective_on=date(2022, 5, 31), sbc=None
    )
    EmploymentMovementFactory.create(relation=relation, kind=MovementType.ALTA, effective_on=date(2020, 1, 6))
    EmploymentMovementFactory.create(
        relation=relation, kind=MovementType.MODIFICACION, effective_on=date(2021, 2, 1), sbc=Decimal("520.00")
    )
    EmploymentMovementFactory.create(
        relation=relation, kind=MovementType.MODIFICACION, effective_on=date(2022, 5, 31), sbc=Decimal("530.00")
    )

    assert [(m.kind, m.effective_on, m.sbc) for m in relation.movements.all()] == [
        ("ALTA", date(2020, 1, 6), Decimal("450.00")),
        ("MODIFICACION", date(2021, 2, 1), Decimal("520.00")),
        ("BAJA", date(2022, 5, 31), None),
        ("MODIFICACION", date(2022, 5, 31), Decimal("530.00")),
    ]
    assert str(relation.movements.first()) == "Alta 2020-01-06"
