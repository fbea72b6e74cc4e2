import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from micuenta.identity.models import User

pytestmark = pytest.mark.django_db


def test_the_custom_user_model_is_the_active_one():
    assert get_user_model() is User
    assert User.USERNAME_FIELD == "email"


def test_create_user_normalises_email_and_hashes_with_argon2id():
    user = User.objects.create_user(email="  Ana.Perez@Ejemplo.TEST ", password="una frase larga y rara")
    assert user.email == "ana.perez@ejemplo.test"
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("una frase larga y rara")
    assert not user.is_staff
    assert not user.is_superuser


def test_email_is_unique_regardless_of_case():
    User.objects.create_user(email="ana@ejemplo.test", password="x" * 12)
    with pytest.raises((ValidationError, IntegrityError)):
        User.objects.create_user(email="ANA@ejemplo.test", password="x" * 12)


def test_create_user_requires_an_email():
    with pytest.raises(ValueError, match="correo"):
        User.objects.create_user(email="", password="x" * 12)


def test_create_superuser_is_staff():
    admin = User.objects.create_superuser(email="admin@ejemplo.test", password="x" * 12)
    assert admin.is_staff
    assert admin.is_superuser


def test_names():
    user = User(email="a@ejemplo.test", first_name="Ana", last_name="Pérez Díaz")
    assert user.get_full_name() == "Ana Pérez Díaz"
    assert user.short_name == "Ana"
    assert str(user) == "Ana Pérez Díaz"
    nameless = User(email="b@ejemplo.test")
    assert nameless.short_name == "derechohabiente"


def test_the_admin_form_refuses_an_address_that_differs_only_in_case():
    from django.forms import modelform_factory

    User.objects.create_user(email="ana@ejemplo.test", password="x" * 12)
    other = User.objects.create_user(email="otra@ejemplo.test", password="x" * 12)
    form = modelform_factory(User, fields=("email",))(data={"email": "ANA@Ejemplo.test"}, instance=other)
    assert not form.is_valid()
    assert "Ya existe una cuenta con este correo electrónico." in str(form.errors)


def test_the_database_refuses_an_address_that_differs_only_in_case():
    User.objects.create_user(email="ana@ejemplo.test", password="x" * 12)
    with pytest.raises(IntegrityError):
        User.objects.bulk_create([User(email="Ana@Ejemplo.TEST")])


def test_an_account_is_found_by_its_email_whatever_the_case_through_the_lower_email_index():
    ana = User.objects.create_user(email="ana@ejemplo.test", password="x" * 12)
    User.objects.create_user(email="beto@ejemplo.test", password="x" * 12)

    assert list(User.objects.by_email("ANA@Ejemplo.TEST")) == [ana]
    assert not User.objects.by_email("ana@ejemplo.tes").exists()

    # Sign-in looks accounts up by e-mail: at millions of accounts that must be an index lookup, not a scan.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off" if connection.vendor == "postgresql" else "ANALYZE")
    plan = User.objects.by_email("Ana@ejemplo.test").explain()
    assert "identity_user_email_ci_unique" in plan, plan
