"""Each CESI action leaves, beside its row in the CESI's log, an audit event by the member of staff, and the change
itself is audited by the service that makes it; a refused action or a look-up leaves none."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from micuenta.backoffice import services
from micuenta.backoffice.audit import BackofficeAction
from micuenta.backoffice.errors import BackofficeCode, BackofficeError
from micuenta.backoffice.models import IdCheck, StaffAction
from micuenta.backoffice.tests.helpers import REASON, act, cesi_actor, check_id, find
from micuenta.core.actors import Actor, ActorKind
from micuenta.identity.services.security import account_security_lock
from micuenta.identity.tests.helpers import TEST_ACTOR, assert_nothing_personal, audit_events
from micuenta.mfa.tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db

DOCUMENT = "ABCD123456789012"


def _ready(client, staff, worker):
    sign_in_verified(client, staff)
    assert find(client, worker.nss).status_code == 302
    assert check_id(client, DOCUMENT).status_code == 302


def _personal(account):
    worker = account.worker
    return ("titular@correo.test", "5512345678", worker.nss, worker.curp, worker.rfc, DOCUMENT)


@pytest.mark.parametrize(
    ("url", "data", "cesi_action", "change"),
    [
        ("backoffice:unlock", {"desbloqueo-reason": REASON}, BackofficeAction.UNLOCK, "cuenta.desbloqueada"),
        (
            "backoffice:delete_account",
            {"baja-reason": REASON, "baja-confirm": "on"},
            BackofficeAction.DELETE_ACCOUNT,
            "cuenta.borrada",
        ),
        (
            "backoffice:change_contact",
            {"contacto-email": "nueva@correo.test", "contacto-reason": REASON},
            BackofficeAction.CONTACT_CHANGE,
            "cuenta.correo_cambiado",
        ),
        (
            "backoffice:mfa_reset",
            {"dos-pasos-reason": REASON, "dos-pasos-confirm": "on"},
            BackofficeAction.MFA_RESET,
            "dos_pasos.restablecido",
        ),
    ],
)
def test_each_action_is_audited_beside_its_log_row(client, asesor, account, url, data, cesi_action, change):
    account_security_lock(actor=TEST_ACTOR, user=account, reason="No fui yo")
    TOTPDevice.objects.create(user=account, name="app", confirmed=True)
    before = len(audit_events())
    _ready(client, asesor, account.worker)

    assert act(client, url, data).status_code == 302

    action = StaffAction.objects.get()
    events = audit_events()[before:]
    assert [e.action for e in events] == [change, cesi_action]
    for event in events:
        assert (event.actor_kind, event.actor_user_id) == (ActorKind.STAFF, asesor.pk)
        assert event.actor_network == "127.0.0.0/24" and event.actor_session != ""
        assert (event.subject_type, event.subject_id) == ("identity.user", str(account.pk))
        assert event.worker_id == account.worker_id
        assert event.reason == REASON
    assert events[1].after == {"staff_action": action.pk, "id_check": IdCheck.objects.get().pk, "document_type": "ine"}
    assert_nothing_personal(events, *_personal(account))


def test_a_look_up_and_a_refused_action_leave_no_audit_event(client, asesor, account):
    sign_in_verified(client, asesor)
    assert find(client, account.worker.nss).status_code == 302  # kept in the person's history, not audited
    response = act(client, "backoffice:unlock", {"desbloqueo-reason": REASON})  # no ID checked yet
    assert response.status_code == 400
    assert not audit_events() and not StaffAction.objects.exists()


def test_the_services_need_the_cesi_role_in_the_actor(asesor, account):
    IdCheck.objects.create(
        staff=asesor, worker=account.worker, document_type="ine", number_masked="1234", number_hmac="x"
    )
    without_role = Actor(kind=ActorKind.STAFF, user_id=asesor.pk)
    with pytest.raises(BackofficeError) as refused:
        services.staff_account_unlock(actor=without_role, worker=account.worker, reason=REASON)
    assert refused.value.code == BackofficeCode.FORBIDDEN == "sin_permiso"
    with pytest.raises(BackofficeError) as no_change:
        services.staff_contact_change(
            actor=cesi_actor(asesor), worker=account.worker, reason=REASON, email="titular@correo.test"
        )
    assert no_change.value.code == BackofficeCode.NO_CHANGE
    assert not audit_events() and not StaffAction.objects.exists()
