"""Counting the database queries of one page, for the tests that keep them bounded."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str, **params: str) -> int:
    """How many queries a GET of `url` makes, streamed responses read to the end."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)
