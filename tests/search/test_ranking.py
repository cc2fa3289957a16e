"""Results come best first: the title counts most, then people, then messages, then notes."""

from __future__ import annotations

from tests.search.conftest import found
from tickets import actions


def test_a_match_in_the_title_ranks_above_one_in_the_messages(world):
    body = world.ticket(world.support, title="Question", text="Where is my invoice for May?")
    title = world.ticket(world.support, title="Invoice missing", text="Please send it again.")
    older_title = world.ticket(world.support, title="Invoice wrong", text="The sum is off.")
    results = found(world.admin, "invoice")
    assert set(results[:2]) == {title.number, older_title.number}
    assert results[2] == body.number


def test_a_message_ranks_above_a_note(world):
    note = world.ticket(world.support, title="Question", text="Hello.")
    actions.add_note(actor=world.admin, ticket=note, text="Look at the firewall.")
    message = world.ticket(world.support, title="Question", text="The firewall blocks us.")
    assert found(world.admin, "firewall") == [message.number, note.number]


def test_more_of_the_words_rank_higher(world):
    once = world.ticket(world.support, title="Printer", text="The toner is empty, nothing else.")
    often = world.ticket(
        world.support, title="Printer", text="Toner again: toner empty, toner leaking."
    )
    assert found(world.admin, "toner") == [often.number, once.number]
