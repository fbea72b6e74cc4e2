"""Random actions by random people on a case never let one person both decide and confirm, never move a case
without its event, and never leave the case's steps out of order (Hypothesis, stateful)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from micuenta.core.errors import ApplicationError
from micuenta.tramites import services
from micuenta.tramites.models import Case, Status
from micuenta.tramites.tests.factories import (
    analyst,
    file_curp_correction,
    person,
    person_actor,
    staff_actor,
    supervisor,
    supervisor_actor,
)

pytestmark = pytest.mark.django_db

ACTIONS = ("take", "ask", "answer", "approve", "reject", "confirm", "send_back", "withdraw")


def test_random_actions_keep_four_eyes_and_every_step_recorded():
    owner, stranger = person(), person()
    staff = [analyst(), analyst(), supervisor(), supervisor()]
    actors = [person_actor(owner), person_actor(stranger)]
    actors += [staff_actor(u) for u in staff[:2]] + [supervisor_actor(u) for u in staff[2:]]

    class CaseMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            Case.objects.filter(worker=owner.worker, closed_at__isnull=True).update(
                status=Status.CANCELADA, closed_at="2026-01-01T00:00:00Z"
            )
            self.case = file_curp_correction(owner, documents=0)
            self.moves = 0

        @rule(who=st.integers(0, len(actors) - 1), action=st.sampled_from(ACTIONS))
        def act(self, who: int, action: str) -> None:
            actor = actors[who]
            before = Case.objects.get(pk=self.case.pk).status
            calls: dict[str, Any] = {
                "take": lambda: services.case_take(actor=actor, case_id=self.case.pk),
                "ask": lambda: services.case_request_information(
                    actor=actor, case_id=self.case.pk, text="Falta tu INE"
                ),
                "answer": lambda: services.case_answer(actor=actor, case_id=self.case.pk, text="Listo", attachments=[]),
                "approve": lambda: services.case_approve(actor=actor, case_id=self.case.pk),
                "reject": lambda: services.case_reject(
                    actor=actor, case_id=self.case.pk, reason="otro", text="No procede"
                ),
                "confirm": lambda: services.case_confirm(actor=actor, case_id=self.case.pk),
                "send_back": lambda: services.case_send_back(actor=actor, case_id=self.case.pk, reason="Revisa"),
                "withdraw": lambda: services.case_withdraw(actor=actor, case_id=self.case.pk),
            }
            try:
                calls[action]()
            except (ApplicationError, Case.DoesNotExist):
                assert Case.objects.get(pk=self.case.pk).status == before  # refused: nothing changed
            else:
                self.moves += 1

        @invariant()
        def four_eyes_and_events(self) -> None:
            case = Case.objects.get(pk=self.case.pk)
            assert case.confirmed_by_id is None or case.confirmed_by_id != case.decided_by_id
            if case.status == Status.APROBADA:
                assert case.decided_by_id and case.confirmed_by_id
            events = list(case.events.order_by("at", "pk"))
            assert len(events) == self.moves + 1  # the filing, and one per change
            assert events[0].from_status == "" and events[-1].to_status == case.status
            for earlier, later in itertools.pairwise(events):
                assert later.from_status == earlier.to_status

    run_state_machine_as_test(
        CaseMachine,
        settings=settings(
            max_examples=25, stateful_step_count=12, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )
