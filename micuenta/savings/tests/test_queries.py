"""The pages of Mi ahorro run the same few queries for a history of 10 movements as for one of 1,000."""

from __future__ import annotations

import pytest
from django.urls import reverse

from micuenta.core.tests.queries import count_queries
from micuenta.identity.tests.signin import sign_in
from micuenta.savings.tests.scenes import saver_with_movements, worker_with_relations

pytestmark = pytest.mark.django_db

# Each count includes the session, the account and its worker, as on every signed-in page of a worker.
# Cuánto ahorro tengo: pockets, data cut, latest contributions, and for the missing or short contributions the
# latest bimestre paid, the relations, their salary changes, what was paid by bimestre and the employers' names.
BALANCE_QUERIES = 11
# Resumen de movimientos: pockets, sums, count, the page, the page's contributions, the balance series.
MOVEMENTS_QUERIES = 9
# CSV: pockets and every movement through one iterator.
CSV_QUERIES = 5
# PDF: pockets, sums, count, data cut and every movement through one iterator.
PDF_QUERIES = 8
# A period adds the balance before it and the balance at its end.
PERIOD_QUERIES = 2
# Relaciones laborales: the relations with their employers.
EMPLOYMENT_QUERIES = 4


@pytest.fixture
def savers():
    return saver_with_movements(10), saver_with_movements(1000)


@pytest.mark.parametrize(
    ("name", "params", "expected"),
    [
        ("savings:balance", {}, BALANCE_QUERIES),
        ("savings:movements", {}, MOVEMENTS_QUERIES),
        (
            "savings:movements",
            {"tipo": "sua", "desde": "2000-01-01", "hasta": "2030-12-31"},
            MOVEMENTS_QUERIES + PERIOD_QUERIES,
        ),
        ("savings:movements_csv", {}, CSV_QUERIES),
        # One PDF case: rendering 1,000 movements takes seconds; the period case covers every query of the other.
        ("savings:movements_pdf", {"desde": "2000-01-01", "hasta": "2030-12-31"}, PDF_QUERIES + PERIOD_QUERIES),
    ],
)
def test_savings_pages_run_the_same_queries_for_10_or_1000_movements(client, savers, name, params, expected):
    small, large = savers
    url = reverse(name)
    sign_in(client, small)
    client.get(url, params)  # loads the per-process caches (holiday calendar) before counting
    counted = []
    for user in (small, large):
        sign_in(client, user)
        counted.append(count_queries(client, url, **params))
    assert counted == [expected, expected]


def test_the_employment_page_runs_the_same_queries_for_2_or_200_jobs(client):
    counted = []
    for user in (worker_with_relations(2), worker_with_relations(200)):
        sign_in(client, user)
        counted.append(count_queries(client, reverse("savings:employment")))
    assert counted == [EMPLOYMENT_QUERIES, EMPLOYMENT_QUERIES]
