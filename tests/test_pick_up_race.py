"""Two supervisors press Pick Up on one ticket at the same moment: exactly one
gets it, the other is told who has it (DESIGN: first come, first served)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.db import connection

from tests.conftest import events_of
from tickets import actions
from tickets.models import Status, Ticket

ROUNDS = 8


def run_together(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released at once; return each result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            # Each thread has its own connection; an open one would block the
            # test database's teardown.
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.mark.django_db(transaction=True)
def test_exactly_one_of_two_simultaneous_pick_ups_wins(world):
    people = (world.supervisor, world.other_supervisor)
    for _ in range(ROUNDS):
        # The default queue: both supervisors see it.
        ticket = world.ticket(world.support)
        results = run_together(
            *(partial(actions.pick_up, actor=person, ticket=ticket.number) for person in people)
        )
        won = [r for r in results if isinstance(r, Ticket)]
        lost = [r for r in results if isinstance(r, actions.AlreadyAssigned)]
        assert (len(won), len(lost)) == (1, 1), results
        winner = won[0].assignee
        assert winner in people
        assert lost[0].assignee == winner
        assert f"already assigned to {winner}" in str(lost[0])

        stored = Ticket.objects.get(pk=ticket.pk)
        assert (stored.assignee, stored.status, stored.version) == (winner, Status.OPEN, 2)
        assert events_of(stored) == [("assignee", "", str(winner)), ("status", "new", "open")]
        assert stored.events.filter(code="assignee").count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_assignment_racing_a_pick_up_is_never_lost(world):
    for _ in range(ROUNDS):
        ticket = world.ticket(world.billing)
        results = run_together(
            partial(actions.pick_up, actor=world.supervisor, ticket=ticket.number),
            partial(actions.assign, actor=world.admin, ticket=ticket.number, assignee=world.agent),
        )
        # Either order ends with the agent: the pick up first and then the
        # reassignment, or the assignment first and the pick up refused.
        picked_up, assigned = results
        assert isinstance(assigned, Ticket), results
        assert isinstance(picked_up, Ticket | actions.AlreadyAssigned), results
        stored = Ticket.objects.get(pk=ticket.pk)
        assert stored.assignee == world.agent
        owners = list(stored.events.filter(code="assignee").values_list("new", flat=True))
        expected = (
            ["agent"] if isinstance(picked_up, actions.AlreadyAssigned) else ["super", "agent"]
        )
        assert owners == expected
