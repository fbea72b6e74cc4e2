"""Test configuration shared by every domain: local HTTP, fast static files, the browser harness."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("MICUENTA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_available() -> bool:
    return os.access(CHROMIUM, os.X_OK) or shutil.which(CHROMIUM) is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if chromium_available():
        return
    if os.environ.get("MICUENTA_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"Chromium is required but {CHROMIUM} is missing: apt-get install chromium")
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With MICUENTA_NO_SKIPS=1 (CI), a skipped test fails the run: nothing may pass by not running."""
    if os.environ.get("MICUENTA_NO_SKIPS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if reporter:
            reporter.write_line(f"MICUENTA_NO_SKIPS=1: {skipped} test(s) skipped; failing the run.", red=True)


@pytest.fixture(autouse=True)
def _empty_sms_outbox() -> Iterator[None]:
    from micuenta.notifications.sms import LocmemSmsBackend

    LocmemSmsBackend.outbox.clear()
    yield


# --- pytest-playwright: Debian's Chromium, never a downloaded browser ---------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "es-MX", "timezone_id": "America/Mexico_City"}


# --- People ------------------------------------------------------------------------------------------


@pytest.fixture
def user_factory() -> Any:
    from micuenta.identity.tests.factories import UserFactory

    return UserFactory


@pytest.fixture
def person(user_factory: Any) -> Any:
    return user_factory(first_name="Lucía", last_name="Aguilar Soto", email="lucia@ejemplo.test")


@pytest.fixture
def other_person(user_factory: Any) -> Any:
    return user_factory(first_name="Mateo", last_name="Bautista León", email="mateo@ejemplo.test")
