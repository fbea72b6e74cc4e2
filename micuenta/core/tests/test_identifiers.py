"""Mexican identifiers: the vectors of docs/sources.md, bad input, hand-derived builds and generated populations."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Literal, TypedDict

import pytest
from django.core.exceptions import ValidationError
from faker import Faker
from faker.providers.person.es_MX import Provider as EsMxNames
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.mx import curp as stdnum_curp
from stdnum.mx import rfc as stdnum_rfc

from micuenta.core.identifiers import (
    CURP_INCONVENIENT_WORDS,
    CURP_STATES,
    RFC_INCONVENIENT_WORDS,
    RfcKind,
    RfcResult,
    build_curp,
    build_rfc_fisica,
    clabe_bank_name,
    clabe_check_digit,
    curp_check_digit,
    generate_clabe,
    generate_nss,
    generate_numero_credito,
    generate_registro_patronal,
    nss_check_digit,
    nss_is_infonavit_assigned,
    rfc_check_digit,
    rfc_homoclave,
    spei_banks,
    validate_clabe,
    validate_curp,
    validate_nss,
    validate_numero_credito,
    validate_registro_patronal,
    validate_rfc,
)


class Name(TypedDict):
    nombre: str
    primer_apellido: str
    segundo_apellido: str | None


SEXES: tuple[Literal["H", "M"], ...] = ("H", "M")


def _rng(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 (reproducible test data, not secrets)


def _error(validator: Callable[[str], object], value: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validator(value)
    return caught.value


# --- NSS, docs/sources.md#nss -------------------------------------------------------------------------------------

NSS_VALID = [
    # django-localflavor tests [R24]
    "53987417457",
    "53916912966",
    "53986504172",
    "17300426925",
    "53067407212",
    "53018000538",
    "10836311612",
    "37007910666",
    "53055700974",
    "17303364941",
    "53078528469",
    # Scribd explainer 92-91-90-8443-1 [R27]
    "92919084431",
]
NSS_BAD_CHECK_DIGIT = ["53987417451", "53018522942", "53897239693"]


@pytest.mark.parametrize("nss", NSS_VALID)
def test_nss_vectors_valid(nss: str) -> None:
    assert validate_nss(nss) == nss
    assert nss_check_digit(nss[:10]) == nss[10]


@pytest.mark.parametrize("nss", NSS_BAD_CHECK_DIGIT)
def test_nss_vectors_bad_check_digit(nss: str) -> None:
    error = _error(validate_nss, nss)
    assert error.code == "nss_check_digit"
    assert "último dígito" in error.messages[0]


def test_nss_check_digit_by_hand() -> None:
    # 9291908443 with weights 1,2,1,2…: 9, 2·2=4, 9, 1·2=2, 9, 0, 8, 4·2=8, 4, 3·2=6 → sum 59 → (10 - 9) % 10 = 1.
    assert nss_check_digit("9291908443") == "1"


def test_nss_normalises_separators() -> None:
    assert validate_nss(" 92-91-90-8443-1 ") == "92919084431"


def test_nss_bad_input_codes_and_messages() -> None:
    error = _error(validate_nss, "5398741A457")
    assert error.code == "nss_format"
    assert error.messages[0].startswith("El NSS solo lleva números")
    error = _error(validate_nss, "5398741745")
    assert error.code == "nss_length"
    assert error.messages[0] == (
        "El NSS debe tener 11 dígitos y escribiste 10. Lo encuentras en tu constancia de semanas cotizadas del IMSS."
    )
    assert _error(validate_nss, "").code == "nss_length"


def test_nss_infonavit_prefix_77() -> None:
    # docs/sources.md#nss: Infonavit-assigned NSS start with 77; the same check digit applies.
    nss = "7701800012" + nss_check_digit("7701800012")
    assert validate_nss(nss) == nss
    assert nss_is_infonavit_assigned(nss)
    assert not nss_is_infonavit_assigned("92919084431")


def test_nss_check_digit_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="10 digits"):
        nss_check_digit("929190844")


# --- CURP, docs/sources.md#curp -----------------------------------------------------------------------------------

CURP_VALID = [
    "BOXW310820HNERXN09",  # python-stdnum [R21]
    # django-localflavor tests [R24]
    "AAMG890608HDFLJL00",
    "BAAD890419HMNRRV07",
    "VIAA900930MMNCLL08",
    "HEGR891009HMNRRD09",
    "MARR890512HMNRMN09",
]


@pytest.mark.parametrize("curp", CURP_VALID)
def test_curp_vectors_valid(curp: str) -> None:
    assert validate_curp(curp) == curp
    assert curp_check_digit(curp[:17]) == curp[17]


def test_curp_vector_bad_check_digit() -> None:
    error = _error(validate_curp, "AAMG890608HDFLJL01")
    assert error.code == "curp_check_digit"


def test_curp_vector_toma_with_letter_o() -> None:
    # TOMA880125HMNRRNO2 is listed as valid in django-localflavor's tests, whose regex takes
    # any [0-9A-Z] in position 17 and never reads the century from it. Position 17 holds the letter O there, which
    # by the century rule (digit → 1900s, letter → 2000s) dates the birth 25-Jan-2088, in the future: the vector
    # is a typo for the digit zero (born 1988). The check digit cannot tell them apart: position 17 weighs 2, and
    # O (value 25) adds 50 while 0 adds 0, the same modulo 10. So the literal string is rejected for its date, the
    # zero form passes, and python-stdnum (which does not compare with today) accepts both.
    assert curp_check_digit("TOMA880125HMNRRNO") == curp_check_digit("TOMA880125HMNRRN0") == "2"
    error = _error(validate_curp, "TOMA880125HMNRRNO2")
    assert error.code == "curp_date"
    assert "2088" in error.messages[0]
    assert "letra O en lugar del cero" in error.messages[0]
    assert validate_curp("TOMA880125HMNRRN02") == "TOMA880125HMNRRN02"
    assert stdnum_curp.is_valid("TOMA880125HMNRRNO2")


def test_curp_normalises_case_and_spaces() -> None:
    assert validate_curp(" boxw310820hnerxn09 ") == "BOXW310820HNERXN09"


def _with_check_digit(first17: str) -> str:
    return first17 + curp_check_digit(first17)


@pytest.mark.parametrize(
    ("value", "code", "fragment"),
    [
        ("BOXW310820HNERXN0", "curp_length", "18 caracteres (letras y números) y escribiste 17"),
        ("BOXW3108201NERXN09", "curp_format", "4 letras, 6 números"),
        (_with_check_digit("BKXW310820HNERXN0"), "curp_format", "segunda letra debe ser una vocal"),
        (_with_check_digit("BUEI701213MNLNZN0"), "curp_inconvenient_word", "RENAPO no asigna"),
        (_with_check_digit("BOXW311320HNERXN0"), "curp_date", "no existe"),
        (_with_check_digit("BOXW310229HNERXN0"), "curp_date", "no existe"),  # 1931 is not a leap year
        (_with_check_digit("BOXW310820XNERXN0"), "curp_sex", "H (hombre) o M (mujer)"),
        (_with_check_digit("BOXW310820HXXRXN0"), "curp_state", "«XX»"),
        (_with_check_digit("BOXW310820HNEAXN0"), "curp_format", "deben ser consonantes"),
        ("BOXW310820HNERXN08", "curp_check_digit", "último dígito"),
    ],
)
def test_curp_bad_input(value: str, code: str, fragment: str) -> None:
    error = _error(validate_curp, value)
    assert error.code == code
    assert fragment in error.messages[0]
    assert "gob.mx/curp" in error.messages[0]


def test_curp_century_from_position_17() -> None:
    # 29-Feb-2000 exists only with a letter in position 17 (2000); with a digit it would be 1900, not a leap year.
    assert validate_curp(_with_check_digit("BOXW000229HNERXNA")).endswith("A" + curp_check_digit("BOXW000229HNERXNA"))
    assert _error(validate_curp, _with_check_digit("BOXW000229HNERXN0")).code == "curp_date"


def test_curp_tables_cover_python_stdnum() -> None:
    assert stdnum_curp._valid_states == CURP_STATES
    # localflavor's list is python-stdnum's without VACA; the union is kept.
    assert stdnum_curp._name_blacklist == CURP_INCONVENIENT_WORDS
    assert "NE" in CURP_STATES


# --- RFC, docs/sources.md#rfc -------------------------------------------------------------------------------------

RFC_VALID: list[tuple[str, RfcKind]] = [
    ("GODE561231GR8", "fisica"),  # python-stdnum [R22]
    ("MAB9307148T4", "moral"),  # python-stdnum [R22]
    # django-localflavor tests [R24]
    ("MOFN641205EX5", "fisica"),
    ("ICA060120873", "moral"),
    ("EUCG751104RT0", "fisica"),
    ("GME08100195A", "moral"),
    ("AA&060524KX5", "moral"),
    ("CAÑ0708045P7", "moral"),
]


@pytest.mark.parametrize(("rfc", "kind"), RFC_VALID)
def test_rfc_vectors_valid(rfc: str, kind: RfcKind) -> None:
    assert validate_rfc(rfc) == RfcResult(value=rfc, kind=kind, check_digit_ok=True, warnings=())
    assert rfc_check_digit(rfc[:-1]) == rfc[-1]


def test_rfc_wrong_check_digit_is_a_warning() -> None:
    # python-stdnum's doctest: valid structure, InvalidChecksum with validate_check_digits=True.
    result = validate_rfc("VACE-460910-SX6")
    assert result.value == "VACE460910SX6"
    assert result.kind == "fisica"
    assert result.check_digit_ok is False
    assert result.warnings == (
        "El último carácter del RFC (dígito verificador) no coincide con el que resulta de los demás. "
        "Algunos RFC asignados por el SAT son así; si no es tu caso, revisa que lo hayas escrito igual que "
        "en tu Constancia de Situación Fiscal.",
    )
    assert rfc_check_digit("VACE460910SX") == "5"


@pytest.mark.parametrize(("rfc", "kind"), [("CCM650122I06", "moral"), ("GODE56123110A", "fisica")])
def test_rfc_with_a_zero_in_the_homoclave_is_accepted_with_a_warning(rfc: str, kind: str) -> None:
    # CCM650122I06 is an RFC the SAT confirmed; python-stdnum (the oracle) takes both and computes their check digit.
    from stdnum.mx import rfc as stdnum_rfc

    assert stdnum_rfc.is_valid(rfc) and stdnum_rfc.calc_check_digit(rfc[:-1]) == rfc[-1]
    result = validate_rfc(rfc)
    assert (result.value, result.kind, result.check_digit_ok) == (rfc, kind, True)
    assert len(result.warnings) == 1 and f"La homoclave del RFC («{rfc[-3:]}»" in result.warnings[0]


def test_rfc_with_an_odd_homoclave_and_check_digit_warns_twice() -> None:
    result = validate_rfc("GODE561231GRB")  # a letter other than A as check digit
    assert result.check_digit_ok is False
    assert [w[:30] for w in result.warnings] == ["La homoclave del RFC («GRB», l", "El último carácter del RFC (dí"]


def test_the_registration_form_takes_an_rfc_with_a_zero_in_the_homoclave() -> None:
    from django import forms

    from micuenta.identity.forms import IdentifiersFormMixin, _rfc_field

    class RfcForm(IdentifiersFormMixin, forms.Form):  # the RFC field and check of the registration form
        rfc = _rfc_field()

    form = RfcForm(data={"rfc": "gode-561231-10a"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["rfc"] == "GODE56123110A"


def test_rfc_without_homoclave() -> None:
    result = validate_rfc("COMG-600703")
    assert (result.value, result.kind, result.check_digit_ok) == ("COMG600703", "fisica", None)
    assert len(result.warnings) == 1
    assert "no incluye la homoclave" in result.warnings[0]


def test_rfc_normalises_case_and_decomposed_enye() -> None:
    assert validate_rfc("cañ0708045p7").value == "CAÑ0708045P7"
    assert validate_rfc("CAN\u03030708045P7").value == "CAÑ0708045P7"


def test_rfc_check_digit_padding_and_symbols() -> None:
    # Persona moral: 11 characters padded with a space (value 37) to 12; "&" is 24 and "Ñ" 38.
    assert rfc_check_digit("AA&060524KX") == "5"
    assert rfc_check_digit("CAÑ0708045P") == "7"
    assert rfc_check_digit("GME08100195") == "A"
    with pytest.raises(ValueError, match="11 or 12"):
        rfc_check_digit("GODE561231")


def test_rfc_generic_is_accepted_with_one_warning() -> None:
    result = validate_rfc("XAXX010101000")
    assert result.kind == "fisica"
    assert result.warnings == (
        "Ese es un RFC genérico del SAT, no el de una persona. Escribe tu propio RFC. "
        "Lo encuentras en tu Constancia de Situación Fiscal del SAT.",
    )


@pytest.mark.parametrize(
    ("value", "code", "fragment"),
    [
        ("GOH831115", "rfc_length", "escribiste 9"),
        ("MED0000000XAAA", "rfc_length", "13 caracteres (12 si es de una empresa)"),
        ("G0DE561231GR8", "rfc_format", "4 letras, 6 números"),
        ("M4B9307148T4", "rfc_format", "3 letras, 6 números de la fecha de constitución"),
        ("PUTO561231GR8", "rfc_inconvenient_word", "la cuarta es X"),
        ("GODE561331GR8", "rfc_date", "«561331»"),
        ("XXX880230XX1", "rfc_date", "no existe"),
    ],
)
def test_rfc_bad_input(value: str, code: str, fragment: str) -> None:
    error = _error(validate_rfc, value)
    assert error.code == code
    assert fragment in error.messages[0]


def test_rfc_kind_restriction() -> None:
    assert validate_rfc("GODE561231GR8", kind="fisica").kind == "fisica"
    error = _error(lambda value: validate_rfc(value, kind="fisica"), "MAB9307148T4")
    assert error.code == "rfc_kind"
    assert "persona física" in error.messages[0]
    assert _error(lambda value: validate_rfc(value, kind="moral"), "GODE561231GR8").code == "rfc_kind"


def test_rfc_inconvenient_words_match_python_stdnum() -> None:
    assert stdnum_rfc._name_blacklist == RFC_INCONVENIENT_WORDS


# --- CLABE, docs/sources.md#clabe ---------------------------------------------------------------------------------

CLABE_VALID = ["002010077777777771", "021180550300050811", "021180550300047565"]


@pytest.mark.parametrize("clabe", CLABE_VALID)
def test_clabe_vectors_valid(clabe: str) -> None:
    assert validate_clabe(clabe) == clabe
    assert clabe_check_digit(clabe[:17]) == clabe[17]


@pytest.mark.parametrize("clabe", CLABE_VALID)
def test_clabe_vectors_last_digit_plus_one(clabe: str) -> None:
    wrong = clabe[:17] + str((int(clabe[17]) + 1) % 10)
    error = _error(validate_clabe, wrong)
    assert error.code == "clabe_check_digit"
    assert "estado de cuenta" in error.messages[0]


def test_clabe_bank_names() -> None:
    assert clabe_bank_name("002010077777777771") == "Banamex"
    assert clabe_bank_name("021180550300050811") == "HSBC"
    assert clabe_bank_name("032180000118359719") == "IXE"
    assert _error(clabe_bank_name, "999000000000000000").code == "clabe_bank"


def test_clabe_bank_codes() -> None:
    unknown = "99900000000000000"
    error = _error(validate_clabe, unknown + clabe_check_digit(unknown))
    assert error.code == "clabe_bank"
    assert "«999»" in error.messages[0]
    # django-localflavor's valid CLABE 032180000118359719 belongs to IXE (032), a historical code.
    error = _error(validate_clabe, "032180000118359719")
    assert error.code == "clabe_bank"
    assert error.messages[0].startswith("La CLABE es de IXE (clave 032), que ya no recibe transferencias.")


def test_clabe_format_and_length() -> None:
    error = _error(validate_clabe, "02118055030005081A")
    assert (error.code, error.messages[0][:30]) == ("clabe_format", "La CLABE solo lleva números: s")
    error = _error(validate_clabe, "0211 8055 0300")
    assert error.code == "clabe_length"
    assert "18 dígitos y escribiste 12" in error.messages[0]
    assert validate_clabe("021 180 55030005081 1") == "021180550300050811"


def test_spei_catalogue() -> None:
    banks = spei_banks()
    assert banks is spei_banks()
    assert len(banks) == 135
    assert sum(bank.historical for bank in banks.values()) == 36
    assert banks["012"].name == "BBVA Mexico"
    assert banks["646"].name == "STP"
    assert not banks["072"].historical
    assert banks["002"].source.startswith("confirmed:")


# --- Registro patronal and número de crédito, docs/sources.md#identifiers ----------------------------------------


def test_registro_patronal() -> None:
    assert validate_registro_patronal(" a1234567890 ") == "A1234567890"
    assert validate_registro_patronal("91234567890") == "91234567890"
    error = _error(validate_registro_patronal, "A123456789")
    assert (error.code, "11 caracteres y escribiste 10" in error.messages[0]) == ("nrp_length", True)
    error = _error(validate_registro_patronal, "AB234567890")
    assert error.code == "nrp_format"
    assert "recibo de nómina" in error.messages[0]


def test_numero_credito() -> None:
    assert validate_numero_credito("1234567890") == "1234567890"
    error = _error(validate_numero_credito, "123456789")
    assert (error.code, "10 dígitos y escribiste 9" in error.messages[0]) == ("credito_length", True)
    assert _error(validate_numero_credito, "12345678A0").code == "credito_format"


# --- Builders: hand-derived people --------------------------------------------------------------------------------


def test_build_juan_perez_garcia() -> None:
    # CURP (RENAPO instructivo): PÉREZ → P + first internal vowel E; GARCÍA → G; JUAN → J: PEGJ. 15-May-1990 →
    # 900515; H; DF. Internal consonants PEREZ → R, GARCIA → R, JUAN → N. Homonimia 0 (born before 2000).
    # Check digit (python-stdnum): P26·18 + E14·17 + G16·16 + J19·15 + 9·14 + 0·13 + 0·12 + 5·11 + 1·10 + 5·9
    # + H17·8 + D13·7 + F15·6 + R28·5 + R28·4 + N23·3 + 0·2 = 2121 → (10 - 1) % 10 = 9.
    person = Name(nombre="Juan", primer_apellido="Pérez", segundo_apellido="García")
    assert build_curp(**person, fecha_nacimiento=date(1990, 5, 15), sexo="H", entidad="DF") == "PEGJ900515HDFRRN09"
    # RFC (SAT algoritmo): PEGJ900515; homoclave of "PEREZ GARCIA JUAN" = LN (josketres/rfc-facil test vector;
    # pair sum 2702 → 702 = 20·34 + 22 → table[20] L, table[22] N); check digit (SAT table): 26·13 + 14·12 + 16·11
    # + 19·10 + 9·9 + 0·8 + 0·7 + 5·6 + 1·5 + 5·4 + L21·3 + N23·2 = 1117 → 1117 % 11 = 6 → 11 - 6 = 5.
    assert rfc_homoclave(**person) == "LN"
    assert build_rfc_fisica(**person, fecha_nacimiento=date(1990, 5, 15)) == "PEGJ900515LN5"


def test_build_maria_fernanda_nunez_without_second_surname() -> None:
    # CURP: NÚÑEZ → NUXEZ (Ñ → X): N + U; no second surname → X; MARÍA FERNANDA → MARIA skipped → F: NUXF.
    # 010310, M, JC. Consonants: NUXEZ → X (the Ñ), no second surname → X, FERNANDA → R. Homonimia A (born 2001).
    # Check digit: Σ = 2557 → 3.
    person = Name(nombre="María Fernanda", primer_apellido="Núñez", segundo_apellido=None)
    assert build_curp(**person, fecha_nacimiento=date(2001, 3, 10), sexo="M", entidad="JC") == "NUXF010310MJCXXRA3"
    # RFC, single surname: first two letters of the surname NU + of the name that counts FE: NUFE. Homoclave of
    # "NUÑEZ MARIA FERNANDA" (Ñ = 40): sum 3264 → 264 = 7·34 + 26 → 8S. Check digit 0.
    assert build_rfc_fisica(**person, fecha_nacimiento=date(2001, 3, 10)) == "NUFE0103108S0"


def test_build_inconvenient_words() -> None:
    # Ingrid Bueno Ezquerra: B + U + E + I = BUEI, in both lists. CURP (RENAPO Anexo 2): second letter → X, BXEI;
    # consonants BUENO → N, EZQUERRA → Z, INGRID → N; check digit 0. RFC (SAT algoritmo RFC, Anexo IV): last letter
    # → X, BUEX (josketres/rfc-facil test); homoclave of "BUENO EZQUERRA INGRID": 707 = 20·34 + 27 → LT; check digit 1.
    ingrid = Name(nombre="Ingrid", primer_apellido="Bueno", segundo_apellido="Ezquerra")
    assert build_curp(**ingrid, fecha_nacimiento=date(1970, 12, 13), sexo="M", entidad="NL") == "BXEI701213MNLNZN00"
    assert build_rfc_fisica(**ingrid, fecha_nacimiento=date(1970, 12, 13)) == "BUEX701213LT1"
    # Alberto Cacho Castro: C + A + C + A = CACA. CURP CXCA; consonants CACHO → C, CASTRO → S, ALBERTO → L;
    # check digit 8. RFC CACX; homoclave 864 = 25·34 + 14 → RF; check digit 3.
    alberto = Name(nombre="Alberto", primer_apellido="Cacho", segundo_apellido="Castro")
    assert build_curp(**alberto, fecha_nacimiento=date(1985, 7, 1), sexo="H", entidad="PL") == "CXCA850701HPLCSL08"
    assert build_rfc_fisica(**alberto, fecha_nacimiento=date(1985, 7, 1)) == "CACX850701RF3"


def test_build_particles_and_compound_names() -> None:
    # José Antonio del Real Anzures, born abroad: DEL skipped → REAL: R, E; ANZURES → A; JOSE skipped → ANTONIO → A:
    # REAA. Consonants REAL → L, ANZURES → N, ANTONIO → N. CURP check digit 2.
    # RFC homoclave of the full name as written, "DEL REAL ANZURES JOSE ANTONIO" = N9 (josketres/rfc-facil test).
    jose = Name(nombre="José Antonio", primer_apellido="del Real", segundo_apellido="Anzures")
    assert build_curp(**jose, fecha_nacimiento=date(1979, 2, 28), sexo="H", entidad="NE") == "REAA790228HNELNN02"
    assert rfc_homoclave(**jose) == "N9"
    assert build_rfc_fisica(**jose, fecha_nacimiento=date(1979, 2, 28)) == "REAA790228N95"
    # Álvaro de la O Lozano, 29-Feb-2004: DE, LA skipped → O, no internal vowel → X; L; A: OXLA. Consonants O → X,
    # LOZANO → Z, ALVARO → L. Homonimia A. RFC, first surname of one letter: O + L + AL = OLAL
    # (josketres/rfc-facil test); homoclave of "DE LA O LOZANO ALVARO": 858 = 25·34 + 8 → R9.
    alvaro = Name(nombre="Álvaro", primer_apellido="de la O", segundo_apellido="Lozano")
    assert build_curp(**alvaro, fecha_nacimiento=date(2004, 2, 29), sexo="H", entidad="YN") == "OXLA040229HYNXZLA5"
    assert build_rfc_fisica(**alvaro, fecha_nacimiento=date(2004, 2, 29)) == "OLAL040229R90"
    # María del Carmen Ortiz Ye: MARIA and DEL skipped → CARMEN; ORTIZ → O, I; YE → Y: OIYC. Consonants ORTIZ → R,
    # YE → X (none), CARMEN → R. RFC homoclave of "ORTIZ YE MARIA DEL CARMEN": 363 = 10·34 + 23 → BP.
    carmen = Name(nombre="María del Carmen", primer_apellido="Ortiz", segundo_apellido="Ye")
    assert build_curp(**carmen, fecha_nacimiento=date(1999, 12, 31), sexo="M", entidad="MC") == "OIYC991231MMCRXR06"
    assert build_rfc_fisica(**carmen, fecha_nacimiento=date(1999, 12, 31)) == "OIYC991231BP9"


def test_build_rfc_published_examples() -> None:
    # python-stdnum's GODE561231GR8 is reproduced letter by letter by Emma Gómez Díaz, 31-Dec-1956.
    assert (
        build_rfc_fisica(
            nombre="Emma", primer_apellido="Gómez", segundo_apellido="Díaz", fecha_nacimiento=date(1956, 12, 31)
        )
        == "GODE561231GR8"
    )
    # josketres/rfc-facil RfcTest: particles, check digit 1 and check digit A.
    assert (
        build_rfc_fisica(
            nombre="Josué", primer_apellido="Zarzosa", segundo_apellido="de la Torre", fecha_nacimiento=date(1987, 8, 5)
        )
        == "ZATJ870805CK6"
    )
    assert (
        build_rfc_fisica(
            nombre="ELIUD", primer_apellido="OROZCO", segundo_apellido="GOMEZ", fecha_nacimiento=date(1952, 7, 11)
        )
        == "OOGE520711151"
    )
    assert (
        build_rfc_fisica(
            nombre="SATURNINA", primer_apellido="ANGEL", segundo_apellido="CRUZ", fecha_nacimiento=date(1921, 11, 12)
        )
        == "AECS211112JPA"
    )


@pytest.mark.parametrize(
    ("nombre", "primer_apellido", "segundo_apellido", "expected"),
    [
        # josketres/rfc-facil HomoclaveCalculatorTest: Ñ keeps its own value (40), Ü counts as U, & is 10.
        ("Juan", "Muñoz", "Ortega", "T6"),
        ("Juan", "Muñoz", "Muñoz", "RZ"),
        ("Jesus", "Argüelles", "Ortega", "JF"),
        ("Juan", "Perez&Gomez", "Garcia", "2R"),
        ("Emma", "Gómez", "Díaz", "GR"),
    ],
)
def test_rfc_homoclave_vectors(nombre: str, primer_apellido: str, segundo_apellido: str, expected: str) -> None:
    assert rfc_homoclave(nombre=nombre, primer_apellido=primer_apellido, segundo_apellido=segundo_apellido) == expected


@pytest.mark.parametrize(
    ("nombre", "primer_apellido", "segundo_apellido", "letters"),
    [
        # josketres/rfc-facil NaturalPersonTenDigitsCodeCalculatorTest
        ("Eric", "Mc Gregor", "Von Juarez", "GEJE"),
        ("Ernesto", "Ek", "Rivera", "ERER"),
        ("Luz María", "Fernández", "Juárez", "FEJL"),
        ("José Antonio", "Camargo", "Hernández", "CAHA"),
        ("María Luisa", "Ramírez", "Sánchez", "RASL"),
        ("Juan", "", "Martínez", "MAJU"),
        ("Gerarda", "Zafra", None, "ZAGE"),
        ("Marco Antonio", "Cano", "Barraza", "CABM"),
        ("Antonio", "Ponce de León", "Juarez", "POJA"),
        ("Antonio", "Jiménez", "Ponce de León", "JIPA"),
    ],
)
def test_build_rfc_letter_rules(nombre: str, primer_apellido: str, segundo_apellido: str | None, letters: str) -> None:
    rfc = build_rfc_fisica(
        nombre=nombre,
        primer_apellido=primer_apellido,
        segundo_apellido=segundo_apellido,
        fecha_nacimiento=date(1970, 12, 13),
    )
    assert rfc[:10] == letters + "701213"


def test_build_every_inconvenient_word() -> None:
    # A person whose letters spell each listed word gets X in position 2 (CURP) or 4 (RFC), and both pass
    # python-stdnum, which rejects the listed words.
    for word in sorted(CURP_INCONVENIENT_WORDS | RFC_INCONVENIENT_WORDS):
        person = Name(nombre=word[3] + "ARA", primer_apellido=word[:2] + "RR", segundo_apellido=word[2] + "ORA")
        curp = build_curp(**person, fecha_nacimiento=date(1980, 1, 2), sexo="H", entidad="DF")
        rfc = build_rfc_fisica(**person, fecha_nacimiento=date(1980, 1, 2))
        assert curp[:4] == (word[0] + "X" + word[2:] if word in CURP_INCONVENIENT_WORDS else word)
        assert rfc[:4] == (word[:3] + "X" if word in RFC_INCONVENIENT_WORDS else word)
        assert stdnum_curp.is_valid(curp)
        assert stdnum_rfc.is_valid(rfc, validate_check_digits=True)


def test_build_curp_homonimia_and_bad_input() -> None:
    person = Name(nombre="Juan", primer_apellido="Pérez", segundo_apellido="García")
    first17 = "PEGJ900515HDFRRN3"
    assert build_curp(**person, fecha_nacimiento=date(1990, 5, 15), sexo="H", entidad="df", homonimia="3") == (
        first17 + curp_check_digit(first17)
    )
    with pytest.raises(ValueError, match="digit"):
        build_curp(**person, fecha_nacimiento=date(1990, 5, 15), sexo="H", entidad="DF", homonimia="B")
    with pytest.raises(ValueError, match="letter"):
        build_curp(**person, fecha_nacimiento=date(2005, 5, 15), sexo="H", entidad="DF", homonimia="1")
    with pytest.raises(ValueError, match="state"):
        build_curp(**person, fecha_nacimiento=date(1990, 5, 15), sexo="H", entidad="XX")
    with pytest.raises(ValueError, match="sexo"):
        build_curp(**person, fecha_nacimiento=date(1990, 5, 15), sexo="X", entidad="DF")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="surname"):
        build_curp(
            nombre="Juan",
            primer_apellido="",
            segundo_apellido=None,
            fecha_nacimiento=date(1990, 5, 15),
            sexo="H",
            entidad="DF",
        )


# --- Generators ---------------------------------------------------------------------------------------------------


def test_generate_nss_layout() -> None:
    nss = generate_nss(_rng(7), subdelegacion=53, registration_year=1998, birth_year=1980)
    assert nss[:6] == "539880"
    assert validate_nss(nss) == nss
    assert nss == generate_nss(_rng(7), subdelegacion=53, registration_year=1998, birth_year=1980)
    infonavit = generate_nss(_rng(7), subdelegacion=77, registration_year=2010, birth_year=1990)
    assert nss_is_infonavit_assigned(infonavit)
    with pytest.raises(ValueError, match="before"):
        generate_nss(_rng(7), registration_year=1979, birth_year=1980)


def test_generate_clabe_registro_credito() -> None:
    rng = _rng(11)
    clabe = generate_clabe(rng, bank_code="021")
    assert clabe.startswith("021")
    assert validate_clabe(clabe) == clabe
    with pytest.raises(ValueError, match="current SPEI"):
        generate_clabe(rng, bank_code="032")
    assert validate_registro_patronal(generate_registro_patronal(rng))
    credito = generate_numero_credito(rng)
    assert validate_numero_credito(credito) == credito
    assert credito[0] != "0"


# --- Generated populations ----------------------------------------------------------------------------------------

FIRST_NAMES = tuple(sorted(set(EsMxNames.first_names_male) | set(EsMxNames.first_names_female)))
LAST_NAMES = tuple(sorted(set(EsMxNames.last_names)))
STATES = tuple(sorted(CURP_STATES))
CURRENT_BANKS = tuple(sorted(code for code, bank in spei_banks().items() if not bank.historical))


@settings(
    max_examples=1_000, derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    nombre=st.one_of(
        st.sampled_from(FIRST_NAMES),
        st.tuples(st.sampled_from(FIRST_NAMES), st.sampled_from(FIRST_NAMES)).map(" ".join),
    ),
    primer_apellido=st.sampled_from(LAST_NAMES),
    segundo_apellido=st.none() | st.sampled_from(LAST_NAMES),
    fecha_nacimiento=st.dates(min_value=date(1900, 1, 1), max_value=date(2024, 12, 31)),
    sexo=st.sampled_from(SEXES),
    entidad=st.sampled_from(STATES),
)
def test_hypothesis_faker_people(
    nombre: str,
    primer_apellido: str,
    segundo_apellido: str | None,
    fecha_nacimiento: date,
    sexo: Literal["H", "M"],
    entidad: str,
) -> None:
    curp = build_curp(
        nombre=nombre,
        primer_apellido=primer_apellido,
        segundo_apellido=segundo_apellido,
        fecha_nacimiento=fecha_nacimiento,
        sexo=sexo,
        entidad=entidad,
    )
    assert validate_curp(curp) == curp
    assert stdnum_curp.is_valid(curp)
    assert stdnum_curp.get_birth_date(curp) == fecha_nacimiento
    rfc = build_rfc_fisica(
        nombre=nombre,
        primer_apellido=primer_apellido,
        segundo_apellido=segundo_apellido,
        fecha_nacimiento=fecha_nacimiento,
    )
    result = validate_rfc(rfc)
    assert (result.value, result.kind, result.check_digit_ok, result.warnings) == (rfc, "fisica", True, ())
    assert stdnum_rfc.validate(rfc, validate_check_digits=True) == rfc
    assert rfc[4:10] == curp[4:10]


def test_seeded_faker_population() -> None:
    fake = Faker("es_MX")
    fake.seed_instance(20_240_101)
    rng = _rng(20_240_101)
    start = date(1930, 1, 1)
    for _ in range(2_000):
        born = start + timedelta(days=rng.randrange(365 * 80))
        sexo = rng.choice(SEXES)
        nombre = fake.first_name_male() if sexo == "H" else fake.first_name_female()
        segundo = fake.last_name() if rng.random() < 0.95 else None
        curp = build_curp(
            nombre=nombre,
            primer_apellido=fake.last_name(),
            segundo_apellido=segundo,
            fecha_nacimiento=born,
            sexo=sexo,
            entidad=rng.choice(STATES),
        )
        assert validate_curp(curp) == curp
        assert stdnum_curp.is_valid(curp)
        rfc = build_rfc_fisica(
            nombre=nombre, primer_apellido=fake.last_name(), segundo_apellido=segundo, fecha_nacimiento=born
        )
        assert validate_rfc(rfc).check_digit_ok is True
        assert stdnum_rfc.is_valid(rfc, validate_check_digits=True)
        nss = generate_nss(rng, registration_year=born.year + rng.randrange(16, 40), birth_year=born.year)
        assert validate_nss(nss) == nss
        clabe = generate_clabe(rng, bank_code=rng.choice(CURRENT_BANKS))
        assert validate_clabe(clabe) == clabe
        assert validate_registro_patronal(generate_registro_patronal(rng))
        assert validate_numero_credito(generate_numero_credito(rng))


def test_every_curp_state_code_has_its_name_and_no_more():
    from micuenta.core.identifiers import CURP_STATE_NAMES

    assert set(CURP_STATE_NAMES) == set(CURP_STATES)
    assert CURP_STATE_NAMES["JC"] == "Jalisco" and CURP_STATE_NAMES["DF"] == "Ciudad de México"
