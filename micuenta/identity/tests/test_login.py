import re

import pytest
from django.urls import reverse

from micuenta.identity.challenge import challenge_new, challenge_solve
from micuenta.identity.forms import GENERIC_LOGIN_ERROR
from micuenta.identity.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_in_spanish_with_the_exact_labels(client):
    response = client.get(reverse("identity:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username">Correo electrónico o NSS</label>' in html
    assert '<label for="id_password">Contraseña</label>' in html
    assert 'autocomplete="current-password"' in html


def test_login_rotates_the_session_and_lands_on_the_dashboard(client, person):
    client.get(reverse("identity:login"))
    session_before = client.cookies.get("sessionid")
    response = client.post(reverse("identity:login"), {"username": "LUCIA@ejemplo.test", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    assert client.cookies["sessionid"].value != (session_before.value if session_before else None)
    assert int(client.session["_auth_user_id"]) == person.pk


@pytest.mark.parametrize(
    ("email", "password"),
    [("lucia@ejemplo.test", "otra-contraseña"), ("nadie@ejemplo.test", TEST_PASSWORD)],
)
def test_wrong_combinations_get_one_generic_message(client, person, email, password):
    response = client.post(reverse("identity:login"), {"username": email, "password": password})
    html = response.content.decode()
    assert response.status_code == 200
    assert GENERIC_LOGIN_ERROR in html
    assert "_auth_user_id" not in client.session
    # What the person typed as identifier stays (known or not alike); the password never comes back.
    assert f'value="{email}"' in html
    assert password not in html


def test_a_missing_password_keeps_the_identifier_typed(client, person):
    html = client.post(reverse("identity:login"), {"username": "lucia@ejemplo.test", "password": ""}).content.decode()
    assert "Escribe tu contraseña." in html
    assert 'value="lucia@ejemplo.test"' in html


def test_inactive_account_gets_the_same_generic_message(client, person):
    person.is_active = False
    person.save()
    response = client.post(reverse("identity:login"), {"username": person.email, "password": TEST_PASSWORD})
    assert GENERIC_LOGIN_ERROR in response.content.decode()


def test_empty_form_says_what_to_do_per_field_and_marks_fields_invalid(client):
    response = client.post(reverse("identity:login"), {"username": "", "password": ""})
    html = response.content.decode()
    assert "Escribe tu correo electrónico o tu NSS." in html
    assert "Escribe tu contraseña." in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_username-error"' in html


def test_logout_is_post_only_and_ends_the_session(client, person):
    client.force_login(person)
    assert client.get(reverse("identity:logout")).status_code == 405
    response = client.post(reverse("identity:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert "_auth_user_id" not in client.session


def test_profile_shows_the_signed_in_persons_own_data(client, person):
    client.force_login(person)
    html = client.get(reverse("identity:profile")).content.decode()
    assert "Lucía Aguilar Soto" in html
    assert "lucia@ejemplo.test" in html


def test_signed_in_person_visiting_login_goes_to_the_dashboard(client, person):
    client.force_login(person)
    response = client.get(reverse("identity:login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")


# --- Sign-in by NSS, throttling, sessions -----------------------------------------------------------------

import time  # noqa: E402
from datetime import timedelta  # noqa: E402

from django.utils import timezone  # noqa: E402

from micuenta.identity.clock import SESSION_LAST_ACTIVITY, SESSION_LOGIN_AT  # noqa: E402
from micuenta.identity.models import DeviceSession, SecurityEvent, SecurityEventKind  # noqa: E402
from micuenta.identity.tests.helpers import TEST_ACTOR  # noqa: E402
from micuenta.notifications.models import OutboxMessage  # noqa: E402
from micuenta.people.tests.factories import WorkerFactory  # noqa: E402


@pytest.fixture
def worker_account(user_factory):
    worker = WorkerFactory.create()
    return user_factory(worker=worker, email="titular@correo.test", mobile="5512345678")


def login(client, username, password=TEST_PASSWORD, **extra):
    """A sign-in as a browser sends it: with the proof of work solved (asked for after a few failures)."""
    data = {"username": username, "password": password, "altcha": challenge_solve(challenge_new())}
    return client.post(reverse("identity:login"), data, **extra)


def test_sign_in_with_the_nss_records_the_device_and_the_history(client, worker_account):
    response = login(client, worker_account.worker.nss, HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) Chrome/131.0")
    assert response.status_code == 302
    session = DeviceSession.objects.get(user=worker_account)
    assert session.session_key == client.session.session_key
    assert session.device.startswith("Chrome") and "Android" in session.device
    event = SecurityEvent.objects.get(user=worker_account, kind=SecurityEventKind.LOGIN)
    assert event.network == "127.0.0.0/24"  # never the full address


def test_wrong_nss_or_password_gets_the_generic_message_and_the_identifier_back_alike(client, worker_account):
    pages = []
    for username, password in ((worker_account.worker.nss, "no-es-esta"), ("99999999999", TEST_PASSWORD)):
        html = login(client, username, password).content.decode()
        assert GENERIC_LOGIN_ERROR in html
        assert f'value="{username}"' in html  # what was typed, so that only the password has to be typed again
        pages.append(html.replace(username, "NSS").replace(password, "CLAVE"))
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", pages[0]) == strip.sub("", pages[1])  # known or unknown NSS: the same page
    assert SecurityEvent.objects.filter(user=worker_account, kind=SecurityEventKind.LOGIN_FAILED).count() == 1


def test_staff_at_the_workers_door_are_told_where_to_go_only_with_the_right_password(client, user_factory):
    user_factory(email="personal@correo.test", is_staff=True)
    wrong = login(client, "personal@correo.test", "equivocada").content.decode()
    assert GENERIC_LOGIN_ERROR in wrong and "/cesi/" not in wrong
    html = login(client, "personal@correo.test").content.decode()
    assert "_auth_user_id" not in client.session
    assert '<a href="/cesi/iniciar-sesion/">' in html and '<a href="/admin/login/">' in html
    assert client.get("/cesi/iniciar-sesion/").status_code == 200


def test_signing_out_says_so(client, worker_account):
    assert login(client, worker_account.email).status_code == 302
    response = client.post(reverse("identity:logout"), follow=True)
    assert "Cerraste sesión." in response.content.decode()
    assert "Cerraste sesión." not in client.get(reverse("core:home")).content.decode()  # said once


def test_ten_failures_lock_the_account_from_that_address_for_fifteen_minutes_and_send_one_email(
    client, worker_account, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, worker_account.email, "equivocada").status_code == 200
    locked = login(client, worker_account.worker.nss, "equivocada")  # the NSS shares the account's counter
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Podrás intentarlo de nuevo a las" in html
    until = timezone.localtime(timezone.now() + timedelta(minutes=15))
    assert until.strftime("%H:%M") in html or (until - timedelta(minutes=1)).strftime("%H:%M") in html
    # The right password waits at that address; from another address the owner still signs in.
    assert login(client, worker_account.email).status_code == 429
    assert OutboxMessage.objects.filter(template="login_locked").count() == 1
    assert login(client, worker_account.email, REMOTE_ADDR="10.9.9.9").status_code == 302
    assert SecurityEvent.objects.filter(user=worker_account, kind=SecurityEventKind.LOCKED).exists()


def test_the_lock_ends_after_fifteen_minutes(client, worker_account, settings):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, worker_account.email, "equivocada")
    assert login(client, worker_account.email).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=1))
    assert login(client, worker_account.email).status_code == 302


def test_the_address_limit_is_higher_than_the_accounts(client, worker_account, settings):
    """Ten failures on different accounts from one address (a carrier's shared address) lock none of them."""
    for n in range(settings.AXES_FAILURE_LIMIT + 1):
        login(client, f"otra{n}@correo.test", "equivocada", REMOTE_ADDR="203.0.113.6")
    assert login(client, worker_account.email, REMOTE_ADDR="203.0.113.6").status_code == 302


def test_failures_from_one_address_lock_that_address_for_every_account(client, worker_account, settings):
    settings.MICUENTA_LOGIN_ADDRESS_FAILURE_LIMIT = 12
    for n in range(12):
        login(client, f"nadie{n}@correo.test", "equivocada", REMOTE_ADDR="203.0.113.7")
    assert login(client, worker_account.email, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert login(client, worker_account.email, REMOTE_ADDR="203.0.113.8").status_code == 302


def test_an_unknown_identifier_is_throttled_like_a_known_one(client, worker_account, settings):
    settings.MICUENTA_LOGIN_ACCOUNT_FAILURE_CEILING = 5
    for identifier in ("desconocida@correo.test", worker_account.email):
        statuses = [
            login(client, identifier, "x", REMOTE_ADDR=f"198.51.100.{n}").status_code
            for n in range(settings.MICUENTA_LOGIN_ACCOUNT_FAILURE_CEILING + 1)
        ]
        assert statuses[-1] == 429 and set(statuses[:-1]) == {200}


def test_the_session_id_changes_at_sign_in(client, worker_account):
    client.get(reverse("identity:login"))
    client.session.save()
    before = client.session.session_key
    login(client, worker_account.email)
    assert client.session.session_key != before


def signed_in(client, account):
    assert login(client, account.email).status_code == 302
    return client


def test_idle_for_fifteen_minutes_ends_the_session_on_the_server(client, worker_account):
    signed_in(client, worker_account)
    session = client.session
    session[SESSION_LAST_ACTIVITY] = time.time() - 15 * 60 - 1
    session.save()
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("identity:login"))
    assert "_auth_user_id" not in client.session
    assert DeviceSession.objects.get(user=worker_account).ended_at is not None
    assert "15 minutos sin actividad" in client.get(response["Location"]).content.decode()


def test_activity_within_fifteen_minutes_keeps_the_session(client, worker_account):
    signed_in(client, worker_account)
    session = client.session
    session[SESSION_LAST_ACTIVITY] = time.time() - 14 * 60
    session.save()
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_twelve_hours_end_the_session_even_with_activity(client, worker_account):
    signed_in(client, worker_account)
    session = client.session
    session[SESSION_LOGIN_AT] = time.time() - 12 * 3600 - 1
    session[SESSION_LAST_ACTIVITY] = time.time()
    session.save()
    response = client.get(reverse("core:dashboard"))
    assert response["Location"].startswith(reverse("identity:login"))
    assert "12 horas" in client.get(response["Location"]).content.decode()


def test_seguir_conectado_restarts_the_idle_clock_and_the_status_does_not(client, worker_account):
    signed_in(client, worker_account)
    session = client.session
    session[SESSION_LAST_ACTIVITY] = time.time() - 14 * 60
    session.save()
    status = client.get(reverse("identity:session_status"), HTTP_ACCEPT="application/json").json()
    assert status["active"] and status["seconds_left"] <= 60
    assert client.get(reverse("identity:session_status")).json()["seconds_left"] <= 60  # asking is not activity
    response = client.post(reverse("identity:session_keepalive"), HTTP_ACCEPT="application/json")
    assert response.json()["seconds_left"] > 14 * 60


def test_signed_in_pages_carry_the_idle_warning_and_are_not_cached(client, worker_account):
    signed_in(client, worker_account)
    response = client.get(reverse("core:dashboard"))
    html = response.content.decode()
    assert "Seguir conectado" in html and "Tu sesión está por cerrarse" in html
    assert "no-store" in response["Cache-Control"]


def test_logout_records_the_end_of_the_device_session(client, worker_account):
    signed_in(client, worker_account)
    client.post(reverse("identity:logout"))
    assert DeviceSession.objects.get(user=worker_account).ended_at is not None
    assert SecurityEvent.objects.filter(user=worker_account, kind=SecurityEventKind.LOGOUT).exists()


def test_a_security_locked_account_is_told_what_to_do(client, worker_account):
    from micuenta.identity.services.security import account_security_lock

    account_security_lock(actor=TEST_ACTOR, user=worker_account, reason="Prueba")
    html = login(client, worker_account.email).content.decode()
    assert "bloqueada por seguridad" in html and "Olvidé mi contraseña" in html
    assert "_auth_user_id" not in client.session


def test_the_cesi_sign_in_shows_its_own_page_when_locked(client, user_factory, settings):
    user_factory(email="asesora@correo.test", is_staff=True)
    url = reverse("backoffice:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "asesora@correo.test", "password": "equivocada"})
    response = client.post(url, {"username": "asesora@correo.test", "password": TEST_PASSWORD})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Validación de identidad (CESI)" in html and "Podrás intentarlo de nuevo a las" in html


def test_an_idle_staff_session_goes_back_to_the_cesi_sign_in(client, user_factory):
    staff = user_factory(email="asesor.inactivo@correo.test", is_staff=True)
    client.force_login(staff)
    session = client.session
    session[SESSION_LOGIN_AT] = time.time()
    session[SESSION_LAST_ACTIVITY] = time.time() - 16 * 60
    session.save()
    response = client.get("/cesi/")
    assert response["Location"].startswith(reverse("backoffice:login"))


def test_a_locked_address_does_not_email_the_accounts_tried_from_it(client, worker_account, settings):
    settings.MICUENTA_LOGIN_ADDRESS_FAILURE_LIMIT = 10
    for n in range(10):
        login(client, f"nadie{n}@correo.test", "equivocada", REMOTE_ADDR="203.0.113.9")
    assert login(client, worker_account.email, REMOTE_ADDR="203.0.113.9").status_code == 429
    assert not OutboxMessage.objects.filter(template="login_locked").exists()
    assert not SecurityEvent.objects.filter(user=worker_account, kind=SecurityEventKind.LOCKED).exists()


def test_a_security_lock_ends_sessions_that_are_already_open(client, worker_account):
    """Even a session the device list does not know of ends at its next request once the account is locked."""
    from micuenta.identity.models import User

    signed_in(client, worker_account)
    User.objects.filter(pk=worker_account.pk).update(security_locked_at=timezone.now())
    response = client.get(reverse("core:dashboard"))
    assert response["Location"].startswith(reverse("identity:login"))
    assert "_auth_user_id" not in client.session


def test_a_changed_session_id_keeps_its_device_row(client, worker_account):
    from micuenta.identity.services.sessions import sessions_revoke

    signed_in(client, worker_account)
    old_key = client.session.session_key
    new_password = "otra frase para mi cuenta segura"
    response = client.post(
        reverse("security:password"),
        {"current_password": TEST_PASSWORD, "new_password": new_password, "new_password_confirm": new_password},
    )
    assert response.status_code in (200, 302)
    assert client.session.session_key != old_key
    assert (
        DeviceSession.objects.get(user=worker_account, ended_at__isnull=True).session_key == client.session.session_key
    )
    sessions_revoke(actor=TEST_ACTOR, user=worker_account)
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_ending_all_sessions_reaches_a_session_missing_from_the_list(client, worker_account):
    from micuenta.identity.services.sessions import sessions_revoke

    signed_in(client, worker_account)
    DeviceSession.objects.filter(user=worker_account).delete()  # e.g. closed by the cleanup while still in use
    sessions_revoke(actor=TEST_ACTOR, user=worker_account)
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_a_busy_session_keeps_its_last_seen_time_fresh(client, worker_account, monkeypatch):
    from micuenta.identity import middleware

    signed_in(client, worker_account)
    row = DeviceSession.objects.get(user=worker_account)
    DeviceSession.objects.filter(pk=row.pk).update(last_seen_at=timezone.now() - timedelta(minutes=30))
    start = time.time()
    # A click every 20 seconds for three minutes.
    for step in range(1, 10):
        monkeypatch.setattr(middleware.time, "time", lambda step=step: start + 20 * step)
        client.get(reverse("core:dashboard"))
    row.refresh_from_db()
    assert timezone.now() - row.last_seen_at < timedelta(minutes=1)


def test_no_fui_yo_on_a_changed_email_needs_the_cesi_and_a_reset_link_does_not_unlock(client, worker_account):
    from micuenta.identity.models import User
    from micuenta.identity.services.accounts import contact_change

    contact_change(actor=TEST_ACTOR, user=worker_account, email="intruso@correo.test")
    signed_in(client, worker_account)
    event = SecurityEvent.objects.get(user=worker_account, kind=SecurityEventKind.EMAIL_CHANGED)
    response = client.post(reverse("security:report", kwargs={"pk": event.pk}), {"confirmar": "1"})
    assert response["Location"] == reverse("security:locked_cesi")
    assert "Centro de Servicio" in client.get(response["Location"]).content.decode()
    account = User.objects.get(pk=worker_account.pk)
    assert account.security_locked_at is not None and account.security_lock_cesi_only
    html = login(client, worker_account.worker.nss).content.decode()
    assert "solo puede desbloquearse en un Centro de Servicio" in html
