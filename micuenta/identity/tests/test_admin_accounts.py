"""Accounts in the administration: a worker's is read-only there; staff accounts' changes go to the audit trail."""

from __future__ import annotations

import pytest
from django.urls import reverse

from micuenta.core.models import AuditEvent
from micuenta.mfa.tests.helpers import sign_in_verified
from micuenta.people.tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client, user_factory):
    admin_user = user_factory(email="ti@ejemplo.test", is_staff=True, is_superuser=True)
    sign_in_verified(client, admin_user)
    return admin_user


def test_a_workers_account_cannot_be_changed_deleted_or_given_a_password_from_the_administration(
    client, administrator, user_factory
):
    worker_account = user_factory(email="obrera@ejemplo.test", worker=WorkerFactory.create())
    change = reverse("admin:identity_user_change", args=[worker_account.pk])

    assert client.post(change, {"email": "otra@ejemplo.test", "is_active": "on"}).status_code == 403
    assert (
        client.post(reverse("admin:identity_user_delete", args=[worker_account.pk]), {"post": "yes"}).status_code == 403
    )
    password = reverse("admin:auth_user_password_change", args=[worker_account.pk])
    assert client.post(password, {"password1": "Otra-Clave-2026x", "password2": "Otra-Clave-2026x"}).status_code == 403
    worker_account.refresh_from_db()
    assert worker_account.email == "obrera@ejemplo.test" and worker_account.check_password("Otra-Clave-2026x") is False
    assert not AuditEvent.objects.exists()


def test_a_staff_accounts_change_and_new_password_go_to_the_audit_trail(client, administrator, user_factory):
    staff = user_factory(email="asesora@ejemplo.test", is_staff=True)

    response = client.post(
        reverse("admin:identity_user_change", args=[staff.pk]),
        {"email": "asesora@ejemplo.test", "first_name": "Ana", "last_name": "Soto", "is_active": "on",
         "date_joined_0": "01/01/2026", "date_joined_1": "10:00:00"},
    )  # fmt: skip
    password = client.post(
        reverse("admin:auth_user_password_change", args=[staff.pk]),
        {"password1": "Nueva-Clave-Segura-2026", "password2": "Nueva-Clave-Segura-2026"},
    )

    assert response.status_code == 302 and password.status_code == 302
    events = list(AuditEvent.objects.order_by("id"))
    assert [(e.action, e.actor_user_id, e.subject_id) for e in events] == [
        ("administracion.cambio", administrator.pk, str(staff.pk)),
        ("administracion.cambio", administrator.pk, str(staff.pk)),
    ]
    assert "Nueva-Clave" not in str([e.after for e in events])
    staff.refresh_from_db()
    assert staff.first_name == "Ana" and staff.is_staff is False
