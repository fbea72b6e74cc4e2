"""Folios: consecutive and gapless per kind and year, even when people file at the same moment.

Eight people file «Corregir mis datos» in eight threads, each with its own database connection, started together.
On PostgreSQL they really overlap and take turns only at the folio counter's row lock; on SQLite they take turns
at the database's write lock. Either way the folios are the next eight numbers, each once.
"""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection

from micuenta.tramites import services
from micuenta.tramites.models import Case, FolioCounter
from micuenta.tramites.tests.factories import file_curp_correction, person

FOLIO = re.compile(r"COR-(\d{4})-(\d{6})")


@pytest.mark.django_db(transaction=True)
def test_eight_people_filing_at_once_get_eight_consecutive_folios():
    people = [person() for _ in range(8)]
    file_curp_correction(person())  # the year's counter exists already: number 1
    start = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def run(user: object) -> None:
        try:
            start.wait()
            file_curp_correction(user)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    numbers = sorted(int(folio[-6:]) for folio in Case.objects.values_list("folio", flat=True))
    assert numbers == list(range(1, 10))
    assert FolioCounter.objects.get().last == 9


@pytest.mark.django_db
def test_a_filing_that_fails_after_taking_its_number_gives_it_back(monkeypatch):
    first = file_curp_correction(person())

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "_event", broken)  # fails inside the transaction, after the folio was taken
    with pytest.raises(RuntimeError):
        file_curp_correction(person())
    monkeypatch.undo()
    assert Case.objects.count() == 1
    second = file_curp_correction(person())
    assert int(second.folio[-6:]) == int(first.folio[-6:]) + 1
