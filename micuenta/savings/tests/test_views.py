"""Mi ahorro as the worker sees it: the balance, the movements with their filter, the CSV and PDF, the jobs."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from micuenta.core.periods import payment_deadline
from micuenta.employment.models import EmploymentRelation
from micuenta.employment.tests.factories import EmployerFactory
from micuenta.identity.tests.signin import sign_in
from micuenta.people.tests.factories import WorkerFactory
from micuenta.savings.tests.factories import ContributionFactory
from micuenta.savings.tests.scenes import lucia_scene, saver_with_movements

pytestmark = pytest.mark.django_db

ROUTES = (
    "savings:balance",
    "savings:movements",
    "savings:movements_csv",
    "savings:movements_pdf",
    "savings:employment",
)


@pytest.fixture
def lucia(client):
    user, worker, contributions = lucia_scene()
    sign_in(client, user)
    return worker, contributions


def text(response) -> str:
    """The page's text without tags and with runs of white space made one."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def csv_rows(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


# --- Who may open the pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ROUTES)
def test_every_page_needs_sign_in(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('identity:login')}?next={url}"


@pytest.mark.parametrize("name", ROUTES)
def test_every_page_answers_get_only(client, lucia, name):
    assert client.post(reverse(name)).status_code == 405


@pytest.mark.parametrize("name", ROUTES)
def test_an_account_without_a_worker_is_told_why_there_is_nothing(client, person, name):
    client.force_login(person)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "no está ligada a una Subcuenta de Vivienda" in response.content.decode()


def test_a_worker_whose_subaccount_is_not_open_yet_sees_empty_pages(client, user_factory):
    user = user_factory(worker=WorkerFactory.create())
    sign_in(client, user)
    assert "Saldo de tu Subcuenta de Vivienda $0.00" in text(client.get(reverse("savings:balance")))
    movements = text(client.get(reverse("savings:movements")))
    assert "Número de movimientos 0" in movements
    assert "No hay movimientos todavía." in movements
    assert "La gráfica aparecerá cuando tengas movimientos." in movements
    assert csv_rows(client.get(reverse("savings:movements_csv"))) == []
    assert "No hay movimientos en este periodo." in pdf_text(client.get(reverse("savings:movements_pdf")))


def test_each_person_sees_only_their_own_savings(client, lucia):
    other = saver_with_movements(3)
    sign_in(client, other)
    page = text(client.get(reverse("savings:balance")))
    assert "$3,000.00" in page
    assert "$16,475.00" not in page
    assert "Panadería La Espiga" not in page
    rows = csv_rows(client.get(reverse("savings:movements_csv")))
    assert [row["monto"] for row in rows] == ["1000.00", "1000.00", "1000.00"]


def test_pages_are_never_cached(client, lucia):
    for name in ROUTES:
        assert "no-store" in client.get(reverse(name))["Cache-Control"], name


# --- Cuánto ahorro tengo ---------------------------------------------------------------------------------------


def test_the_balance_page_shows_the_total_each_pocket_and_the_latest_contributions(client, lucia):
    response = client.get(reverse("savings:balance"))
    assert response.status_code == 200
    page = text(response)
    assert "Saldo de tu Subcuenta de Vivienda $16,475.00" in page
    assert "Información al 17/09/2025: es el día del pago de aportaciones más reciente" in page
    assert "lo que debes de tu crédito, en cambio, se calcula al día de hoy" in page
    # Each pocket, in the order a person reads them, with its note.
    pockets = re.findall(r'<h3>([^<]+)</h3>\s*<p class="pocket-amount">([^<]+)</p>', response.content.decode())
    assert pockets == [
        ("Subcuenta de Vivienda 97", "$15,975.00"),
        ("Subcuenta de Vivienda 92", "$0.00"),
        ("Fondo de Ahorro 1972-1992", "$500.00"),
        ("Solo Infonavit", "$0.00"),
    ]
    assert "No genera rendimientos" in page
    # Latest contributions, newest first: año, bimestre, empresa, fecha de pago, monto.
    assert (
        "2025 4º (julio–agosto) Panadería La Espiga, S.A. de C.V. 17/09/2025 $1,550.00 "
        "2025 3er (mayo–junio) Panadería La Espiga, S.A. de C.V. 17/07/2025 $1,525.00"
    ) in page
    assert "tarde" not in page
    assert "Tus patrones pagaron todas las aportaciones que podemos revisar hasta el 17/09/2025." in page
    assert f'href="{reverse("savings:movements")}"' in response.content.decode()
    assert f'href="{reverse("savings:employment")}"' in response.content.decode()


def test_a_late_payment_says_how_many_days_late(client, lucia):
    worker, contributions = lucia
    deadline = payment_deadline(2025, 5)
    ContributionFactory.create(
        worker=worker, employer=contributions[0].employer, year=2025, bimestre=5, paid_on=deadline + timedelta(12)
    )
    page = text(client.get(reverse("savings:balance")))
    assert f"{deadline + timedelta(12):%d/%m/%Y} pagada 12 días tarde $" in page


def test_a_missing_contribution_is_flagged_with_what_to_do(client, lucia, monkeypatch):
    worker, contributions = lucia
    employer = contributions[0].employer
    EmploymentRelation.objects.create(
        worker=worker, employer=employer, started_on=date(2025, 1, 1), sbc=Decimal("500.00")
    )
    other = EmployerFactory.create(razon_social="Tortillería El Comal, S.C.")
    EmploymentRelation.objects.create(
        worker=worker, employer=other, started_on=date(2025, 5, 1), ended_on=date(2025, 6, 30), sbc=Decimal("400.00")
    )
    ContributionFactory.create(worker=worker, employer=other, year=2025, bimestre=3, amount=Decimal("1000.00"))
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2025, 10, 1))

    page = text(client.get(reverse("savings:balance")))

    assert "Faltan 1 aportaciones" not in page
    assert "Falta una aportación de tu patrón" in page
    # 5 % × $400.00 × 61 days (May–June) = $1,220.00 owed; $1,000.00 paid.
    assert "Tortillería El Comal, S.C. (registro patronal" in page
    assert "3er bimestre de 2025 $1,220.00 $1,000.00 $220.00" in page
    assert "no se descuenta de tu sueldo" in page
    assert "aclaración" in page
    assert "Infonatel" in page
    assert "Tus patrones pagaron todas" not in page


def test_missing_contributions_are_one_table_per_employer_with_the_total(client, lucia, monkeypatch):
    worker, contributions = lucia
    employer = contributions[0].employer
    EmploymentRelation.objects.create(
        worker=worker, employer=employer, started_on=date(2025, 1, 1), sbc=Decimal("500.00")
    )
    other = EmployerFactory.create(razon_social="Tortillería El Comal, S.C.")
    EmploymentRelation.objects.create(
        worker=worker, employer=other, started_on=date(2025, 1, 1), ended_on=date(2025, 6, 30), sbc=Decimal("300.00")
    )
    ContributionFactory.create(worker=worker, employer=other, year=2025, bimestre=3, amount=Decimal("500.00"))
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2025, 10, 1))

    page = text(client.get(reverse("savings:balance")))

    # By hand, 5 % × $300.00 × days: enero–febrero 59 days = $885.00, marzo–abril 61 = $915.00,
    # mayo–junio 61 = $915.00 of which $500.00 paid. Total $2,715.00 expected, $500.00 paid, $2,215.00 missing.
    assert "Faltan 3 aportaciones de tus patrones" in page
    assert page.count("Tortillería El Comal, S.C. (registro patronal") == 1
    assert (
        "1er bimestre de 2025 $885.00 $0.00 $885.00 "
        "2º bimestre de 2025 $915.00 $0.00 $915.00 "
        "3er bimestre de 2025 $915.00 $500.00 $415.00 "
        "Total $2,715.00 $500.00 $2,215.00"
    ) in page
    assert "Qué puedes hacer" in page


# --- Resumen de movimientos ------------------------------------------------------------------------------------


