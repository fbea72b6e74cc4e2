"""Mi perfil → Seguridad → Eliminar mi cuenta en línea: the password, a code by SMS, and the account is gone."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from micuenta.core.models import AuditEvent
from micuenta.identity.errors import IdentityCode, IdentityError
from micuenta.identity.models import CodePurpose, ConfirmationCode, SecurityEvent, SecurityEventKind, User
from micuenta.identity.services.accounts import self_deletion_code_send, self_deletion_confirm
from micuenta.identity.services.security import account_security_lock
from micuenta.identity.tests.factories import TEST_PASSWORD
from micuenta.identity.tests.helpers import TEST_ACTOR, identity_data, last_code, person_actor, register
from micuenta.identity.tests.signin import is_signed_in, sign_in
from micuenta.notifications.models import OutboxMessage
from micuenta.people.models import Worker
from micuenta.people.tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db

START = reverse("security:delete")
CONFIRM = reverse("security:delete_confirm")
DONE = reverse("security:deleted")


@pytest.fixture
def account(user_factory):
    return user_factory(
        worker=WorkerFactory.create(), first_name="Lucía", email="lucia.titular@correo.test", mobile="5512345678"
    )


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def ask_code(client: Client) -> str:
    response = client.post(START, {"current_password": TEST_PASSWORD})
    assert response.status_code == 302 and response["Location"] == CONFIRM, response.content.decode()[-2000:]
    return last_code("sms", "deletion_code")


def words(html: str) -> str:
    return " ".join(html.split())


# --- The pages --------------------------------------------------------------------------------------------


def test_mi_perfil_and_seguridad_lead_to_the_page_that_says_what_is_deleted(client, account):
    sign_in(client, account)
    assert START in client.get(reverse("identity:profile")).content.decode()
    assert START in client.get(reverse("security:index")).content.decode()
    page = words(client.get(START).content.decode())
    assert "Eliminar mi cuenta en línea" in page
    assert "Tu ahorro, tu crédito, tus pagos y tu historial con el Instituto <strong>siguen igual</strong>" in page
    assert "puedes registrarte de nuevo con tu NSS" in page
    assert '<label for="id_current_password">Contraseña actual</label>' in page
    assert "<strong>******5678</strong>" in page
    assert "5512345678" not in page


def test_the_last_step_is_a_post_with_a_destructive_button(client, account):
    sign_in(client, account)
    ask_code(client)
    page = client.get(CONFIRM).content.decode()
    assert 'class="button-danger">Eliminar mi cuenta en línea</button>' in page
    assert "csrfmiddlewaretoken" in page and 'method="post"' in page
    assert "No se puede deshacer." in page


def test_the_steps_refuse_a_get_that_would_delete_and_a_post_without_csrf(account):
    browser = Client(enforce_csrf_checks=True)
    sign_in(browser, account)
    assert browser.post(START, {"current_password": TEST_PASSWORD}).status_code == 403
    assert not OutboxMessage.objects.filter(template="deletion_code").exists()
    assert browser.get(CONFIRM, {"code": "123456"}).status_code == 200  # a GET only shows the page
    assert User.objects.filter(pk=account.pk).exists()


# --- Wrong password, wrong code, lock -----------------------------------------------------------------------


def test_a_wrong_password_sends_no_code_and_says_what_to_do(client, account):
    sign_in(client, account)
    page = words(client.post(START, {"current_password": "no es esta"}).content.decode())
    assert "La contraseña actual no es correcta. Revisa que la escribiste bien." in page
    assert "Te quedan 4 intentos antes de que esta página se bloquee 15 minutos." in page
    assert not OutboxMessage.objects.filter(template="deletion_code").exists()
    assert client.get(CONFIRM).content.decode().count("No has pedido eliminar tu cuenta en línea") == 1


def test_five_wrong_passwords_close_the_page_for_a_while(client, account):
    sign_in(client, account)
    for _ in range(5):
        client.post(START, {"current_password": "no es esta"})
    page = words(client.post(START, {"current_password": TEST_PASSWORD}).content.decode())
    assert "Escribiste mal tu contraseña actual demasiadas veces." in page
    assert not OutboxMessage.objects.filter(template="deletion_code").exists()


def test_a_wrong_code_keeps_the_account_and_says_how_many_tries_are_left(client, account):
    sign_in(client, account)
    code = ask_code(client)
    page = words(client.post(CONFIRM, {"code": wrong(code)}).content.decode())
    assert "El código no es correcto. Revisa el último mensaje que te enviamos." in page
    assert "Te quedan 4 intentos" in page
    assert User.objects.filter(pk=account.pk).exists()
    assert is_signed_in(client)


def test_too_many_wrong_codes_lock_the_deletion_for_the_day(client, account):
    sign_in(client, account)
    code = ask_code(client)
    for _ in range(settings.MICUENTA_CODE_MAX_FAILURES - 1):
        client.post(CONFIRM, {"code": wrong(code)})
    page = words(client.post(CONFIRM, {"code": wrong(code)}).content.decode())
    assert "Escribiste un código incorrecto demasiadas veces" in page
    assert "Centro de Servicio Infonavit (CESI)" in page
    # The right code no longer works, and asking for a new one is refused for the day.
    assert "demasiadas veces" in client.post(CONFIRM, {"code": code}).content.decode()
    assert "demasiadas veces" in client.post(START, {"current_password": TEST_PASSWORD}).content.decode()
    assert OutboxMessage.objects.filter(template="deletion_code").count() == 1
    assert User.objects.filter(pk=account.pk).exists()


def test_the_owners_tries_here_never_show_at_the_public_door(client, account):
    """A code of its own: the owner's day's lock here must not make the public door («No tengo acceso a mi
    correo») answer differently for this NSS than for one without an account."""
    self_deletion_code_send(actor=TEST_ACTOR, user=account)
    for _ in range(settings.MICUENTA_CODE_MAX_FAILURES):
        with pytest.raises(IdentityError):
            self_deletion_confirm(actor=TEST_ACTOR, user=account, entered="000000")
    row = ConfirmationCode.objects.get(purpose=CodePurpose.SELF_DELETION, subject=f"user:{account.pk}")
    assert row.failed_attempts == settings.MICUENTA_CODE_MAX_FAILURES
    assert not ConfirmationCode.objects.filter(purpose=CodePurpose.ACCOUNT_DELETION).exists()
    worker = account.worker
    public = Client()
    response = public.post(
        reverse("identity:delete_account"),
        identity_data(worker),
    )
    assert response["Location"] == reverse("identity:delete_account_code")
    page = public.get(response["Location"])
    assert page.status_code == 200 and 'name="code"' in page.content.decode()


def test_after_the_last_wrong_code_the_page_offers_no_more_codes(client, account):
    sign_in(client, account)
    client.post(START, {"current_password": TEST_PASSWORD})
    for _ in range(settings.MICUENTA_CODE_MAX_FAILURES):
        client.post(CONFIRM, {"code": "000000"})
    page = client.get(CONFIRM).content.decode()
    assert "demasiadas veces" in page
    assert 'name="code"' not in page and "Reenviar código" not in page and "Podrás pedir otro" not in page


def test_a_mistyped_code_does_not_use_up_a_try(client, account):
    sign_in(client, account)
    client.post(START, {"current_password": TEST_PASSWORD})
    for typed in ("abc", "12345", "<b>", "1234567"):
        page = words(client.post(CONFIRM, {"code": typed}).content.decode())
        assert "El código tiene 6 dígitos" in page and "intento" not in page
    row = ConfirmationCode.objects.get(purpose=CodePurpose.SELF_DELETION, subject=f"user:{account.pk}")
    assert row.failed_attempts == 0


def test_an_account_without_mobile_is_told_to_register_one(client, user_factory):
    account = user_factory(worker=WorkerFactory.create(), mobile="")
    sign_in(client, account)
    page = words(client.get(START).content.decode())
    assert "Tu cuenta no tiene un número de celular registrado" in page
    assert 'name="current_password"' not in page
    with pytest.raises(IdentityError) as refused:
        self_deletion_code_send(actor=TEST_ACTOR, user=account)
    assert refused.value.code == IdentityCode.DELETION_UNSAFE


def test_an_account_locked_meanwhile_is_not_deleted(account):
    self_deletion_code_send(actor=TEST_ACTOR, user=account)
    code = last_code("sms", "deletion_code")
    account_security_lock(actor=TEST_ACTOR, user=account, reason="Reportó actividad que no reconoce")
    account.refresh_from_db()
    with pytest.raises(IdentityError) as refused:
        self_deletion_confirm(actor=TEST_ACTOR, user=account, entered=code)
    assert refused.value.code == IdentityCode.DELETION_UNSAFE
    assert User.objects.filter(pk=account.pk).exists()


# --- Success ----------------------------------------------------------------------------------------------


def test_the_right_code_deletes_the_online_account_signs_out_and_confirms(client, account):
    worker = account.worker
    sign_in(client, account)
    elsewhere = Client()
    sign_in(elsewhere, account, device="Chrome en Android")
    code = ask_code(client)
    assert OutboxMessage.objects.get(template="deletion_code").to_address == "5512345678"
    response = client.post(CONFIRM, {"code": code})
    assert response.status_code == 302 and response["Location"] == DONE
    assert not User.objects.filter(pk=account.pk).exists()
    assert Worker.objects.filter(pk=worker.pk).exists()  # the fund's data stay
    page = words(client.get(DONE).content.decode())
    assert "Eliminamos tu cuenta en línea" in page
    assert "Tu ahorro, tu crédito, tus pagos y tu historial con el Instituto siguen igual" in page
    # Signed out here and on every other device.
    assert client.get(reverse("identity:profile"))["Location"].startswith(reverse("identity:login"))
    assert not is_signed_in(elsewhere)
    # Recorded like the other deletions, and the person is told by e-mail and SMS.
    event = SecurityEvent.objects.get(worker=worker, kind=SecurityEventKind.ACCOUNT_DELETED)
    assert "Mi perfil" in event.detail
    assert AuditEvent.objects.filter(action="cuenta.borrada").count() == 1
    mail = OutboxMessage.objects.get(template="account_deleted", channel="email")
    assert "desde Mi perfil" in mail.body
    assert "desde Mi perfil" in OutboxMessage.objects.get(template="account_deleted", channel="sms").body


def test_the_confirmation_page_is_only_for_the_browser_that_deleted(client):
    assert client.get(DONE)["Location"] == reverse("identity:login")


def test_the_person_can_register_again_afterwards(client, account):
    worker = account.worker
    sign_in(client, account)
    client.post(CONFIRM, {"code": "123456"})  # nothing pending: nothing happens
    assert User.objects.filter(pk=account.pk).exists()
    client.post(CONFIRM, {"code": ask_code(client)})
    assert not User.objects.filter(pk=account.pk).exists()
    register(Client(), worker, email="lucia.nueva@correo.test", mobile="5587654321")
    assert User.objects.get(worker=worker).email == "lucia.nueva@correo.test"


def test_the_service_deletes_only_the_account_it_is_given(account, other_person):
    self_deletion_code_send(actor=person_actor(account), user=account)
    code = last_code("sms", "deletion_code")
    other_person.mobile = account.mobile
    other_person.save(update_fields=["mobile"])
    with pytest.raises(IdentityError):  # another account's code: none was asked for it
        self_deletion_confirm(actor=person_actor(other_person), user=other_person, entered=code)
    assert User.objects.filter(pk=other_person.pk).exists()


# --- Another person's session ------------------------------------------------------------------------------


def test_another_persons_session_cannot_use_a_code_sent_for_this_account(client, account, user_factory):
    other = user_factory(worker=WorkerFactory.create(), email="otra.persona@correo.test", mobile="5599990000")
    sign_in(client, account)
    code = ask_code(client)
    intruder = Client()
    sign_in(intruder, other)
    # Without a code of their own pending, the page only offers to start; with the account's code, nothing.
    assert "No has pedido eliminar tu cuenta en línea" in intruder.post(CONFIRM, {"code": code}).content.decode()
    assert User.objects.filter(pk=account.pk).exists() and User.objects.filter(pk=other.pk).exists()
    # Their own deletion asks their own password and their own code, sent to their own mobile.
    assert intruder.post(START, {"current_password": "correcto-caballo-bateria-grapa-no"}).status_code == 200
    assert OutboxMessage.objects.filter(template="deletion_code").count() == 1
    intruder.post(START, {"current_password": TEST_PASSWORD})
    assert intruder.post(CONFIRM, {"code": code}).status_code == 200  # this account's code is not theirs
    assert User.objects.filter(pk=other.pk).exists() and User.objects.filter(pk=account.pk).exists()


def test_a_pending_deletion_does_not_follow_a_new_sign_in_as_someone_else(client, account, user_factory):
    other = user_factory(worker=WorkerFactory.create(), email="otra.persona@correo.test", mobile="5599990000")
    sign_in(client, account)
    code = ask_code(client)
    client.post(reverse("identity:logout"))
    sign_in(client, other)
    assert "No has pedido eliminar tu cuenta en línea" in client.post(CONFIRM, {"code": code}).content.decode()
    assert User.objects.filter(pk=account.pk).exists() and User.objects.filter(pk=other.pk).exists()


# --- Second factor ------------------------------------------------------------------------------------------


def test_with_a_second_factor_the_page_opens_only_in_a_session_verified_with_it(client, account):
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=account, name="app", confirmed=True)
    account.refresh_from_db()
    assert account.mfa_enabled
    sign_in(client, account)  # the password only
    for response in (client.get(START), client.post(START, {"current_password": TEST_PASSWORD})):
        assert response.status_code == 302 and response["Location"].startswith(reverse("mfa:verify"))
    assert not OutboxMessage.objects.filter(template="deletion_code").exists()
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    page = client.get(START).content.decode()
    assert "y tu verificación en dos pasos" in page
    client.post(CONFIRM, {"code": ask_code(client)})
    assert not User.objects.filter(pk=account.pk).exists()
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
