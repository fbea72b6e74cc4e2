"""The back office reads each feed's report and quarantine, and the employers that owe contributions."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from micuenta.core.privacy import mask_nss
from micuenta.employment.tests.factories import EmployerFactory
from micuenta.feeds.tests.helpers import IMSS_HEADER, SUA_HEADER, run_feed, write_feed
from micuenta.mfa.tests.helpers import sign_in_verified
from micuenta.people.tests.factories import WorkerFactory
from micuenta.savings.services.gaps import contribution_gaps_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def owing(tmp_path, monkeypatch):
    """A worker hired on 1 January 2025 whose employer paid the 1st bimestre short and never the 2nd."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2025, 8, 1))
    employer, punctual = EmployerFactory.create(), EmployerFactory.create()
    worker, other = WorkerFactory.create(), WorkerFactory.create()
    run_feed(
        "import_employment",
        write_feed(
            tmp_path / "imss.csv",
            IMSS_HEADER,
            [
                f"{worker.nss},{employer.registro_patronal},,,ALTA,2025-01-01,500.00",
                f"{other.nss},{punctual.registro_patronal},,,ALTA,2025-01-01,500.00",
            ],
        ),
    )
    outcome = run_feed(
        "import_employer_payments",
        write_feed(
            tmp_path / "sua.csv",
            SUA_HEADER,
            [
                f"{employer.registro_patronal},{worker.nss},2025,1,59,500.00,1000.00,0.00,,2025-03-14,A1",
                f"{punctual.registro_patronal},{other.nss},2025,1,59,500.00,1475.00,0.00,,2025-03-14,B1",
                f"{punctual.registro_patronal},{other.nss},2025,2,61,500.00,1525.00,0.00,,2025-05-16,B2",
                f"{punctual.registro_patronal},{other.nss},2025,9,61,500.00,1525.00,0.00,,2025-05-16,B9",
            ],
        ),
    )
    contribution_gaps_refresh()  # what the background worker does after the feed
    return employer, worker, outcome.run


def test_a_supervisor_reads_the_runs_and_a_run_with_its_quarantine(client, supervisor, owing):
    _, _, run = owing
    sign_in_verified(client, supervisor)

    listing = client.get(reverse("backoffice:feed_runs"))
    detail = client.get(reverse("backoffice:feed_run", args=[run.pk]))

    assert listing.status_code == 200
    assert "sua.csv" in listing.content.decode()
    assert "Cargas de archivos" in listing.content.decode()
    page = detail.content.decode()
    assert detail.status_code == 200
    for figure in (
        "<dt>Líneas</dt><dd>4</dd>",
        "<dt>Registradas</dt><dd>3</dd>",
        "<dt>En cuarentena</dt><dd>1</dd>",
        "<dt>Repetidas dentro del archivo</dt><dd>0</dd>",
    ):
        assert figure in page
    assert "El bimestre debe ser un número del 1 al 6." in page
    assert "$4,000.00" in page  # aportaciones registradas


def test_a_supervisor_reads_the_employers_that_owe_and_one_employer_in_detail(client, supervisor, owing):
    employer, worker, _ = owing
    sign_in_verified(client, supervisor)

    listing = client.get(reverse("backoffice:employers_owing"))
    detail = client.get(reverse("backoffice:employer_owing", args=[employer.registro_patronal]))

    text = listing.content.decode()
    assert listing.status_code == 200
    assert employer.registro_patronal in text
    assert "$2,000.00" in text  # 475.00 short in the 1st bimestre, 1,525.00 missing in the 2nd
    page = detail.content.decode()
    assert worker.nombre_completo in page
    assert mask_nss(worker.nss) in page
    assert worker.nss not in page
    assert "$475.00" in page and "$1,525.00" in page
    searched = client.get(reverse("backoffice:employers_owing"), {"buscar": "no existe"})
    assert "Ningún patrón con aportaciones omitidas coincide" in searched.content.decode()


def test_an_asesor_may_not_read_them(client, asesor, owing):
    sign_in_verified(client, asesor)

    for url in (reverse("backoffice:feed_runs"), reverse("backoffice:employers_owing")):
        assert client.get(url).status_code == 403


def test_signed_out_staff_go_to_the_cesi_sign_in(client):
    response = client.get(reverse("backoffice:feed_runs"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("backoffice:login"))


def test_a_nul_character_in_the_address_gets_the_400_page_on_every_database(client, supervisor, owing):
    employer, _, _ = owing
    sign_in_verified(client, supervisor)

    searched = client.get(reverse("backoffice:employers_owing"), {"buscar": "ab\x00c"})
    detail = client.get(reverse("backoffice:employer_owing", args=[employer.registro_patronal + "\x00"]))

    for response in (searched, detail):
        assert response.status_code == 400
        assert "No pudimos entender la solicitud" in response.content.decode()
