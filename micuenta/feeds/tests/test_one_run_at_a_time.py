"""Two imports of the same feed never interleave: on PostgreSQL the second is refused while the first runs."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection

from micuenta.core.tests.processes import database_url_of_current_connection
from micuenta.feeds.runner import feed_lock_key
from micuenta.feeds.tests.helpers import SUA_HEADER, run_feed, write_feed


@pytest.mark.django_db(transaction=True)
def test_a_second_import_of_the_same_feed_waits_for_the_first(tmp_path):
    path = write_feed(tmp_path / "sua.csv", SUA_HEADER, [])
    if connection.vendor != "postgresql":
        # SQLite: every chunk takes the single write lock, so runs take turns chunk by chunk; nothing to refuse.
        assert run_feed("import_employer_payments", path).exit_code == 0
        return
    key = feed_lock_key("sua_pagos")
    url = database_url_of_current_connection().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(url, autocommit=True) as other:  # another process's import, holding the lock
        other.execute("SELECT pg_advisory_lock(%s)", [key])

        refused = run_feed("import_employer_payments", path)

        assert refused.exit_code == 2
        assert "Ya hay otra carga de este mismo archivo en proceso" in refused.stderr
        # Released explicitly: a closed connection's server process may still hold it for a moment after close.
        other.execute("SELECT pg_advisory_unlock(%s)", [key])
    assert run_feed("import_employer_payments", path).exit_code == 0
