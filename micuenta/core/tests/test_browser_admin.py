"""The administration, as staff use it, passes axe-core too."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from micuenta.core.models import Uma
from micuenta.core.tests.browser import assert_accessible
from micuenta.credits.tests.factories import CreditFactory
from micuenta.employment.tests.factories import EmploymentMovementFactory
from micuenta.identity.tests.factories import TEST_PASSWORD
from micuenta.ledger.services import Line, ledger_post
from micuenta.ledger.tests.factories import AccountFactory
from micuenta.mfa.tests.helpers import totp_code
from micuenta.notifications.models import Channel
from micuenta.notifications.services import notification_send
from micuenta.savings.tests.factories import ContributionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_pages_pass_axe_for_staff(page: Page, live_server, user_factory):
    staff = user_factory(email="cesi@ejemplo.test", is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=staff, name="Aplicación de autenticación", confirmed=True)
    message = notification_send(channel=Channel.SMS, to="5512345678", template="welcome")
    bank, savings = AccountFactory.create(), AccountFactory.create()
    txn = ledger_post(
        key="k", description="Aportación", effective=date(2026, 3, 2),
        lines=[Line(bank, Decimal("10.00")), Line(savings, Decimal("-10.00"))],
    )  # fmt: skip
    uma = Uma.objects.get(year=2025)
    movement = EmploymentMovementFactory.create()
    relation = movement.relation
    contribution = ContributionFactory.create(worker=relation.worker, employer=relation.employer)
    subaccount = contribution.worker.subaccount
    pocket = subaccount.pockets.get(pocket=contribution.pocket)
    credit = CreditFactory.create(worker=relation.worker)

    page.goto(f"{live_server.url}{reverse('admin:login')}")
    assert_accessible(page)
    page.get_by_label("Correo electrónico").fill(staff.email)
    page.get_by_label("Contraseña").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Identificarse").click()
    # Staff verify their second factor after the password, then land where they were going.
    expect(page.get_by_role("heading", level=1)).to_have_text("Verificación en dos pasos")
    page.get_by_label("Código de verificación").fill(totp_code(device))
    page.get_by_role("button", name="Verificar").click()
    expect(page).to_have_url(f"{live_server.url}{reverse('admin:index')}")

    for url in (
        reverse("admin:index"),
        reverse("admin:identity_user_changelist"),
        reverse("admin:identity_user_change", args=[staff.pk]),
        reverse("admin:notifications_outboxmessage_changelist"),
        reverse("admin:notifications_outboxmessage_change", args=[message.pk]),
        reverse("admin:ledger_account_changelist"),
        reverse("admin:ledger_transaction_changelist"),
        reverse("admin:ledger_transaction_change", args=[txn.pk]),
        reverse("admin:core_uma_changelist"),
        reverse("admin:core_uma_change", args=[uma.pk]),
        reverse("admin:core_holiday_changelist"),
        reverse("admin:core_inpc_changelist"),
        reverse("admin:people_worker_changelist"),
        reverse("admin:people_worker_change", args=[relation.worker.pk]),
        reverse("admin:employment_employer_changelist"),
        reverse("admin:employment_employer_change", args=[relation.employer.pk]),
        reverse("admin:employment_employmentrelation_changelist"),
        reverse("admin:employment_employmentrelation_change", args=[relation.pk]),
        reverse("admin:employment_employmentmovement_changelist"),
        reverse("admin:employment_employmentmovement_change", args=[movement.pk]),
        reverse("admin:savings_housingsubaccount_changelist"),
        reverse("admin:savings_housingsubaccount_change", args=[subaccount.pk]),
        reverse("admin:savings_subaccountpocket_changelist"),
        reverse("admin:savings_subaccountpocket_change", args=[pocket.pk]),
        reverse("admin:savings_contribution_changelist"),
        reverse("admin:savings_contribution_change", args=[contribution.pk]),
        reverse("admin:credits_credit_changelist"),
        reverse("admin:credits_credit_change", args=[credit.pk]),
    ):
        response = page.goto(f"{live_server.url}{url}")
        assert response is not None and response.status == 200, url
        assert_accessible(page)
