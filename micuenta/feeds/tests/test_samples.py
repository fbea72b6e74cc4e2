"""The sample files of docs/feeds/ load onto the demo people as docs/feeds.md says."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from micuenta.credits.checks import servicing_mismatches
from micuenta.credits.models import Credit
from micuenta.credits.selectors import credit_debt
from micuenta.demo.people import demo_people_load
from micuenta.employment.models import Employer, EmploymentRelation
from micuenta.feeds.models import QuarantinedLine
from micuenta.feeds.tests.helpers import run_feed
from micuenta.ledger.accounts import credit_excess_code
from micuenta.ledger.models import Account
from micuenta.ledger.selectors import ledger_mismatches
from micuenta.savings.models import Contribution
from micuenta.savings.selectors import contribution_notices

SAMPLES = Path(settings.BASE_DIR) / "docs" / "feeds"


@pytest.mark.django_db
def test_the_sample_files_load_onto_the_demo_people():
    people = {person.email: worker for person, worker in demo_people_load()}
    ana, carla, diego = (people[f"{n}.demo@micuenta.test"] for n in ("ana", "carla", "diego"))
    excess = Account.objects.get(code=credit_excess_code("1198455027")).natural_balance

    imss = run_feed("import_employment", SAMPLES / "imss-movimientos-ejemplo.csv")
    sua = run_feed("import_employer_payments", SAMPLES / "sua-pagos-ejemplo.csv")

    assert (imss.exit_code, imss.run.lines, imss.run.posted, imss.run.quarantined) == (0, 4, 2, 2)
    assert list(QuarantinedLine.objects.filter(run=imss.run).values_list("line_number", "code")) == [
        (4, "sin_relacion_vigente"),
        (5, "tipo_invalido"),
    ]
    new_job = EmploymentRelation.objects.get(worker=carla, ended_on__isnull=True)
    assert (new_job.employer.registro_patronal, new_job.started_on) == ("E2850417103", date(2026, 10, 5))
    assert (
        Employer.objects.get(registro_patronal="E2850417103").razon_social == "Constructora Valle Norte, S.A. de C.V."
    )

    assert (sua.exit_code, sua.run.lines, sua.run.posted, sua.run.quarantined) == (0, 5, 4, 1)
    assert sua.run.totals == {"aportaciones": "11682.25", "amortizaciones": "15692.00"}
    assert QuarantinedLine.objects.get(run=sua.run).code == "dias_invalidos"
    assert Contribution.objects.get(worker=ana, year=2026, bimestre=5).amount == Decimal("3122.58")
    # The paid-off borrower's deduction waits as a saldo a favor.
    assert Account.objects.get(code=credit_excess_code("1198455027")).natural_balance == excess + Decimal("3100.00")
    # Paid in full, as the IMSS salary change says: nothing flagged for the 5th bimestre of 2026.
    today = max(timezone.localdate(), date(2026, 11, 26))
    assert not [n for n in contribution_notices(worker=ana, today=today) if (n.gap.year, n.gap.bimestre) == (2026, 5)]
    assert not contribution_notices(worker=carla, today=today)
    assert not contribution_notices(worker=diego, today=today)
    assert ledger_mismatches() == []


@pytest.mark.django_db
def test_the_bank_sample_pays_the_rea_borrowers_oldest_mensualidades():
    demo_people_load()
    carla = Credit.objects.get(numero_credito="1417630952")
    day = max(timezone.localdate(), date(2026, 11, 21))
    before = credit_debt(carla, today=day)

    bank = run_feed("import_bank_payments", SAMPLES / "pagos-bancarios-ejemplo.csv")

    assert (bank.exit_code, bank.run.lines, bank.run.posted, bank.run.quarantined) == (0, 3, 2, 1)
    assert QuarantinedLine.objects.get(run=bank.run).code == "referencia_invalida"
    assert bank.run.totals == {"pagos_credito": "10002.64"}
    carla.refresh_from_db()
    after = credit_debt(carla, today=day)
    assert after.balance == before.balance - Decimal("10002.64")
    assert after.overdue_amount == before.overdue_amount - Decimal("10002.64")
    assert servicing_mismatches([carla.pk]) == []
    assert ledger_mismatches() == []
