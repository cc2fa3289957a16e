"""Merge and split (S43) keep the index current for both tickets, once they commit."""

from __future__ import annotations

import pytest

from tests.search.conftest import found
from tickets import actions

pytestmark = pytest.mark.usefixtures("indexing_on_commit")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def test_the_survivor_is_found_by_a_word_of_the_merged_tickets_message(world, committed):
    survivor = committed(world.ticket, world.support, title="Printer offline", text="Dead.")
    merged = committed(world.ticket, world.support, title="Toner", text="The photocopier smokes")
    assert found(world.admin, "photocopier") == [merged.number]

    committed(actions.merge, actor=world.admin, ticket=merged, into=survivor)

    assert found(world.admin, "photocopier") == [survivor.number]
    assert found(world.customer_a, "photocopier") == [survivor.number]
    # The merged ticket keeps its own title.
    assert found(world.admin, "toner") == [merged.number]


def test_a_split_message_is_found_in_its_new_ticket(world, committed):
    ticket = committed(world.ticket, world.support, title="Printer offline", text="Dead.")
    committed(
        actions.customer_reply, actor=world.customer_a, ticket=ticket, text="Also the scanner"
    )
    moving = ticket.messages.last()

    new = committed(actions.split_off, actor=world.admin, ticket=ticket, message=moving)

    assert found(world.admin, "scanner") == [new.number]
