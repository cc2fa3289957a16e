"""A stale form never overwrites: Conflict names what changed and who changed it."""

from __future__ import annotations

import pytest

from tickets import actions
from tickets.models import Status, Ticket

STALE_CALLS = {
    "answer": lambda w, t, v: actions.answer(
        actor=w.supervisor, ticket=t, text="Done.", expected_version=v
    ),
    "add_note": lambda w, t, v: actions.add_note(
        actor=w.supervisor, ticket=t, text="Note.", expected_version=v
    ),
    "assign": lambda w, t, v: actions.assign(
        actor=w.supervisor, ticket=t, assignee=w.agent, expected_version=v
    ),
    "release": lambda w, t, v: actions.release(actor=w.supervisor, ticket=t, expected_version=v),
    "change": lambda w, t, v: actions.change(
        actor=w.supervisor, ticket=t, status=Status.ON_HOLD, expected_version=v
    ),
    "change_details": lambda w, t, v: actions.change_details(
        actor=w.supervisor, ticket=t, title="New title", expected_version=v
    ),
    "change_account": lambda w, t, v: actions.change_account(
        actor=w.supervisor, ticket=t, account=w.account_b, expected_version=v
    ),
    "move": lambda w, t, v: actions.move(
        actor=w.supervisor, ticket=t, queue=w.support, expected_version=v
    ),
    "close": lambda w, t, v: actions.close(actor=w.supervisor, ticket=t, expected_version=v),
    "reopen": lambda w, t, v: actions.reopen(actor=w.supervisor, ticket=t, expected_version=v),
    "delete_permanently": lambda w, t, v: actions.delete_permanently(
        actor=w.supervisor, ticket=t, expected_version=v
    ),
}


def snapshot(ticket: Ticket) -> tuple:
    row = Ticket.objects.get(pk=ticket.pk)
    return (
        row.version,
        row.status,
        row.title,
        row.queue_id,
        row.account_id,
        row.assignee_id,
        row.messages.count(),
        row.events.count(),
    )


@pytest.mark.parametrize("action", STALE_CALLS)
def test_a_stale_version_is_refused_naming_the_change_and_its_author(world, action):
    ticket = world.ticket(world.billing)
    shown = ticket.version
    actions.change(actor=world.admin, ticket=ticket, priority=70)
    before = snapshot(ticket)
    with pytest.raises(actions.Conflict) as conflict:
        STALE_CALLS[action](world, ticket, shown)
    assert str(conflict.value) == (
        f"Ticket #{ticket.number} was changed while you were working on it: "
        "admin changed the priority: 50 → 70."
    )
    assert snapshot(ticket) == before


@pytest.mark.parametrize("action", STALE_CALLS)
def test_the_current_version_goes_through(world, action):
    ticket = world.ticket(world.billing)
    actions.pick_up(actor=world.supervisor, ticket=ticket)
    # Raises Conflict if the version check compares the wrong thing.
    STALE_CALLS[action](world, ticket, 2)


def test_a_conflict_lists_every_change_since_the_form_was_shown_in_order(world):
    ticket = world.ticket(world.billing)
    actions.pick_up(actor=world.supervisor, ticket=ticket)
    actions.change_details(actor=world.admin, ticket=ticket, title="Locked out")
    with pytest.raises(actions.Conflict) as conflict:
        actions.change(actor=world.supervisor, ticket=ticket, priority=90, expected_version=1)
    message = str(conflict.value)
    assert message.index("super changed the assignee: — → super") < message.index(
        "admin changed the title: Cannot log in → Locked out"
    )
    assert "changed the status: New → Open" in message
    assert [event.code for event in conflict.value.changes] == ["assignee", "status", "title"]


def test_a_customer_reply_meanwhile_makes_a_staff_form_stale(world):
    ticket = world.ticket(world.billing)
    actions.customer_reply(actor=world.customer_a, ticket=ticket, text="Any news?")
    with pytest.raises(actions.Conflict, match="alice added a customer message"):
        actions.answer(actor=world.supervisor, ticket=ticket, text="Done.", expected_version=1)
