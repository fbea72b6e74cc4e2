"""Olvidé mi contraseña and No tengo acceso a mi correo: same answers, single-use links, SMS codes, CESI."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse

from micuenta.identity.models import ConfirmationCode, SecurityEvent, SecurityEventKind, User
from micuenta.identity.services.security import account_security_lock
from micuenta.identity.tests.factories import TEST_PASSWORD
from micuenta.identity.tests.helpers import TEST_ACTOR, identity_data, last_code, register, solved_challenge
from micuenta.notifications.models import OutboxMessage
from micuenta.people.models import Worker
from micuenta.people.tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "otra frase larga para entrar de nuevo"


@pytest.fixture
def account(user_factory):
    return user_factory(worker=WorkerFactory.create(), email="titular@correo.test", mobile="5512345678")


def forgot(client, nss):
    return client.post(reverse("identity:password_reset"), {"nss": nss, "altcha": solved_challenge()})


def reset_link() -> str:
    body = OutboxMessage.objects.get(template="password_reset").body
    match = re.search(r"https?://[^/\s]+(/olvide-mi-contrasena/[^\s]+/)", body)
    assert match, body
    return match.group(1)


def test_forgot_password_asks_for_the_nss_and_the_challenge(client):
    html = client.get(reverse("identity:password_reset")).content.decode()
    assert "Olvidé mi contraseña" in html and "Número de Seguridad Social (NSS)" in html
    assert "Comprobación de seguridad" in html


def test_forgot_password_answers_the_same_and_mails_only_an_account(client, account):
    unknown = WorkerFactory.create()
    known = forgot(client, account.worker.nss)
    other = forgot(client, unknown.nss)
    assert known.status_code == other.status_code == 302
    assert known["Location"] == other["Location"] == reverse("identity:password_reset_sent")
    assert OutboxMessage.objects.filter(template="password_reset").count() == 1
    assert OutboxMessage.objects.get(template="password_reset").recipient_masked == "t***@c***.test"


def test_the_link_sets_a_new_password_once_ends_every_session_and_sends_a_notice(client, account):
    elsewhere = Client()
    elsewhere.post(reverse("identity:login"), {"username": account.email, "password": TEST_PASSWORD})
    assert elsewhere.get(reverse("core:dashboard")).status_code == 200
    forgot(client, account.worker.nss)
    link = reset_link()
    form_url = client.get(link)["Location"]  # Django moves the token out of the URL into the session
    page = client.get(form_url).content.decode()
    assert "Crea una contraseña nueva" in page
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response["Location"] == reverse("identity:password_reset_complete")
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)
    assert elsewhere.get(reverse("core:dashboard")).status_code == 302  # signed out everywhere
    assert OutboxMessage.objects.filter(template="password_changed").count() == 1
    # The same link again: no longer valid.
    again = Client()
    follow = again.get(link, follow=True).content.decode()
    assert "El enlace ya no sirve" in follow


def test_the_link_is_valid_thirty_minutes(client, account, monkeypatch):
    forgot(client, account.worker.nss)
    link = reset_link()
    real_now = default_token_generator._now
    monkeypatch.setattr(default_token_generator, "_now", lambda: real_now() + timedelta(minutes=31))
    assert "El enlace ya no sirve" in client.get(link, follow=True).content.decode()
    monkeypatch.setattr(default_token_generator, "_now", lambda: real_now() + timedelta(minutes=29))
    assert "Crea una contraseña nueva" in client.get(link, follow=True).content.decode()


def test_the_new_password_follows_the_rules(client, account):
    forgot(client, account.worker.nss)
    form_url = client.get(reset_link())["Location"]
    nss = account.worker.nss
    html = client.post(form_url, {"password1": f"clave{nss}", "password2": f"clave{nss}"}).content.decode()
    assert "tu NSS" in html
    account.refresh_from_db()
    assert account.check_password(TEST_PASSWORD)


def test_a_new_password_by_email_lifts_a_no_fui_yo_lock(client, account):
    account_security_lock(actor=TEST_ACTOR, user=account, reason="Reportó actividad que no reconoce")
    forgot(client, account.worker.nss)
    form_url = client.get(reset_link())["Location"]
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    account.refresh_from_db()
    assert account.security_locked_at is None
    assert (
        client.post(reverse("identity:login"), {"username": account.email, "password": NEW_PASSWORD}).status_code == 302
    )


# --- No tengo acceso a mi correo ------------------------------------------------------------------------


def ask_deletion(client, worker, **overrides):
    return client.post(reverse("identity:delete_account"), identity_data(worker, **overrides))


def test_lost_email_page_explains_and_offers_deletion(client):
    html = client.get(reverse("identity:lost_email")).content.decode()
    assert "Borrar mi cuenta e iniciar un nuevo registro" in html
    assert "Centro de Servicio Infonavit" in html
    # Said for everyone, before any data: the cases that need a CESI, in one plain sentence.
    assert "O si tu cuenta" not in html
    assert (
        "Esto no puede hacerse en línea si no tienes acceso a tu celular registrado, si tu cuenta tiene activada la "
        "verificación en dos pasos o si está bloqueada por seguridad." in " ".join(html.split())
    )
    login = client.get(reverse("identity:login")).content.decode()
    assert "No tengo acceso a mi correo" in login and "Olvidé mi contraseña" in login and "Quiero una cuenta" in login


def test_deletion_answers_the_same_whether_or_not_there_is_an_account(client, account):
    known = ask_deletion(client, account.worker)
    known_page = client.get(known["Location"]).content.decode()
    other_client = Client()
    stranger = WorkerFactory.create()
    unknown = ask_deletion(other_client, stranger)
    unknown_page = other_client.get(unknown["Location"]).content.decode()
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("identity:delete_account_code")
    strip = lambda html: re.sub(r'value="[^"]*"|nonce="[^"]*"', "", html)  # noqa: E731
    assert strip(known_page) == strip(unknown_page)
    assert OutboxMessage.objects.filter(template="deletion_code", channel="sms").count() == 1


def test_the_sms_code_deletes_only_the_online_account_and_registration_starts_again(client, account):
    worker = account.worker
    ask_deletion(client, worker)
    response = client.post(reverse("identity:delete_account_code"), {"code": last_code("sms", "deletion_code")})
    assert response["Location"] == reverse("identity:register")
    assert not User.objects.filter(pk=account.pk).exists()
    assert Worker.objects.filter(pk=worker.pk).exists()  # the fund's data stay
    assert SecurityEvent.objects.filter(worker=worker, kind=SecurityEventKind.ACCOUNT_DELETED).exists()
    assert OutboxMessage.objects.filter(template="account_deleted", channel="sms").exists()
    register(client, worker, email="correo.nuevo@correo.test")
    assert User.objects.get(worker=worker).email == "correo.nuevo@correo.test"


def test_a_locked_account_gets_no_code_and_ends_at_the_cesi(client, account):
    account_security_lock(actor=TEST_ACTOR, user=account, reason="Prueba")
    ask_deletion(client, account.worker)
    assert not OutboxMessage.objects.filter(template="deletion_code").exists()
    url = reverse("identity:delete_account_code")
    for _ in range(4):
        assert client.post(url, {"code": "123456"}).status_code == 200
    response = client.post(url, {"code": "123456"})
    assert response["Location"] == reverse("identity:cesi")
    page = client.get(response["Location"]).content.decode()
    assert "identificación oficial" in page and "agenda" in page.lower()
    assert User.objects.filter(pk=account.pk).exists()


def test_five_wrong_codes_send_to_the_cesi_and_keep_the_account(client, account):
    ask_deletion(client, account.worker)
    right = last_code("sms", "deletion_code")
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    url = reverse("identity:delete_account_code")
    for _ in range(4):
        client.post(url, {"code": wrong})
    assert client.post(url, {"code": wrong})["Location"] == reverse("identity:cesi")
    # Starting over does not reset the count: the account's code stays locked for the day.
    ask_deletion(client, account.worker)
    assert client.post(url, {"code": right})["Location"] == reverse("identity:cesi")
    assert User.objects.filter(pk=account.pk).exists()
    assert ConfirmationCode.objects.get(subject=f"user:{account.pk}").failed_attempts == 5


def test_an_account_without_mobile_cannot_be_deleted_online(client, user_factory):
    account = user_factory(worker=WorkerFactory.create(), email="sincel@correo.test", mobile="")
    ask_deletion(client, account.worker)
    assert not OutboxMessage.objects.filter(template="deletion_code").exists()
    page = client.get(reverse("identity:delete_account_code")).content.decode()
    assert "acude a un Centro de Servicio Infonavit" in page


def test_an_account_with_a_second_factor_is_not_deleted_on_an_sms_code(client, account):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=account, name="app", confirmed=True)
    ask_deletion(client, account.worker)
    assert not OutboxMessage.objects.filter(template="deletion_code").exists()
    assert "verificación en dos pasos" in client.get(reverse("identity:delete_account_code")).content.decode()


CESI_PLAINLY = (
    "Si tu cuenta tiene activada la verificación en dos pasos o está bloqueada por seguridad, no te enviamos ningún "
    "código y aquí no se puede borrar: acude a un Centro de Servicio Infonavit (CESI) con una identificación oficial."
)


def words(html: str) -> str:
    """The text of a page as read: tags dropped, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_the_code_page_says_the_same_plain_words_for_a_second_factor_a_lock_and_a_stranger(user_factory):
    """Nothing is sent for an account with a second factor or a lock, and the page says so to everyone alike."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with_factor = user_factory(worker=WorkerFactory.create(), email="dospasos@correo.test", mobile="5511112222")
    TOTPDevice.objects.create(user=with_factor, name="app", confirmed=True)
    locked = user_factory(worker=WorkerFactory.create(), email="bloqueada@correo.test", mobile="5533334444")
    account_security_lock(actor=TEST_ACTOR, user=locked, reason="Prueba")
    stranger = WorkerFactory.create()
    strip = lambda html: re.sub(r'value="[^"]*"|nonce="[^"]*"', "", html)  # noqa: E731
    pages = []
    for worker in (with_factor.worker, locked.worker, stranger):
        browser = Client()
        first = words(browser.get(reverse("identity:delete_account")).content.decode())
        assert CESI_PLAINLY.replace("no te enviamos", "no te enviaremos") in first  # before any data is typed
        response = ask_deletion(browser, worker)
        assert response["Location"] == reverse("identity:delete_account_code")
        pages.append(strip(browser.get(response["Location"]).content.decode()))
    assert pages[0] == pages[1] == pages[2]
    text = words(pages[0])
    assert CESI_PLAINLY in text
    assert "Si tus datos corresponden a una cuenta que se puede borrar en línea, te enviamos un código" in text
    assert "Si tus datos corresponden a una cuenta, enviamos" not in text
    assert not OutboxMessage.objects.filter(template="deletion_code").exists()
    assert not OutboxMessage.objects.filter(channel="sms").exists()


def test_a_lock_after_the_code_was_sent_stops_the_deletion(client, account):
    ask_deletion(client, account.worker)
    code = last_code("sms", "deletion_code")
    account_security_lock(actor=TEST_ACTOR, user=account, reason="Reportó actividad que no reconoce")
    response = client.post(reverse("identity:delete_account_code"), {"code": code})
    assert response["Location"] == reverse("identity:cesi")
    assert User.objects.filter(pk=account.pk).exists()


def test_the_owner_is_emailed_when_the_account_is_deleted(client, account):
    ask_deletion(client, account.worker)
    client.post(reverse("identity:delete_account_code"), {"code": last_code("sms", "deletion_code")})
    notice = OutboxMessage.objects.get(template="account_deleted", channel="email")
    assert notice.recipient_masked == "t***@c***.test"


def test_unknown_data_hit_the_same_limits_as_an_account(client, account):
    """Five wrong codes for unknown data also end at the CESI, and asking again does not start over."""
    stranger = WorkerFactory.create()
    data = {"nss": stranger.nss, "curp": stranger.curp, "rfc": stranger.rfc}
    stranger.delete()
    url = reverse("identity:delete_account_code")
    for who in (account.worker, None):
        other = Client()
        if who is None:
            other.post(reverse("identity:delete_account"), {**data, "altcha": solved_challenge()})
        else:
            ask_deletion(other, who)
        for _ in range(4):
            other.post(url, {"code": "000001"})
        assert other.post(url, {"code": "000001"})["Location"] == reverse("identity:cesi")
        if who is None:
            again = other.post(reverse("identity:delete_account"), {**data, "altcha": solved_challenge()})
        else:
            again = ask_deletion(other, who)
        assert again["Location"] == reverse("identity:delete_account_code")
        assert other.get(url)["Location"] == reverse("identity:cesi")


def test_reset_links_stop_after_three_an_hour_with_the_same_answer(client, account):
    answers = {forgot(client, account.worker.nss)["Location"] for _ in range(5)}
    assert answers == {reverse("identity:password_reset_sent")}
    assert OutboxMessage.objects.filter(template="password_reset").count() == 3


def test_a_reset_link_does_not_lift_a_lock_only_a_cesi_can_lift(client, account):
    account_security_lock(actor=TEST_ACTOR, user=account, reason="Cambio de correo no reconocido", cesi_only=True)
    forgot(client, account.worker.nss)
    form_url = client.get(reset_link())["Location"]
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    account.refresh_from_db()
    assert account.security_locked_at is not None
