"""The credits domain on the service contract: the status machine, the audit trail of money and status, the
charge rates as an effective-dated rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from micuenta.core.actors import ROLE_PERSON, ROLE_STAFF, Actor, ActorKind
from micuenta.core.models import AuditEvent
from micuenta.core.transitions import TransitionRefused
from micuenta.credits.allocation import PaymentIn
from micuenta.credits.models import ChargeRate, CreditStatus, Instalment, Regime
from micuenta.credits.services.payments import credit_payments_apply
from micuenta.credits.status import CREDIT_STATUS
from micuenta.credits.tests.factories import CreditFactory, accrue, originate, payments_post
from micuenta.mfa.tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db

STAFF = Actor(kind=ActorKind.STAFF, user_id=900, roles=frozenset({ROLE_STAFF}))
PERSON = Actor(kind=ActorKind.PERSON, user_id=901, roles=frozenset({ROLE_PERSON}))


def test_a_status_change_the_table_allows_is_written_with_its_audit_event():
    credit = CreditFactory.create()

    CREDIT_STATUS.transition(actor=STAFF, pk=credit.pk, to=CreditStatus.PRORROGA, reason="Desempleo (prórroga).")

    credit.refresh_from_db()
    event = AuditEvent.objects.get(action="credito.estado_cambiado")
    assert credit.status == CreditStatus.PRORROGA
    assert (event.actor_kind, event.actor_user_id, event.subject_type, event.subject_id, event.worker_id) == (
        "personal",
        900,
        "credits.credit",
        str(credit.pk),
        credit.worker_id,
    )
    assert (event.before, event.after, event.reason) == (
        {"status": "vigente"},
        {"status": "prorroga"},
        "Desempleo (prórroga).",
    )


@pytest.mark.parametrize(
    ("start", "target", "actor", "code", "message"),
    [
        (
            CreditStatus.LIQUIDADO,
            CreditStatus.VIGENTE,
            STAFF,
            "transicion_no_permitida",
            "No se puede pasar de «Liquidado» a «Vigente». Recarga la página para ver cómo va.",
        ),
        (
            CreditStatus.VIGENTE,
            CreditStatus.LIQUIDADO,
            STAFF,
            "transicion_sin_permiso",
            "No tienes permiso para pasar de «Vigente» a «Liquidado».",
        ),
        (
            CreditStatus.VIGENTE,
            CreditStatus.PRORROGA,
            PERSON,
            "transicion_sin_permiso",
            "No tienes permiso para pasar de «Vigente» a «En prórroga».",
        ),
    ],
)
def test_a_status_change_the_table_refuses_changes_nothing(start, target, actor, code, message):
    credit = CreditFactory.create(status=start)

    with pytest.raises(TransitionRefused) as refused:
        CREDIT_STATUS.transition(actor=actor, pk=credit.pk, to=target)

    credit.refresh_from_db()
    assert (refused.value.code, refused.value.message) == (code, message)
    assert credit.status == start
    assert not AuditEvent.objects.exists()


def test_each_payment_applied_is_audited_with_how_it_was_split():
    credit = originate(CreditFactory.create(origination_date=date(2025, 3, 14), regime=Regime.REA))

    payments_post([PaymentIn(credit.pk, "p1", Decimal("2000.00"), date(2025, 4, 10))])

    event = AuditEvent.objects.get(action="credito.pago_aplicado")
    assert (event.actor_kind, event.actor_job, event.worker_id) == ("sistema", "pruebas", credit.worker_id)
    # April's mensualidad: 75.95 seguro, 1,063.37 interest, 573.77 capital; the rest, 286.91, to capital not due.
    assert event.before == {"capital": "364582.34"}
    assert event.after == {
        "capital": "363721.66",
        "key": "p1",
        "paid_on": "2025-04-10",
        "source": "directo",
        "channel": "ventanilla",
        "amount": "2000.00",
        "to_charges": "75.95",
        "to_interest": "1063.37",
        "to_capital": "860.68",
        "to_excess": "0.00",
    }
    assert AuditEvent.objects.filter(action="credito.otorgado").count() == 1
    assert AuditEvent.objects.filter(action="credito.mensualidades_emitidas").count() == 1


def test_a_payment_that_leaves_nothing_owed_pays_the_credit_off_through_the_status_machine():
    credit = originate(CreditFactory.create(origination_date=date(2025, 3, 14), regime=Regime.REA))
    person = Actor(kind=ActorKind.PERSON, user_id=77, roles=frozenset({ROLE_PERSON}))

    credit_payments_apply(
        actor=person, payments=[PaymentIn(credit.pk, "todo", Decimal("400000.00"), date(2025, 4, 20))]
    )

    credit.refresh_from_db()
    status = AuditEvent.objects.get(action="credito.estado_cambiado")
    payment = AuditEvent.objects.get(action="credito.pago_aplicado")
    assert (credit.status, credit.paid_off_on) == (CreditStatus.LIQUIDADO, date(2025, 4, 20))
    # Paying off is the engine's consequence of the person's payment: made as the system, naming the payment.
    assert (status.actor_kind, status.actor_job, status.reason) == (
        "sistema",
        "credit_payments_apply",
        "El pago todo dejó el crédito sin adeudo.",
    )
    assert status.before == {"status": "vigente"}
    assert status.after == {"status": "liquidado", "paid_off_on": "2025-04-20"}
    assert (payment.actor_kind, payment.actor_user_id) == ("persona", 77)


def test_the_seguro_charged_each_month_is_the_one_in_force_that_month():
    credit = originate(CreditFactory.create(origination_date=date(2025, 3, 14), regime=Regime.REA))
    ChargeRate.objects.create(
        valid_from=date(2025, 5, 1), damage_insurance=Decimal("0.003"), administration_fee=Decimal("0.0012"),
        source="prueba",
    )  # fmt: skip

    accrue(month=date(2025, 5, 1))

    april, may = Instalment.objects.filter(credit=credit).order_by("period")
    assert (april.insurance, april.fees) == (Decimal("75.95"), Decimal("0.00"))  # 364,582.34 × 0.25 % / 12
    assert (may.insurance, may.fees) == (Decimal("91.15"), Decimal("36.46"))  # × 0.30 % / 12 and × 0.12 % / 12


def test_staff_change_a_rate_in_the_administration_with_its_audit_event(client, user_factory):
    staff = user_factory(email="tasas@ejemplo.test", is_staff=True, is_superuser=True)
    sign_in_verified(client, staff)

    response = client.post(
        reverse("admin:credits_chargerate_add"),
        {
            "valid_from": "01/01/2027",
            "damage_insurance": "0.00300",
            "administration_fee": "0",
            "confirmed": "on",
            "source": "Acuerdo del Consejo de Administración (prueba)",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="regla.guardada")
    assert (event.actor_kind, event.actor_user_id, event.subject_type) == ("personal", staff.pk, "credits.chargerate")
    assert event.before == {}
    assert event.after["damage_insurance"] == "0.00300" and event.after["valid_from"] == "2027-01-01"
    rate = ChargeRate.objects.get(valid_from=date(2027, 1, 1))
    assert client.post(reverse("admin:credits_chargerate_delete", args=[rate.pk]), {"post": "yes"}).status_code == 403
    assert ChargeRate.objects.filter(pk=rate.pk).exists()


def test_a_rate_already_charged_keeps_its_value_and_only_its_source_can_be_corrected():
    from micuenta.core.errors import ApplicationError
    from micuenta.core.models import AuditEvent as Audit
    from micuenta.core.services import rule_row_save

    credit = originate(CreditFactory.create(origination_date=date(2025, 3, 14), regime=Regime.REA))
    accrue(month=date(2025, 4, 1))
    rate = ChargeRate.objects.get(valid_from=date(1972, 5, 1))
    assert rate.is_applied()

    rate.damage_insurance = Decimal("0.004")
    with pytest.raises(ApplicationError) as refused:
        rule_row_save(actor=STAFF, row=rate)
    assert refused.value.code == "regla_ya_aplicada"
    rate.refresh_from_db()
    assert rate.damage_insurance == Decimal("0.00250") and not Audit.objects.filter(action="regla.guardada")

    rate.source = "Fuente corregida (prueba)"
    rule_row_save(actor=STAFF, row=rate)
    assert ChargeRate.objects.get(pk=rate.pk).source == "Fuente corregida (prueba)"
    assert Audit.objects.get(action="regla.guardada").after["source"] == "Fuente corregida (prueba)"
    assert Instalment.objects.get(credit=credit).insurance == Decimal("75.95")


def test_a_rate_not_used_yet_can_be_corrected_in_the_administration(client, user_factory):
    staff = user_factory(email="tasas2@ejemplo.test", is_staff=True, is_superuser=True)
    sign_in_verified(client, staff)
    later = ChargeRate.objects.create(
        valid_from=date(2030, 1, 1), damage_insurance=Decimal("0.003"), administration_fee=0, source="prueba"
    )
    applied = ChargeRate.objects.get(valid_from=date(1972, 5, 1))
    CreditFactory.create()  # no mensualidad issued yet: neither row is applied

    page = client.get(reverse("admin:credits_chargerate_change", args=[later.pk]))
    assert 'name="damage_insurance"' in page.content.decode()
    assert not applied.is_applied() and not later.is_applied()
