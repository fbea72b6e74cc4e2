import pytest
from hypothesis import given
from hypothesis import strategies as st

from micuenta.core.privacy import mask_email, mask_phone


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("ana.lopez@correo.mx", "a***@c***.mx"),
        ("X@gmail.com", "X***@g***.com"),
        ("persona@localhost", "p***@l***"),
        ("sin-arroba", "***"),
        ("@dominio.mx", "***"),
    ],
)
def test_mask_email(address, masked):
    assert mask_email(address) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [("5512345678", "******5678"), ("55 1234 5678", "******5678"), ("123", "***")],
)
def test_mask_phone(number, masked):
    assert mask_phone(number) == masked


@given(local=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._", min_size=1, max_size=30))
def test_masked_email_keeps_one_character_of_the_local_part_whatever_its_length(local):
    assert mask_email(f"{local}@ejemplo.mx") == f"{local[0]}***@e***.mx"


@given(digits=st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_masked_phone_keeps_only_the_last_four_digits(digits):
    masked = mask_phone(digits)
    assert masked == "******" + digits[-4:]


def test_free_text_keeps_no_identifier_in_clear():
    from micuenta.core.privacy import redact

    text = (
        "Pidió el cambio por teléfono 55 1234 5678, correo ana.lopez@correo.mx, NSS 12345678901, "
        "CURP GODE561231HDFRRN09, RFC GODE561231GR8, CLABE 021180550300050811, el 2026-10-01."
    )
    assert redact(text) == (
        "Pidió el cambio por teléfono ******5678, correo a***@c***.mx, NSS *******8901, "
        "CURP **************RN09, RFC **********GR8, CLABE **************0811, el 2026-10-01."
    )
    assert redact("Motivo: perdió su teléfono y sus códigos.") == "Motivo: perdió su teléfono y sus códigos."
