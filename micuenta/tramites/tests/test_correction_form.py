"""«Corregir mis datos»: what a new CURP, RFC or name must be before a case is filed. The check digit is computed
by python-stdnum, not by the portal's own code."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.mx import rfc as stdnum_rfc

from micuenta.core.identifiers import build_rfc_fisica
from micuenta.people.tests.factories import WorkerFactory
from micuenta.tramites.forms import CorrectionForm
from micuenta.tramites.kinds.correccion import REQUIREMENTS, details
from micuenta.tramites.models import Case, Status
from micuenta.tramites.tests.factories import other_curp, pdf_upload

pytestmark = pytest.mark.django_db


def form(worker, campo: str, **data) -> CorrectionForm:
    files = {f"doc_{r.code}": pdf_upload(f"{r.code}.pdf") for r in REQUIREMENTS[campo]}
    return CorrectionForm(campo, worker, data={"explanation": "", **data}, files=files)


def own_rfc(worker, homoclave: str = "") -> str:
    """The worker's RFC with another homoclave and the check digit python-stdnum computes for it."""
    body = worker.rfc[:10] + (homoclave or ("A1" if worker.rfc[10:12] != "A1" else "B2"))
    return body + stdnum_rfc.calc_check_digit(body)


def test_an_rfc_with_the_right_check_digit_is_accepted_without_a_question():
    worker = WorkerFactory.create()
    filled = form(worker, "rfc", rfc=own_rfc(worker).lower())
    assert filled.is_valid(), filled.errors
    assert filled.request_data()["nuevo"] == {"rfc": own_rfc(worker)}
    assert filled.request_data()["advertencias"] == []


def test_a_wrong_check_digit_is_asked_about_and_staff_read_what_the_person_confirmed():
    worker = WorkerFactory.create()
    right = own_rfc(worker)
    wrong = right[:-1] + ("1" if right[-1] != "1" else "2")

    asked = form(worker, "rfc", rfc=wrong)
    assert not asked.is_valid()
    assert "dígito verificador" in asked.errors["confirmed"][0]
    confirmed = form(worker, "rfc", rfc=wrong, confirmed="on")
    assert confirmed.is_valid(), confirmed.errors

    case = Case(kind="correccion_datos", status=Status.RECIBIDA, data=confirmed.request_data())
    staff_rows = dict(details(case, for_staff=True))
    assert "dígito verificador" in staff_rows["Para revisar (la persona confirmó que así lo escribió)"]


def test_letters_that_do_not_follow_the_registered_name_are_asked_about():
    worker = WorkerFactory.create()
    letters = "ZZZX" if worker.rfc[:4] != "ZZZX" else "YYYX"
    body = letters + worker.rfc[4:10] + "A1"
    filled = form(worker, "rfc", rfc=body + stdnum_rfc.calc_check_digit(body))
    assert not filled.is_valid()
    assert f"«{letters}»" in filled.errors["confirmed"][0] and "«Mi nombre»" in filled.errors["confirmed"][0]


def test_an_rfc_of_another_person_is_refused_even_if_confirmed():
    worker, other = WorkerFactory.create(), WorkerFactory.create()
    filled = form(worker, "rfc", rfc=other.rfc, confirmed="on")
    assert not filled.is_valid()
    assert "registrado con otro Número de Seguridad Social" in filled.errors["rfc"][0]


def test_an_rfc_whose_birth_date_contradicts_the_record_is_refused_with_where_to_go():
    worker = WorkerFactory.create(fecha_nacimiento=date(1972, 11, 5))
    other_birth = build_rfc_fisica(
        nombre=worker.nombre,
        primer_apellido=worker.primer_apellido,
        segundo_apellido=worker.segundo_apellido,
        fecha_nacimiento=date(1988, 4, 12),
    )
    filled = form(worker, "rfc", rfc=other_birth, confirmed="on")
    assert not filled.is_valid()
    message = filled.errors["rfc"][0]
    assert "12/04/88" in message and "05/11/72" in message and "acta de nacimiento" in message


def test_the_generic_rfc_is_refused():
    filled = form(WorkerFactory.create(), "rfc", rfc="XAXX010101000", confirmed="on")
    assert not filled.is_valid()
    assert "genérico" in filled.errors["rfc"][0]


def test_a_curp_of_another_state_is_refused_naming_both_states():
    worker = WorkerFactory.create(entidad_nacimiento="DF")
    new = other_curp(worker, entidad_nacimiento="JC")
    filled = form(worker, "curp", curp=new)
    assert not filled.is_valid()
    message = filled.errors["curp"][0]
    assert "Jalisco" in message and "Ciudad de México" in message and "CESI" in message
    assert "also_wrong" not in filled.fields


@pytest.mark.parametrize("value", [".", "-", "'", " . - "])
def test_a_name_made_only_of_signs_is_refused(value):
    filled = form(WorkerFactory.create(), "nombre", nombre=value, primer_apellido="Pérez", segundo_apellido="")
    assert not filled.is_valid()
    assert "con letras" in filled.errors["nombre"][0]
