"""The second factor's services called directly: what they return for the view's session, what they refuse, and
what they record in the audit trail (the actor, before → after, never a code or a key)."""

from __future__ import annotations

import json
import time

import pytest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from micuenta.core.actors import Actor, ActorKind
from micuenta.identity.models import SecurityEvent, SecurityEventKind
from micuenta.identity.tests.factories import TEST_PASSWORD
from micuenta.identity.tests.helpers import assert_nothing_personal, audit_events, person_actor
from micuenta.mfa import services
from micuenta.mfa.audit import SecondFactorAction
from micuenta.mfa.current import current_actor
from micuenta.mfa.errors import SecondFactorCode, SecondFactorError
from micuenta.mfa.selectors import KIND_PASSKEY, KIND_TOTP
from micuenta.mfa.tests.helpers import totp_code

pytestmark = pytest.mark.django_db


def _enrolled(person):
    actor = person_actor(person)
    device = services.totp_pending(actor=actor, user=person)
    return device, services.totp_confirm(actor=actor, user=person, device=device, code=totp_code(device))


def _secrets(person) -> list[str]:
    """What must never reach the audit trail: the app's key and every recovery code."""
    keys = list(TOTPDevice.objects.filter(user=person).values_list("key", flat=True))
    codes = list(StaticDevice.objects.filter(user=person).values_list("token_set__token", flat=True))
    return [k for k in keys + codes if k]


def test_confirming_an_app_returns_the_device_and_new_codes_and_audits_both(person):
    device, enabled = _enrolled(person)
    assert enabled.device.pk == device.pk and len(enabled.recovery_codes) == 10
    person.refresh_from_db()
    assert person.mfa_enabled is True
    added, codes = audit_events()
    assert added.action == SecondFactorAction.FACTOR_ADDED == "dos_pasos.metodo_agregado"
    assert added.before == {"factors": 0} and added.after == {"factors": 1, "factor": KIND_TOTP}
    assert codes.action == SecondFactorAction.RECOVERY_CODES_GENERATED
    assert codes.before == {"recovery_codes": 0} and codes.after == {"recovery_codes": 10}
    for event in (added, codes):
        assert (event.actor_kind, event.actor_user_id) == (ActorKind.PERSON, person.pk)
        assert (event.subject_type, event.subject_id) == ("identity.user", str(person.pk))
    assert_nothing_personal(audit_events(), person.email, *_secrets(person), *enabled.recovery_codes)


def test_a_wrong_code_at_enrolment_is_refused_counted_and_not_audited(person):
    actor = person_actor(person)
    device = services.totp_pending(actor=actor, user=person)
    wrong = "000000" if totp_code(device) != "000000" else "111111"
    with pytest.raises(SecondFactorError) as refused:
        services.totp_confirm(actor=actor, user=person, device=device, code=wrong)
    assert refused.value.code == SecondFactorCode.CODE_WRONG
    device.refresh_from_db()
    assert not device.confirmed and device.throttling_failure_count == 1  # committed before the refusal
    assert not audit_events()
    for _ in range(services.FREE_WRONG_CODES):
        with pytest.raises(SecondFactorError):
            services.totp_confirm(actor=actor, user=person, device=device, code=wrong)
    with pytest.raises(SecondFactorError) as waiting:
        services.totp_confirm(actor=actor, user=person, device=device, code=totp_code(device))
    assert waiting.value.code == SecondFactorCode.THROTTLED


def test_verification_returns_the_device_or_records_the_failure(person):
    _enrolled(person)
    before = len(audit_events())
    with pytest.raises(SecondFactorError) as refused:
        services.second_factor_verify(actor=person_actor(person), user=person, entered="000000")
    assert refused.value.code == SecondFactorCode.CODE_WRONG
    assert SecurityEvent.objects.filter(user=person, kind=SecurityEventKind.MFA_FAILED).count() == 1
    code = StaticDevice.objects.get(user=person).token_set.first().token
    verified = services.second_factor_verify(actor=person_actor(person), user=person, entered=code.upper())
    assert isinstance(verified, StaticDevice)
    # A wrong code changes nothing of the account; a recovery code used leaves one fewer (audited, next test).
    assert [e.action for e in audit_events()[before:]] == [SecondFactorAction.RECOVERY_CODE_USED]


def test_new_codes_need_the_password_and_the_fifth_wrong_one_signs_out(person):
    _enrolled(person)
    before = len(audit_events())
    for wrong_so_far in range(4):
        with pytest.raises(SecondFactorError) as refused:
            services.recovery_codes_renew(
                actor=person_actor(person), user=person, password="no-es", wrong_passwords=wrong_so_far
            )
        assert refused.value.code == SecondFactorCode.WRONG_PASSWORD
    with pytest.raises(SecondFactorError) as out:
        services.recovery_codes_renew(actor=person_actor(person), user=person, password="no-es", wrong_passwords=4)
    assert out.value.code == SecondFactorCode.SIGNED_OUT
    assert SecurityEvent.objects.filter(user=person, kind=SecurityEventKind.LOGIN_FAILED).count() == 1
    assert len(audit_events()) == before

    shown = services.recovery_codes_renew(actor=person_actor(person), user=person, password=TEST_PASSWORD)
    assert len(shown) == 10
    renewed = audit_events()[-1]
    assert renewed.action == "dos_pasos.codigos_generados"
    assert renewed.before == {"recovery_codes": 10} and renewed.after == {"recovery_codes": 10}
    assert_nothing_personal([renewed], *shown, *_secrets(person))


