from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from micuenta.core.identifiers import validate_rfc
from micuenta.people.models import PensionRegime, Worker
from micuenta.people.tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db


def test_factory_worker_is_deterministic_and_consistent():
    worker = WorkerFactory.build(seq=0)

    assert (worker.nombre, worker.primer_apellido, worker.segundo_apellido) == ("Sofía", "Bautista", "Ibarra")
    assert (worker.fecha_nacimiento, worker.sexo, worker.entidad_nacimiento) == (date(1960, 1, 1), "M", "ZS")
    assert worker.curp == "BAIS600101MZSTBF04"
    assert worker.rfc == "BAIS6001014U2"
    assert worker.nss == "62826058661"  # subdelegación 62, registered in 1982, born in 1960 (docs/sources.md#nss)
    assert worker.first_contribution_on == date(1982, 1, 1)
    assert WorkerFactory.build(seq=0).curp == worker.curp


def test_factory_worker_passes_full_clean():
    worker = WorkerFactory.create()

    worker.full_clean()

    assert validate_rfc(worker.rfc).check_digit_ok is True


def test_factory_identifiers_follow_overridden_name():
    worker = WorkerFactory.build(
        nombre="Lucía", primer_apellido="Aguilar", segundo_apellido="Soto", fecha_nacimiento=date(1985, 4, 12),
        sexo="M", entidad_nacimiento="JC",
    )  # fmt: skip

    assert worker.curp[:16] == "AUSL850412MJCGTC"
    assert worker.rfc[:10] == "AUSL850412"


def test_full_clean_refuses_an_nss_with_a_wrong_check_digit():
    worker = WorkerFactory.create(nss="53987417451")

    with pytest.raises(ValidationError) as caught:
        worker.full_clean()

    assert caught.value.message_dict == {
        "nss": [
            "El NSS no es válido: el último dígito no corresponde a los anteriores. Revisa que lo hayas escrito "
            "igual que en tu constancia de semanas cotizadas del IMSS."
        ]
    }


def test_full_clean_refuses_a_short_nss():
    worker = WorkerFactory.create(nss="5398741745")

    with pytest.raises(ValidationError) as caught:
        worker.full_clean()

    assert caught.value.message_dict == {
        "nss": [
            "El NSS debe tener 11 dígitos y escribiste 10. Lo encuentras en tu constancia de semanas cotizadas "
            "del IMSS."
        ]
    }


def test_full_clean_refuses_a_curp_with_a_wrong_check_digit():
    worker = WorkerFactory.create(curp="AAMG890608HDFLJL01")

    with pytest.raises(ValidationError) as caught:
        worker.full_clean()

    assert caught.value.message_dict == {
        "curp": [
            "La CURP no es válida: el último dígito no corresponde a los demás caracteres. Revisa que la hayas "
            "escrito bien (por ejemplo, el cero y la letra O) o consúltala en gob.mx/curp."
        ]
    }


def test_full_clean_accepts_an_rfc_with_a_wrong_check_digit_as_a_warning_only():
    # Per python-stdnum, about 1.5 % of the RFCs in use carry a wrong check digit; it is a warning, not a refusal.
    worker = WorkerFactory.create(rfc="GODE561231GR9")

    worker.full_clean()

    result = validate_rfc(worker.rfc)
    assert result.check_digit_ok is False
    assert result.warnings == (
        "El último carácter del RFC (dígito verificador) no coincide con el que resulta de los demás. Algunos RFC "
        "asignados por el SAT son así; si no es tu caso, revisa que lo hayas escrito igual que en tu Constancia de "
        "Situación Fiscal.",
    )


def test_full_clean_refuses_an_rfc_with_an_impossible_date():
    worker = WorkerFactory.create(rfc="GODE561331GR8")

    with pytest.raises(ValidationError) as caught:
        worker.full_clean()

    assert caught.value.message_dict == {
        "rfc": [
            "La fecha del RFC («561331», año, mes y día) no existe. Revisa que lo hayas escrito bien. Lo encuentras "
            "en tu Constancia de Situación Fiscal del SAT."
        ]
    }


@pytest.mark.parametrize(
    ("first_contribution", "regime"),
    [
        (date(1997, 6, 30), PensionRegime.LEY_73),
        (date(1997, 7, 1), PensionRegime.LEY_97),
        (date(1993, 4, 1), PensionRegime.LEY_73),
        (date(2024, 11, 1), PensionRegime.LEY_97),
        (None, None),
    ],
)
def test_pension_regime_from_first_contribution(first_contribution, regime):
    worker = WorkerFactory.build(fecha_nacimiento=date(1975, 3, 9), first_contribution_on=first_contribution)

    assert worker.pension_regime == regime


def test_nombre_completo_with_and_without_second_surname():
    assert Worker(nombre="Lucía", primer_apellido="Aguilar", segundo_apellido="Soto").nombre_completo == (
        "Lucía Aguilar Soto"
    )
    single = Worker(nombre="María Fernanda", primer_apellido="Núñez", segundo_apellido="")
    assert single.nombre_completo == "María Fernanda Núñez"
    assert str(single) == "María Fernanda Núñez"


def test_factory_worker_without_second_surname_is_valid():
    worker = WorkerFactory.create(nombre="Mateo", primer_apellido="Ortega", segundo_apellido="")

    worker.full_clean()

    assert worker.nombre_completo == "Mateo Ortega"
    assert worker.curp[:4] == "OEXM"  # no second surname: X in position 3 (docs/sources.md#curp)


def test_nss_is_unique_in_the_database():
    first = WorkerFactory.create()

    with pytest.raises(IntegrityError), transaction.atomic():
        WorkerFactory.create(nss=first.nss)


def test_curp_is_unique_in_the_database():
    first = WorkerFactory.create()

    with pytest.raises(IntegrityError), transaction.atomic():
        WorkerFactory.create(curp=first.curp)
