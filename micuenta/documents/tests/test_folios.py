"""Eight documents issued at once, each thread with its own database connection: eight consecutive folios, each
once (on PostgreSQL they take turns only at the counter's row lock)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from micuenta.documents.models import DocumentFolioCounter, OfficialDocument
from micuenta.documents.tests.test_documents import issue


@pytest.mark.django_db(transaction=True)
def test_eight_documents_issued_at_once_get_eight_consecutive_folios():
    issue()  # the year's counter exists already: number 1
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            issue()
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    numbers = sorted(int(folio[-6:]) for folio in OfficialDocument.objects.values_list("folio", flat=True))
    assert numbers == list(range(1, 10))
    assert DocumentFolioCounter.objects.get().last == 9