def test_removing_the_last_factor_takes_the_codes_and_is_audited(person):
    device, _ = _enrolled(person)
    removed = services.factor_remove(
        actor=person_actor(person), user=person, persistent_id=device.persistent_id, password=TEST_PASSWORD
    )
    assert removed.codes_removed and removed.remaining == [] and removed.persistent_id == device.persistent_id
    assert not StaticDevice.objects.filter(user=person).exists()
    person.refresh_from_db()
    assert person.mfa_enabled is False
    event = audit_events()[-1]
    assert event.action == SecondFactorAction.FACTOR_REMOVED == "dos_pasos.metodo_quitado"
    assert event.before == {"factors": 1, "factor": KIND_TOTP}
    assert event.after == {"factors": 0, "recovery_codes_removed": True}


def test_a_refused_removal_removes_and_records_nothing(person):
    device, _ = _enrolled(person)
    before = len(audit_events())
    for persistent_id, password, code in (
        (device.persistent_id, "no-es", SecondFactorCode.WRONG_PASSWORD),
        ("otp_totp.totpdevice/999999", TEST_PASSWORD, SecondFactorCode.UNKNOWN_FACTOR),
    ):
        with pytest.raises(SecondFactorError) as refused:
            services.factor_remove(
                actor=person_actor(person), user=person, persistent_id=persistent_id, password=password
            )
        assert refused.value.code == code
    assert TOTPDevice.objects.filter(pk=device.pk).exists() and len(audit_events()) == before


def test_a_reset_by_staff_removes_everything_and_is_audited_with_the_reason(person, user_factory):
    _enrolled(person)
    staff = user_factory(is_staff=True, email="asesor@cesi.test")
    actor = Actor(kind=ActorKind.STAFF, user_id=staff.pk)
    assert (
        services.factors_remove_all(actor=actor, user=person, reason="Perdió su teléfono; acreditó su identidad.") == 2
    )
    event = audit_events()[-1]
    assert event.action == SecondFactorAction.RESET_BY_STAFF == "dos_pasos.restablecido"
    assert (event.actor_kind, event.actor_user_id) == (ActorKind.STAFF, staff.pk)
    assert event.before == {"devices": 2} and event.after == {"devices": 0}
    assert event.reason == "Perdió su teléfono; acreditó su identidad."
    count = len(audit_events())
    assert services.factors_remove_all(actor=actor, user=person, reason="Otra vez, sin nada que quitar.") == 0
    assert len(audit_events()) == count


def test_a_passkey_saved_by_the_ceremony_is_recorded_as_the_requests_actor(person):
    actor = person_actor(person)
    token = current_actor.set(actor)
    try:
        WebAuthnCredential.objects.create(
            user=person,
            name="Llave",
            confirmed=True,
            credential_id_sha256="a" * 64,
            credential_id=b"id",
            public_key=b"clave",
            sign_count=0,
        )
    finally:
        current_actor.reset(token)
    [event] = audit_events()
    assert event.action == SecondFactorAction.FACTOR_ADDED
    assert event.after == {"factors": 1, "factor": KIND_PASSKEY}
    assert (event.actor_user_id, event.actor_network) == (person.pk, "203.0.113.0/24")
    line = SecurityEvent.objects.get(user=person, kind=SecurityEventKind.MFA_ENABLED)
    assert line.network == "203.0.113.0/24"
    assert "clave" not in json.dumps([event.before, event.after])


def test_a_code_typed_as_its_step_ends_teaches_the_apps_drift_and_its_later_codes_still_work(person):
    """The app's clock as the server learns it: a code checked just after its 30 seconds ran out is accepted one
    step late and sets the drift to -1; the app's codes afterwards are accepted, and one step ahead of the app's
    clock is not (why the browser test reads the drift)."""
    from unittest import mock

    from django_otp.oath import TOTP

    actor = person_actor(person)
    device = services.totp_pending(actor=actor, user=person)

    def app_code(at: float) -> str:
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
        totp.time = at
        return f"{totp.token():06d}"

    typed = (int(time.time()) // 30) * 30 + 29.6
    with mock.patch("time.time", return_value=typed + 0.8):
        services.totp_confirm(actor=actor, user=person, device=device, code=app_code(typed))
    device.refresh_from_db()
    assert device.drift == -1
    later = typed + 0.8 + 40
    # One step ahead of the app's clock is two ahead of the window the server keeps for it (what the browser test
    # once typed, and saw refused).
    with mock.patch("time.time", return_value=later), pytest.raises(SecondFactorError):
        services.second_factor_verify(actor=actor, user=person, entered=app_code(later + 30))
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    with mock.patch("time.time", return_value=later):
        assert services.second_factor_verify(actor=actor, user=person, entered=app_code(later)).pk == device.pk


def test_a_recovery_code_used_at_sign_in_is_audited_as_one_fewer_left_without_the_code(person):
    _, enabled = _enrolled(person)
    code = enabled.recovery_codes[3]

    device = services.second_factor_verify(actor=person_actor(person), user=person, entered=code)

    assert isinstance(device, StaticDevice)
    used = audit_events()[-1]
    assert used.action == SecondFactorAction.RECOVERY_CODE_USED == "dos_pasos.codigo_de_recuperacion_usado"
    assert (used.before, used.after) == ({"recovery_codes": 10}, {"recovery_codes": 9})
    assert_nothing_personal(audit_events(), person.email, *enabled.recovery_codes)
