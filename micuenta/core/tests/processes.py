"""Running a real management command in another process against the test database."""

from __future__ import annotations

from django.db import connection


def database_url_of_current_connection() -> str:
    """A DATABASE_URL for a child process that points at the database this test uses."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