def test_the_movements_page_lists_every_movement_with_its_explanation(client, lucia):
    response = client.get(reverse("savings:movements"))
    assert response.status_code == 200
    page = text(response)
    assert "Periodo: todo el historial" in page
    assert (
        "Saldo al inicio del periodo $0.00 Entradas $16,675.00 Salidas $200.00 Neto $16,475.00 "
        "Saldo al final del periodo $16,475.00 Número de movimientos 8"
    ) in page
    rows = re.findall(
        r"<tr>\s*<td class=\"nowrap\" data-label=\"Fecha\">(\d\d/\d\d/\d{4})</td>", response.content.decode()
    )
    assert rows == [
        "01/10/2025", "17/09/2025", "17/07/2025", "19/05/2025", "18/03/2025", "31/12/2024", "31/12/2020",
        "31/12/2020",
    ]  # fmt: skip
    assert "01/10/2025 Corrección Corrección de un depósito duplicado" in page
    assert "Subcuenta de Vivienda 97 -$200.00" in page
    assert page.count("¿Por qué cambió mi saldo?") == 8
    assert (
        "Panadería La Espiga, S.A. de C.V.: $1,550.00 por 62 días del 4º bimestre de 2025, con un salario diario de "
        "$500.00."
    ) in page
    assert "Fondo de Ahorro 1972-1992 $500.00" in page


def test_the_chart_is_an_svg_with_a_title_and_a_table_of_the_same_data(client, lucia):
    response = client.get(reverse("savings:movements"))
    html = response.content.decode()
    assert '<svg class="chart" id="grafica-saldo"' in html
    assert 'role="img" aria-labelledby="grafica-saldo-titulo grafica-saldo-desc"' in html
    assert '<title id="grafica-saldo-titulo">Tu saldo a lo largo del tiempo</title>' in html
    assert "<script" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    page = text(response)
    assert "Ver los datos de la gráfica en una tabla" in page
    assert "31/12/2020 $10,500.00 31/12/2024 $10,600.00 31/10/2025 $16,475.00" in page


def test_filter_by_type(client, lucia):
    response = client.get(reverse("savings:movements"), {"tipo": "sua"})
    page = text(response)
    assert "Tipo de movimiento: Aportación patronal." in page
    assert "Entradas $6,075.00 Salidas $0.00 Neto $6,075.00" in page
    assert "Número de movimientos 4" in page
    assert "Rendimientos de 2024" not in page
    assert 'href="/mi-ahorro/movimientos/csv/?tipo=sua"' in response.content.decode()
    assert 'href="/mi-ahorro/movimientos/pdf/?tipo=sua"' in response.content.decode()


def test_filter_by_dates_gives_the_balance_at_both_ends(client, lucia):
    response = client.get(reverse("savings:movements"), {"desde": "2025-01-01", "hasta": "2025-06-30"})
    page = text(response)
    assert "Periodo: del 01/01/2025 al 30/06/2025" in page
    assert (
        "Saldo al inicio del periodo $10,600.00 Entradas $3,000.00 Salidas $0.00 Neto $3,000.00 "
        "Saldo al final del periodo $13,600.00 Número de movimientos 2"
    ) in page
    # A browser without a date picker sends what the person typed: dd/mm/aaaa works too.
    typed = text(client.get(reverse("savings:movements"), {"desde": "01/01/2025", "hasta": "30/06/2025"}))
    assert "Periodo: del 01/01/2025 al 30/06/2025" in typed


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"desde": "2025-02-30"}, "desde", "Escribe una fecha válida, por ejemplo 31/12/2025."),
        ({"hasta": "mañana"}, "hasta", "Escribe una fecha válida, por ejemplo 31/12/2025."),
        (
            {"desde": "2025-06-30", "hasta": "2025-01-01"},
            "hasta",
            "«Hasta» debe ser el mismo día que «Desde» o uno posterior.",
        ),
        ({"tipo": "retiro"}, "tipo", "Elige un tipo de movimiento de la lista."),
        ({"desde": "1900-01-01"}, "desde", "No hay movimientos antes del 01/05/1972."),
    ],
)
def test_an_invalid_filter_says_what_is_wrong_next_to_the_field(client, lucia, query, field, message):
    response = client.get(reverse("savings:movements"), query)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<p class="field-error" id="id_{field}-error">{message} </p>' in html
    assert f'aria-describedby="id_{field}-error"' in html
    assert "Corrige el filtro para ver tus movimientos." in html
    assert "Número de movimientos" not in html


