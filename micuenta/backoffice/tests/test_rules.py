"""The CESI back office: who gets in, what must come before an action, and what each action leaves behind."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
from django.contrib import admin
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from micuenta.backoffice import services
from micuenta.backoffice.errors import BackofficeError
from micuenta.backoffice.models import ActionKind, DocumentType, IdCheck, StaffAction
from micuenta.backoffice.roles import is_cesi_staff
from micuenta.backoffice.tests.helpers import REASON, act, cesi_actor, check_id, ficha, find
from micuenta.identity.models import DeviceSession, SecurityEvent, SecurityEventKind, User
from micuenta.identity.services.security import account_security_lock
from micuenta.identity.tests.factories import TEST_PASSWORD
from micuenta.identity.tests.helpers import TEST_ACTOR
from micuenta.mfa.tests.helpers import sign_in_verified
from micuenta.notifications.models import OutboxMessage
from micuenta.people.models import Worker

pytestmark = pytest.mark.django_db

PAGES = ["backoffice:search", "backoffice:worker", "backoffice:audit", "backoffice:audit_lookups"]
POSTS = [
    "backoffice:id_check",
    "backoffice:unlock",
    "backoffice:change_contact",
    "backoffice:delete_account",
    "backoffice:mfa_reset",
]


def _lock(account):
    account_security_lock(actor=TEST_ACTOR, user=account, reason="No fui yo")
    OutboxMessage.objects.all().delete()


def _ready(client, staff, worker):
    """Signed in, the worker found and an ID document recorded."""
    sign_in_verified(client, staff)
    assert find(client, worker.nss).status_code == 302
    assert check_id(client).status_code == 302


# --- Who gets in -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_the_cesi_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("backoffice:login"))


@pytest.mark.parametrize("name", PAGES + POSTS)
def test_a_worker_and_staff_without_the_role_get_403(client, person, staff_without_role, name):
    for user in (person, staff_without_role):
        sign_in_verified(client, user)
        assert client.post(reverse(name)).status_code == 403, user
        client.logout()


def test_a_workers_account_never_counts_as_cesi_staff_even_if_flagged(asesor, account):
    from django.contrib.auth.models import Group

    account.is_staff = True
    account.save()
    account.groups.add(Group.objects.get(name="Asesor CESI"))
    assert is_cesi_staff(User.objects.get(pk=account.pk)) is False
    assert is_cesi_staff(asesor) is True


def test_the_audit_log_is_for_supervisors_only(client, asesor, supervisor):
    sign_in_verified(client, asesor)
    assert client.get(reverse("backoffice:audit")).status_code == 403
    assert "Bitácora" not in client.get(reverse("backoffice:search")).content.decode()
    sign_in_verified(client, supervisor)
    assert client.get(reverse("backoffice:audit")).status_code == 200
    assert client.get(reverse("backoffice:search")).status_code == 200


def test_login_page_is_in_spanish(client):
    response = client.get(reverse("backoffice:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Validación de identidad (CESI)</h1>" in html
    assert 'for="id_username">Correo electrónico</label>' in html
    assert 'for="id_password">Contraseña</label>' in html


def test_an_asesor_signs_in_with_a_new_session_a_device_row_and_history(client, asesor):
    client.get(reverse("backoffice:login"))
    before = client.session.session_key
    response = client.post(reverse("backoffice:login"), {"username": "ASESOR@cesi.test", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:search")
    assert client.session.session_key != before
    assert DeviceSession.objects.filter(user=asesor, session_key=client.session.session_key).exists()
    assert SecurityEvent.objects.filter(user=asesor, kind=SecurityEventKind.LOGIN).count() == 1
    # The password alone opens nothing: without a second factor, staff are sent to add one.
    assert client.get(reverse("backoffice:search"))["Location"].startswith(reverse("mfa:staff_enrol"))


@pytest.mark.parametrize("who", ["worker", "staff_without_role", "wrong_password", "unknown"])
def test_everyone_else_gets_one_generic_error_at_the_cesi_sign_in(client, account, staff_without_role, asesor, who):
    username, password = {
        "worker": (account.email, TEST_PASSWORD),
        "staff_without_role": (staff_without_role.email, TEST_PASSWORD),
        "wrong_password": (asesor.email, "no-es-la-contraseña"),
        "unknown": ("nadie@cesi.test", TEST_PASSWORD),
    }[who]
    response = client.post(reverse("backoffice:login"), {"username": username, "password": password})
    assert response.status_code == 200
    assert "no tiene acceso a la validación de identidad" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_nss_is_not_accepted_at_the_cesi_sign_in(client, account):
    response = client.post(reverse("backoffice:login"), {"username": account.worker.nss, "password": TEST_PASSWORD})
    assert "Escribe un correo electrónico válido" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only_and_ends_the_session(client, asesor):
    client.post(reverse("backoffice:login"), {"username": asesor.email, "password": TEST_PASSWORD})
    assert client.get(reverse("backoffice:logout")).status_code == 405
    response = client.post(reverse("backoffice:logout"))
    assert response["Location"] == reverse("backoffice:login")
    assert "_auth_user_id" not in client.session
    assert DeviceSession.objects.get(user=asesor).ended_at is not None


# --- Finding the worker ------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["nss", "curp"])
def test_find_by_nss_or_curp_shows_masked_data_and_the_account_state(client, asesor, account, field):
    _lock(account)
    worker = account.worker
    sign_in_verified(client, asesor)
    response = find(client, getattr(worker, field).lower() if field == "curp" else worker.nss)
    assert response["Location"] == reverse("backoffice:worker")
    html = client.get(response["Location"]).content.decode()
    assert f"<h1>{worker.nombre_completo}</h1>" in html
    assert f"*******{worker.nss[-4:]}" in html
    assert f"**************{worker.curp[-4:]}" in html
    assert "t***@c***.test" in html
    assert "******5678" in html
    assert "Sí, desde el" in html
    for clear in (worker.nss, worker.curp, worker.rfc, account.email, account.mobile):
        assert clear not in html


def test_every_look_at_a_worker_is_kept_and_shown_to_the_person(client, asesor, account):
    sign_in_verified(client, asesor)
    find(client, account.worker.nss)
    event = SecurityEvent.objects.get(kind=SecurityEventKind.STAFF_LOOKUP)
    assert (event.user, event.worker, event.actor) == (account, account.worker, asesor)
    client.logout()
    client.force_login(account)
    assert "Consulta de tus datos en un CESI" in client.get(reverse("security:activity")).content.decode()


def test_a_worker_without_online_account(client, asesor, worker):
    sign_in_verified(client, asesor)
    find(client, worker.nss)
    html = client.get(reverse("backoffice:worker")).content.decode()
    assert "No tiene cuenta en línea" in html
    check_id(client)
    assert "Desbloquear la cuenta" not in client.get(reverse("backoffice:worker")).content.decode()
    response = act(client, "backoffice:unlock", {"desbloqueo-reason": REASON})
    assert "Este derechohabiente no tiene cuenta en línea." in response.content.decode()


def test_the_temporary_lock_of_failed_sign_ins_is_shown(client, asesor, account, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(3):
        client.post(reverse("identity:login"), {"username": account.email, "password": "equivocada-otra-vez"})
    sign_in_verified(client, asesor)
    find(client, account.worker.nss)
    html = client.get(reverse("backoffice:worker")).content.decode()
    assert "Bloqueo temporal por intentos fallidos</dt><dd>Sí, hasta las" in html


@pytest.mark.parametrize(
    ("entered", "message"),
    [
        ("", "Escribe el NSS o la CURP del derechohabiente."),
        ("1234", "Escribe un NSS de 11 dígitos o una CURP de 18 caracteres."),
        ("00000000000", "No encontramos a ningún derechohabiente con ese NSS o CURP."),
    ],
)
def test_search_errors_are_clear(client, asesor, entered, message):
    sign_in_verified(client, asesor)
    response = find(client, entered)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_worker_page_without_a_search_goes_back_to_the_search(client, asesor):
    sign_in_verified(client, asesor)
    assert client.get(reverse("backoffice:worker"))["Location"] == reverse("backoffice:search")


# --- The ID check ------------------------------------------------------------------------------------


def test_the_id_document_is_stored_masked_with_a_keyed_hash(client, asesor, worker):
    sign_in_verified(client, asesor)
    find(client, worker.nss)
    response = check_id(client, number="idmex 1234 5678 9012", kind=DocumentType.PASAPORTE)
    assert response["Location"] == reverse("backoffice:worker")
    row = IdCheck.objects.get()
    assert (row.staff, row.worker, row.document_type) == (asesor, worker, DocumentType.PASAPORTE)
    assert row.number_masked == "*" * 13 + "9012"
    assert row.number_hmac == services.document_number_hmac(DocumentType.PASAPORTE, "IDMEX123456789012")
    assert "IDMEX123456789012" not in str(IdCheck.objects.values().get())
    assert "terminación 9012" in client.get(reverse("backoffice:worker")).content.decode()


def test_id_check_errors_are_clear(client, asesor, worker):
    sign_in_verified(client, asesor)
    find(client, worker.nss)
    html = act(client, "backoffice:id_check", {"document_type": "", "number": "12"}).content.decode()
    assert "Elige el tipo de identificación que revisaste." in html
    assert "El número debe tener de 4 a 30 letras o dígitos." in html
    assert not IdCheck.objects.exists()


def test_an_action_needs_an_id_check_of_this_staff_member(client, asesor, other_asesor, account):
    _lock(account)
    sign_in_verified(client, other_asesor)
    find(client, account.worker.nss)
    check_id(client)  # another member of staff's check does not count
    sign_in_verified(client, asesor)
    find(client, account.worker.nss)
    response = act(client, "backoffice:unlock", {"desbloqueo-reason": REASON})
    assert response.status_code == 400
    assert "registra la identificación oficial que revisaste" in response.content.decode()
    account.refresh_from_db()
    assert account.security_locked_at is not None
    assert not StaffAction.objects.exists()


def test_the_id_check_expires_after_two_hours(client, asesor, account, monkeypatch):
    _lock(account)
    _ready(client, asesor, account.worker)
    later = timezone.now() + timedelta(hours=2, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = act(client, "backoffice:unlock", {"desbloqueo-reason": REASON})
    assert response.status_code == 400
    assert "vale 2 horas" in response.content.decode()
    assert not StaffAction.objects.exists()
    monkeypatch.undo()
    assert act(client, "backoffice:unlock", {"desbloqueo-reason": REASON}).status_code == 302


# --- Reasons -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Escribe el motivo de la acción."),
        ("lo pidió", "Escribe un motivo más claro, de al menos 15 caracteres."),
        ("Se presentó con NSS 12345678901 y pidió acceso", "El motivo no debe incluir NSS, CURP, RFC"),
        ("Pidió usar su correo nuevo ana@correo.test", "El motivo no debe incluir NSS, CURP, RFC"),
    ],
)
def test_a_written_reason_is_required(client, asesor, account, reason, message):
    _lock(account)
    _ready(client, asesor, account.worker)
    response = act(client, "backoffice:unlock", {"desbloqueo-reason": reason})
    assert response.status_code == 400
    assert message in response.content.decode()
    account.refresh_from_db()
    assert account.security_locked_at is not None
    assert not StaffAction.objects.exists()


def test_the_service_refuses_a_short_reason_too(asesor, account):
    IdCheck.objects.create(
        staff=asesor, worker=account.worker, document_type="ine", number_masked="1234", number_hmac="x"
    )
    with pytest.raises(BackofficeError, match="al menos 15"):
        services.staff_account_unlock(actor=cesi_actor(asesor), worker=account.worker, reason="corto")


# --- The actions -------------------------------------------------------------------------------------


def test_unlock_lifts_the_lock_audits_and_tells_the_worker(client, asesor, account):
    _lock(account)
    _ready(client, asesor, account.worker)
    response = act(client, "backoffice:unlock", {"desbloqueo-reason": REASON})
    assert response["Location"] == reverse("backoffice:worker")
    account.refresh_from_db()
    assert account.security_locked_at is None
    action = StaffAction.objects.get()
    assert (action.staff, action.worker, action.action, action.reason) == (
        asesor,
        account.worker,
        ActionKind.UNLOCK,
        REASON,
    )
    assert action.id_check == IdCheck.objects.get()
    event = SecurityEvent.objects.get(kind=SecurityEventKind.UNLOCKED)
    assert (event.user, event.actor) == (account, asesor)
    assert list(OutboxMessage.objects.values_list("template", "channel")) == [("account_unlocked", "email")]
    assert "Desbloqueaste la cuenta en línea" in client.get(reverse("backoffice:worker")).content.decode()


def test_delete_removes_only_the_online_account(client, asesor, account):
    worker = account.worker
    _ready(client, asesor, worker)
    response = act(client, "backoffice:delete_account", {"baja-reason": REASON})
    assert response.status_code == 400
    assert "Confirma que la persona pidió eliminar su cuenta en línea." in response.content.decode()
    assert User.objects.filter(pk=account.pk).exists()

    response = act(client, "backoffice:delete_account", {"baja-reason": REASON, "baja-confirm": "on"})
    assert response["Location"] == reverse("backoffice:worker")
    assert not User.objects.filter(pk=account.pk).exists()
    assert Worker.objects.filter(pk=worker.pk).exists()
    action = StaffAction.objects.get()
    assert (action.action, action.worker) == (ActionKind.DELETE_ACCOUNT, worker)
    event = SecurityEvent.objects.get(kind=SecurityEventKind.ACCOUNT_DELETED)
    assert (event.worker, event.actor) == (worker, asesor)
    assert sorted(OutboxMessage.objects.values_list("template", "channel")) == [
        ("account_deleted", "email"),
        ("account_deleted", "sms"),
    ]
    assert "No tiene cuenta en línea" in client.get(reverse("backoffice:worker")).content.decode()


def test_contact_change_of_email_and_mobile(client, asesor, account):
    _ready(client, asesor, account.worker)
    response = act(
        client,
        "backoffice:change_contact",
        {"contacto-email": "Nueva@Correo.test", "contacto-mobile": "55 8765 4321", "contacto-reason": REASON},
    )
    assert response["Location"] == reverse("backoffice:worker")
    account.refresh_from_db()
    assert (account.email, account.mobile) == ("nueva@correo.test", "5587654321")
    action = StaffAction.objects.get()
    assert action.action == ActionKind.CONTACT_CHANGE
    assert action.detail == "Correo: t•••ar@c•••o.test → n•••a@c•••o.test. Celular: ******5678 → ******4321."
    templates = sorted(OutboxMessage.objects.values_list("template", "channel"))
    assert templates == [
        ("contact_changed_new", "email"),
        ("contact_changed_new", "email"),
        ("contact_changed_old", "email"),
        ("contact_changed_old", "sms"),
    ]
    assert SecurityEvent.objects.filter(actor=asesor).exclude(kind=SecurityEventKind.STAFF_LOOKUP).count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Escribe el nuevo correo electrónico, el nuevo celular o ambos."),
        ({"contacto-email": "no-es-correo"}, "Escribe un correo electrónico válido"),
        ({"contacto-email": "ocupado@correo.test"}, "Ese correo electrónico ya está registrado en otra cuenta."),
        ({"contacto-mobile": "12345"}, "El número de celular debe tener 10 dígitos"),
        ({"contacto-email": "TITULAR@correo.test"}, "El correo y el celular son los mismos que ya tiene la cuenta."),
    ],
)
def test_contact_change_errors_are_clear(client, asesor, account, user_factory, data, message):
    user_factory(email="ocupado@correo.test")
    _ready(client, asesor, account.worker)
    response = act(client, "backoffice:change_contact", {"contacto-reason": REASON, **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    account.refresh_from_db()
    assert (account.email, account.mobile) == ("titular@correo.test", "5512345678")
    assert not StaffAction.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_nothing_is_half_written_when_the_audit_row_fails(asesor, account, monkeypatch):
    _lock(account)
    IdCheck.objects.create(
        staff=asesor, worker=account.worker, document_type="ine", number_masked="1234", number_hmac="x"
    )
    events_before = SecurityEvent.objects.count()

    def broken(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(StaffAction.objects, "create", broken)
    for perform in (services.staff_account_unlock, services.staff_account_delete):
        with pytest.raises(DatabaseError):
            perform(actor=cesi_actor(asesor), worker=account.worker, reason=REASON)
    with pytest.raises(DatabaseError):
        services.staff_contact_change(
            actor=cesi_actor(asesor), worker=account.worker, reason=REASON, email="otra@correo.test"
        )
    account.refresh_from_db()
    assert account.security_locked_at is not None
    assert account.email == "titular@correo.test"
    assert SecurityEvent.objects.count() == events_before
    assert not OutboxMessage.objects.exists()


def test_the_audit_tables_are_append_only(asesor, account):
    check = IdCheck.objects.create(
        staff=asesor, worker=account.worker, document_type="ine", number_masked="1234", number_hmac="x"
    )
    action = StaffAction.objects.create(
        staff=asesor, worker=account.worker, action=ActionKind.UNLOCK, reason=REASON, id_check=check
    )
    for statement in (
        lambda: StaffAction.objects.filter(pk=action.pk).update(reason="otro"),
        lambda: StaffAction.objects.filter(pk=action.pk).delete(),
        lambda: IdCheck.objects.filter(pk=check.pk).update(number_masked="0000"),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            statement()


# --- No identifier in URLs, logs or audit rows ---------------------------------------------------------


def test_identifiers_never_appear_in_urls_logs_or_audit_rows(client, asesor, account, caplog):
    caplog.set_level(logging.DEBUG)
    worker = account.worker
    clear = [worker.nss, worker.curp, worker.rfc, account.email, account.mobile, "ABCD123456789012"]
    _lock(account)
    sign_in_verified(client, asesor)
    locations = []
    for response in (
        find(client, worker.nss),
        find(client, worker.curp),
        check_id(client, number="ABCD123456789012"),
        act(client, "backoffice:unlock", {"desbloqueo-reason": REASON}),
        act(
            client,
            "backoffice:change_contact",
            {"contacto-email": "nueva@correo.test", "contacto-mobile": "5587654321", "contacto-reason": REASON},
        ),
        act(client, "backoffice:delete_account", {"baja-reason": REASON, "baja-confirm": "on"}),
    ):
        assert response.status_code == 302
        locations.append(response["Location"])
    clear += ["nueva@correo.test", "5587654321"]
    assert set(locations) == {reverse("backoffice:worker")}
    rows = str(list(StaffAction.objects.values())) + str(list(IdCheck.objects.values()))
    assert StaffAction.objects.count() == 3
    for value in clear:
        assert value not in rows
        assert value not in caplog.text
        assert value.lower() not in rows.lower()


# --- The audit log -----------------------------------------------------------------------------------


def _action(staff, worker, when):
    check = IdCheck.objects.create(
        staff=staff, worker=worker, document_type="ine", number_masked="1234", number_hmac="x", created_at=when
    )
    return StaffAction.objects.create(
        staff=staff, worker=worker, action=ActionKind.UNLOCK, reason=REASON, id_check=check, created_at=when
    )


def test_the_audit_log_filters_by_dates_and_staff_and_paginates(client, supervisor, asesor, other_asesor, worker):
    base = timezone.make_aware(datetime(2026, 3, 10, 12, 0))
    for day in range(30):
        _action(asesor, worker, base + timedelta(days=day))
    _action(other_asesor, worker, base)
    sign_in_verified(client, supervisor)
    url = reverse("backoffice:audit")

    html = client.get(url).content.decode()
    assert "Acciones del personal (31)" in html
    assert "Página 1 de 2" in html
    assert html.count("<tr>") == 1 + 25

    html = client.get(url, {"personal": other_asesor.pk}).content.decode()
    assert "Acciones del personal (1)" in html
    assert "Inés Robles" in html

    html = client.get(url, {"desde": "2026-03-12", "hasta": "2026-03-14", "personal": asesor.pk}).content.decode()
    assert "Acciones del personal (3)" in html
    assert "12/03/2026" in html and "14/03/2026" in html and "15/03/2026" not in html

    page2 = client.get(url, {"personal": asesor.pk, "pagina": 2}).content.decode()
    assert "Acciones del personal (30)" in page2
    assert "Página 2 de 2" in page2
    assert f"personal={asesor.pk}&amp;pagina=1" in page2

    bad = client.get(url, {"desde": "2026-03-20", "hasta": "2026-03-01"}).content.decode()
    assert "La fecha «Desde» debe ser anterior o igual a «Hasta»." in bad
    assert worker.nss not in html + page2


def test_the_models_are_read_only_in_the_admin(rf, asesor):
    request = rf.get("/admin/")
    request.user = asesor
    for model in (IdCheck, StaffAction):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)


# --- Demo accounts -----------------------------------------------------------------------------------


def test_the_cesi_demo_accounts_sign_in_with_their_roles(client, settings):
    from django.core.management import call_command

    from micuenta.demo.accounts import DEMO_PASSWORD

    settings.MICUENTA_DEMO = True
    call_command("load_demo_data")
    expected = {"asesor.demo@micuenta.test": 403, "supervisor.demo@micuenta.test": 200}
    for email, audit_status in expected.items():
        response = client.post(reverse("backoffice:login"), {"username": email, "password": DEMO_PASSWORD})
        assert response["Location"] == reverse("backoffice:search"), email
        sign_in_verified(client, User.objects.get(email=email))
        assert client.get(reverse("backoffice:audit")).status_code == audit_status
        client.post(reverse("backoffice:logout"))
    # A worker's demo account is refused with the generic message.
    response = client.post(
        reverse("backoffice:login"), {"username": "ana.demo@micuenta.test", "password": DEMO_PASSWORD}
    )
    assert "no tiene acceso a la validación de identidad" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_second_factor_is_removed_for_a_person_who_lost_it(client, asesor, account):
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=account, name="app", confirmed=True)
    StaticDevice.objects.create(user=account, name="recuperación", confirmed=True)
    _ready(client, asesor, account.worker)
    assert "Quitar la verificación en dos pasos" in client.get(reverse("backoffice:worker")).content.decode()
    response = act(client, "backoffice:mfa_reset", {"dos-pasos-reason": REASON})
    assert response.status_code == 400
    assert TOTPDevice.objects.filter(user=account).exists()

    response = act(client, "backoffice:mfa_reset", {"dos-pasos-reason": REASON, "dos-pasos-confirm": "on"})
    assert response["Location"] == reverse("backoffice:worker")
    assert not TOTPDevice.objects.filter(user=account).exists()
    assert not StaticDevice.objects.filter(user=account).exists()
    assert StaffAction.objects.get().action == ActionKind.MFA_RESET
    event = SecurityEvent.objects.get(kind=SecurityEventKind.MFA_DISABLED)
    assert (event.user, event.actor) == (account, asesor)
    assert OutboxMessage.objects.filter(template="mfa_disabled", channel="email").exists()
    assert "Quitar la verificación en dos pasos" not in client.get(reverse("backoffice:worker")).content.decode()
    # The person now signs in with the password alone.
    client.logout()
    client.post(reverse("identity:login"), {"username": account.email, "password": TEST_PASSWORD})
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_a_form_left_open_on_another_worker_does_not_act_on_the_one_selected_now(client, asesor, account, user_factory):
    """Tab 1 shows one worker; tab 2 searches another; tab 1's unlock must not hit the other one."""
    from micuenta.people.tests.factories import WorkerFactory

    other = user_factory(worker=WorkerFactory.create(), email="otra.persona@correo.test")
    _lock(account)
    _lock(other)
    _ready(client, asesor, account.worker)
    tab_one = ficha(client)
    find(client, other.worker.nss)
    check_id(client)
    response = client.post(reverse("backoffice:unlock"), {"desbloqueo-reason": REASON, "ficha": tab_one})
    assert response["Location"] == reverse("backoffice:worker")
    assert "La ficha cambió en otra pestaña" in client.get(response["Location"]).content.decode()
    assert not StaffAction.objects.exists()
    assert client.post(reverse("backoffice:unlock"), {"desbloqueo-reason": REASON})["Location"] == reverse(
        "backoffice:worker"
    )
    assert not StaffAction.objects.exists()


