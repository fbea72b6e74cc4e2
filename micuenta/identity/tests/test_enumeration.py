"""A known and an unknown NSS get the same status, the same words, and both answers last at least the uniform
response time (MICUENTA_UNIFORM_RESPONSE_MS): a floor a loaded machine can only lengthen, never break. How close the
two times are is a figure for the bench, not a wall-clock ratio asserted here."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from micuenta.identity.tests.helpers import identity_data, solved_challenge
from micuenta.people.tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db
TRIES = 30


def visible_text(html: str) -> str:
    """The words a person reads: no tags, tokens, nonces or puzzle data."""
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return " ".join(html.split())


def answer(client: Client, response) -> tuple[int, str]:
    if response.status_code == 302:
        return 302, visible_text(client.get(response["Location"]).content.decode())
    return response.status_code, visible_text(response.content.decode())


def compare(send: Callable[[Client, bool], object]) -> None:
    known_times: list[float] = []
    unknown_times: list[float] = []
    answers: dict[bool, set[tuple[int, str]]] = {True: set(), False: set()}
    for n in range(TRIES):
        for known in (n % 2 == 0, n % 2 == 1):  # interleaved, alternating who goes first
            client = Client(REMOTE_ADDR=f"10.1.{n}.{int(known)}")
            started = time.perf_counter()
            response = send(client, known)
            elapsed = time.perf_counter() - started
            (known_times if known else unknown_times).append(elapsed)
            if n < 3:
                answers[known].add(answer(client, response))
    assert answers[True] == answers[False], (answers[True], answers[False])
    floor = settings.MICUENTA_UNIFORM_RESPONSE_SECONDS
    assert floor > 0
    assert min(known_times) >= floor, f"a known NSS answered in {min(known_times) * 1000:.1f} ms"
    assert min(unknown_times) >= floor, f"an unknown NSS answered in {min(unknown_times) * 1000:.1f} ms"


@pytest.fixture
def known_worker(user_factory):
    worker = WorkerFactory.create()
    user_factory(worker=worker, email="conocida@correo.test", mobile="5512345678")
    return worker


@pytest.fixture
def unknown_worker():
    """Valid identifiers of a person with no account and, for the NSS, no record at all."""
    worker = WorkerFactory.create()
    data = {"nss": worker.nss, "curp": worker.curp, "rfc": worker.rfc}
    worker.delete()
    return data


def test_login(known_worker, unknown_worker, settings):
    # This test is about the answer to a password, not the lock nor the proof of work (see the next test).
    settings.AXES_FAILURE_LIMIT = 10_000
    settings.MICUENTA_LOGIN_CHALLENGE_AFTER = 10_000

    def send(client: Client, known: bool):
        nss = known_worker.nss if known else unknown_worker["nss"]
        return client.post(reverse("identity:login"), {"username": nss, "password": "no-es-la-contraseña"})

    compare(send)


def test_login_asks_a_known_and_an_unknown_nss_for_the_proof_of_work_alike(known_worker, unknown_worker, settings):
    """After MICUENTA_LOGIN_CHALLENGE_AFTER failures the proof of work is asked of any identifier, account or not."""
    settings.MICUENTA_LOGIN_CHALLENGE_AFTER = 2
    seen: dict[bool, list[tuple[int, str]]] = {True: [], False: []}
    for known in (True, False):
        nss = known_worker.nss if known else unknown_worker["nss"]
        for n in range(4):
            client = Client(REMOTE_ADDR=f"10.2.{n}.{int(known)}")
            response = client.post(reverse("identity:login"), {"username": nss, "password": "no-es-la-contraseña"})
            seen[known].append(answer(client, response))
    assert seen[True] == seen[False]
    assert seen[True][0] != seen[True][-1], "the proof of work is asked after the failures"


def test_registration_step_one(known_worker, unknown_worker):
    def send(client: Client, known: bool):
        data = identity_data(known_worker) if known else {**unknown_worker, "altcha": solved_challenge()}
        return client.post(reverse("identity:register"), data)

    compare(send)


def test_forgotten_password(known_worker, unknown_worker):
    def send(client: Client, known: bool):
        nss = known_worker.nss if known else unknown_worker["nss"]
        return client.post(reverse("identity:password_reset"), {"nss": nss, "altcha": solved_challenge()})

    compare(send)


def test_lost_email_deletion(known_worker, unknown_worker):
    def send(client: Client, known: bool):
        data = identity_data(known_worker) if known else {**unknown_worker, "altcha": solved_challenge()}
        return client.post(reverse("identity:delete_account"), data)

    compare(send)