@pytest.mark.parametrize("name", ["savings:movements_csv", "savings:movements_pdf"])
def test_a_file_with_an_invalid_filter_goes_back_to_the_form(client, lucia, name):
    response = client.get(reverse(name), {"desde": "2025-13-01", "otra": "cosa"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('savings:movements')}?desde=2025-13-01"


def test_pages_of_25_keep_the_filter(client):
    user = saver_with_movements(60)
    sign_in(client, user)
    first = client.get(reverse("savings:movements"), {"tipo": "sua"}).content.decode()
    assert first.count("¿Por qué cambió mi saldo?") == 25
    assert "Página 1 de 3" in first
    assert 'href="?tipo=sua&amp;pagina=2"' in first
    last = client.get(reverse("savings:movements"), {"tipo": "sua", "pagina": "3"}).content.decode()
    assert last.count("¿Por qué cambió mi saldo?") == 10
    assert 'href="?tipo=sua&amp;pagina=2">Página anterior' in last
    # The totals are those of every page.
    assert "Número de movimientos</dt><dd>60</dd>" in last
    assert client.get(reverse("savings:movements"), {"pagina": "no"}).status_code == 200


# --- CSV -------------------------------------------------------------------------------------------------------


def test_the_csv_has_every_filtered_movement_and_adds_up_to_the_net(client, lucia):
    worker, _ = lucia
    response = client.get(reverse("savings:movements_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="resumen-de-movimientos.csv"'
    rows = csv_rows(response)
    assert list(rows[0]) == ["fecha", "tipo", "concepto", "bolsa", "monto"]
    assert rows[0] == {
        "fecha": "01/10/2025",
        "tipo": "Corrección",
        "concepto": "Corrección de un depósito duplicado",
        "bolsa": "Subcuenta de Vivienda 97",
        "monto": "-200.00",
    }
    assert len(rows) == 8
    assert sum(Decimal(row["monto"]) for row in rows) == Decimal("16475.00")

    filtered = csv_rows(client.get(reverse("savings:movements_csv"), {"desde": "2025-01-01", "hasta": "2025-06-30"}))
    assert [(row["fecha"], row["monto"]) for row in filtered] == [("19/05/2025", "1525.00"), ("18/03/2025", "1475.00")]
    page = text(client.get(reverse("savings:movements"), {"desde": "2025-01-01", "hasta": "2025-06-30"}))
    assert f"Neto ${sum(Decimal(r['monto']) for r in filtered):,}" in page
    body = b"".join(client.get(reverse("savings:movements_csv")).streaming_content).decode()
    assert worker.nss not in body


def test_the_csv_has_all_rows_not_only_a_page(client):
    user = saver_with_movements(60)
    sign_in(client, user)
    assert len(csv_rows(client.get(reverse("savings:movements_csv")))) == 60


# --- PDF -------------------------------------------------------------------------------------------------------


def test_the_pdf_names_the_person_masks_the_nss_and_gives_the_totals(client, lucia):
    worker, _ = lucia
    response = client.get(reverse("savings:movements_pdf"), {"desde": "2025-01-01", "hasta": "2025-06-30"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="resumen-de-movimientos.pdf"'
    content = pdf_text(response)
    assert "Resumen de movimientos de la Subcuenta de Vivienda" in content
    assert worker.nombre_completo in content
    assert f"*******{worker.nss[-4:]}" in content
    assert worker.nss not in content
    assert "Del 01/01/2025 al 30/06/2025" in content
    for label, amount in [
        ("Saldo al inicio del periodo", "$10,600.00"),
        ("Entradas", "$3,000.00"),
        ("Salidas", "$0.00"),
        ("Neto", "$3,000.00"),
        ("Saldo al final del periodo", "$13,600.00"),
    ]:
        assert f"{label} {amount}" in content
    # The current balance, exactly as "Cuánto ahorro tengo" shows it.
    balance_page = text(client.get(reverse("savings:balance")))
    assert "$16,475.00" in balance_page
    assert "Saldo actual de tu Subcuenta de Vivienda: $16,475.00" in content
    assert "19/05/2025 Aportación patronal" in content
    assert "Rendimientos de 2024" not in content


def test_the_pdf_of_the_whole_history_says_so(client, lucia):
    content = pdf_text(client.get(reverse("savings:movements_pdf")))
    assert "Todo el historial" in content
    assert "Número de movimientos 8" in content


def test_the_pdf_fetches_nothing_from_the_network(client, lucia, monkeypatch):
    import urllib.request

    def refuse(*args, **kwargs):  # pragma: no cover - called only if the PDF tried the network
        raise AssertionError("the PDF tried to open a URL")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)
    assert client.get(reverse("savings:movements_pdf")).status_code == 200


# --- Relaciones laborales --------------------------------------------------------------------------------------


def test_the_jobs_in_order_with_the_gaps_between_them(client, lucia, monkeypatch):
    worker, _ = lucia
    first, second, third = EmployerFactory.create_batch(3)
    EmploymentRelation.objects.create(
        worker=worker, employer=first, started_on=date(2015, 3, 2), ended_on=date(2018, 6, 30), sbc=Decimal("300.00")
    )
    EmploymentRelation.objects.create(
        worker=worker, employer=second, started_on=date(2018, 9, 1), ended_on=date(2024, 12, 31), sbc=Decimal("450")
    )
    EmploymentRelation.objects.create(worker=worker, employer=third, started_on=date(2025, 1, 1), sbc=Decimal("500"))
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2025, 10, 1))

    page = text(client.get(reverse("savings:employment")))

    assert (
        f"{first.razon_social} {first.registro_patronal} 02/03/2015 30/06/2018 $300.00 "
        "Sin relación laboral registrada del 01/07/2018 al 31/08/2018 (62 días) "
        f"{second.razon_social} {second.registro_patronal} 01/09/2018 31/12/2024 $450.00 "
        f"{third.razon_social} {third.registro_patronal} 01/01/2025 Vigente $500.00"
    ) in page
    # 2024 ends one job and 2025 starts the next without a day between: the run goes back to September 2018.
    assert "43 bimestres" in page
    assert "Cotizas sin interrupción desde el 5º bimestre de 2018 (septiembre–octubre)." in page
    assert "3 bimestres" in page


def test_without_a_current_job_the_run_is_zero_and_the_last_gap_is_shown(client, lucia, monkeypatch):
    worker, _ = lucia
    EmploymentRelation.objects.create(
        worker=worker,
        employer=EmployerFactory.create(),
        started_on=date(2020, 1, 6),
        ended_on=date(2024, 4, 30),
        sbc=Decimal("300.00"),
    )
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2025, 10, 1))
    page = text(client.get(reverse("savings:employment")))
    assert "0 bimestres" in page
    assert "Hoy no tienes una relación laboral registrada" in page
    assert "Sin relación laboral registrada desde el 01/05/2024" in page