def test_removing_the_second_factor_at_the_cesi_ends_the_accounts_sessions(client, asesor, account):
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=account, name="app", confirmed=True)
    waiting = Client()
    waiting.force_login(account)  # signed in with the password, waiting at the second step
    assert waiting.get(reverse("core:dashboard"))["Location"].startswith(reverse("mfa:verify"))
    _ready(client, asesor, account.worker)
    act(client, "backoffice:mfa_reset", {"dos-pasos-reason": REASON, "dos-pasos-confirm": "on"})
    response = waiting.get(reverse("core:dashboard"))
    assert response["Location"].startswith(reverse("identity:login"))


def test_supervisors_read_who_looked_at_whose_data(client, asesor, supervisor, account):
    sign_in_verified(client, asesor)
    find(client, account.worker.nss)
    assert client.get(reverse("backoffice:audit_lookups")).status_code == 403
    sign_in_verified(client, supervisor)
    html = client.get(reverse("backoffice:audit_lookups")).content.decode()
    assert account.worker.nombre_completo in html and asesor.get_full_name() in html
    assert account.worker.nss not in html
    other_day = client.get(reverse("backoffice:audit_lookups"), {"desde": "2020-01-01", "hasta": "2020-01-02"})
    assert "No hay consultas que coincidan con el filtro." in other_day.content.decode()
