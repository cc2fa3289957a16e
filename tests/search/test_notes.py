"""Internal notes are indexed apart: customers never match a word only a note holds."""

from __future__ import annotations

from tests.search.conftest import found
from tickets import actions


def test_a_word_only_in_a_note_is_found_by_staff_only(world):
    ticket = world.ticket(world.support, title="Login problem", text="I cannot log in.")
    actions.add_note(actor=world.admin, ticket=ticket, text="Customer owes us money: blacklisted.")
    assert found(world.admin, "blacklisted") == [ticket.number]
    assert found(world.customer_a, "blacklisted") == []
    assert found(world.admin, "blacklisted", notes=False) == []


def test_a_phrase_spanning_public_text_and_a_note_is_not_found_by_customers(world):
    ticket = world.ticket(world.support, title="Login problem", text="I cannot log in.")
    actions.add_note(actor=world.admin, ticket=ticket, text="secret reason")
    assert found(world.customer_a, "login secret") == []
    assert found(world.admin, "login secret") == [ticket.number]


def test_exclusion_by_a_note_word_counts_only_for_staff(world):
    ticket = world.ticket(world.support, title="Login problem", text="I cannot log in.")
    actions.add_note(actor=world.admin, ticket=ticket, text="duplicate")
    # A customer's exclusion of a word they cannot see leaves the ticket in:
    # leaving it out would tell them the note holds it.
    assert found(world.customer_a, "login -duplicate") == [ticket.number]
    assert found(world.admin, "login -duplicate") == []


def test_mail_kept_for_staff_is_not_public(world):
    from accounts.actors import MAIL_GATEWAY
    from tickets.models import EventCode

    ticket = world.ticket(world.support, title="Login problem", text="I cannot log in.")
    actions.add_system_note(
        actor=MAIL_GATEWAY,
        ticket=ticket,
        code=EventCode.AUTO_REPLY,
        text="I am on vacation until Monday.",
    )
    assert found(world.admin, "vacation") == [ticket.number]
    assert found(world.customer_a, "vacation") == []


def test_staff_answers_are_public(world):
    ticket = world.ticket(world.support, title="Login problem", text="I cannot log in.")
    actions.answer(actor=world.admin, ticket=ticket, text="Reset your password here.")
    assert found(world.customer_a, "password") == [ticket.number]