def test_no_jobs_yet(client, lucia):
    assert "Aún no tenemos relaciones laborales registradas" in text(client.get(reverse("savings:employment")))


# --- Navigation ------------------------------------------------------------------------------------------------


def test_mi_ahorro_is_in_the_menu_and_the_sub_navigation_marks_the_current_page(client, lucia):
    html = client.get(reverse("savings:movements")).content.decode()
    nav = html.split('aria-label="Menú principal"', 1)[1].split("</nav>", 1)[0]
    assert f'<a href="{reverse("savings:balance")}" aria-current="true">Mi ahorro</a>' in nav
    sub = html.split('<nav class="subnav" aria-label="Mi ahorro">', 1)[1].split("</nav>", 1)[0]
    assert f'<a href="{reverse("savings:movements")}" aria-current="page">Resumen de movimientos</a>' in sub
    assert f'<a href="{reverse("savings:balance")}">Cuánto ahorro tengo</a>' in sub
    assert f'<a href="{reverse("savings:employment")}">Relaciones laborales</a>' in sub


@pytest.mark.parametrize("name", ["savings:balance", "savings:movements", "savings:employment"])
def test_the_main_menu_marks_mi_ahorro_on_each_of_its_pages(client, name):
    sign_in(client, saver_with_movements(3))

    page = client.get(reverse(name)).content.decode()

    entry = re.search(r'<nav class="main-nav".*?</nav>', page, re.S)
    assert entry is not None
    current = "page" if name == "savings:balance" else "true"
    assert f'href="{reverse("savings:balance")}" aria-current="{current}">Mi ahorro</a>' in entry.group(0)
