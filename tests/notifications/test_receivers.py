"""The assignee hears of changes on their ticket, never of their own, and only while
they may see it (S41)."""

from __future__ import annotations

from accounts.models import User
from notifications import api
from notifications.models import Notification
from tests.conftest import SETUP
from tickets import actions


def kinds_of(user: User) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_it_tells_the_assignee_of_an_assignment(world, after_commit):
    ticket = world.ticket(world.billing)
    with after_commit():
        actions.assign(actor=world.supervisor, ticket=ticket, assignee=world.agent)
    notification = Notification.objects.get(recipient=world.agent)
    assert (notification.kind, notification.ticket_id) == (api.ASSIGNED, ticket.number)
    assert notification.params["actor"] == world.supervisor.staff.display_name
    assert kinds_of(world.supervisor) == []


def test_it_tells_nobody_who_takes_a_ticket_themselves(world, after_commit):
    ticket = world.ticket(world.billing)
    with after_commit():
        actions.assign(actor=world.supervisor, ticket=ticket, assignee=world.supervisor)
        actions.release(actor=world.supervisor, ticket=ticket)
        actions.pick_up(actor=world.supervisor, ticket=ticket)
    assert not Notification.objects.exists()


def test_it_tells_the_assignee_of_a_customer_reply(world, agents_ticket, after_commit):
    with after_commit():
        actions.customer_reply(actor=world.customer_a, ticket=agents_ticket, text="Still broken")
    assert kinds_of(world.agent) == [api.CUSTOMER_REPLIED]


def test_a_reply_that_unassigned_the_ticket_tells_whoever_still_sees_it(world, after_commit):
    ticket = world.ticket(world.billing)
    actions.assign(actor=SETUP, ticket=ticket, assignee=world.supervisor)
    with after_commit():
        actions.customer_reply(actor=world.customer_a, ticket=ticket, text="Hello?")
    # The supervisor still sees it in their queue.
    assert kinds_of(world.supervisor) == [api.CUSTOMER_REPLIED]


def test_a_reply_that_took_the_ticket_from_an_agent_tells_them_nothing(world, after_commit):
    ticket = world.ticket(world.billing)
    actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)
    with after_commit():
        actions.customer_reply(actor=world.customer_a, ticket=ticket, text="Hello?")
    # No longer assigned to them: an agent no longer sees it.
    assert kinds_of(world.agent) == []


def test_it_tells_the_assignee_of_a_colleagues_note(world, agents_ticket, after_commit):
    with after_commit():
        actions.add_note(actor=world.supervisor, ticket=agents_ticket, text="Call them")
    assert kinds_of(world.agent) == [api.NOTE_ADDED]
    assert "Call them" not in Notification.objects.get().text


def test_it_tells_the_assignee_of_a_colleagues_answer(world, agents_ticket, after_commit):
    with after_commit():
        actions.answer(actor=world.admin, ticket=agents_ticket, text="Done for you")
    assert kinds_of(world.agent) == [api.ANSWERED]


def test_the_assignees_own_note_and_answer_tell_nobody(world, agents_ticket, after_commit):
    with after_commit():
        actions.add_note(actor=world.agent, ticket=agents_ticket, text="Looking")
        actions.answer(actor=world.agent, ticket=agents_ticket, text="Fixed")
    assert not Notification.objects.exists()


def test_an_answer_that_assigns_tells_the_new_assignee_of_the_assignment(world, after_commit):
    ticket = world.ticket(world.billing)
    with after_commit():
        actions.answer(actor=world.supervisor, ticket=ticket, text="On it", assign_to=world.agent)
    assert kinds_of(world.agent) == [api.ASSIGNED]


def test_a_note_on_an_unassigned_ticket_tells_nobody(world, after_commit):
    ticket = world.ticket(world.billing)
    with after_commit():
        actions.add_note(actor=world.supervisor, ticket=ticket, text="Whose is this?")
    assert not Notification.objects.exists()


def test_a_change_rolled_back_tells_nobody(world, django_capture_on_commit_callbacks):
    ticket = world.ticket(world.billing)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.assign(actor=world.supervisor, ticket=ticket, assignee=world.agent)
    # The callbacks are what a commit would run; none ran, so nobody was told.
    assert callbacks and not Notification.objects.exists()


def test_a_merge_tells_the_assignee_of_each_side_what_went_where(world, after_commit):
    survivor = world.ticket(world.billing, title="Printer offline")
    merged = world.ticket(world.billing, title="Printer still offline")
    actions.assign(actor=SETUP, ticket=survivor, assignee=world.agent)
    actions.assign(actor=SETUP, ticket=merged, assignee=world.supervisor)
    with after_commit():
        actions.merge(actor=world.admin, ticket=merged, into=survivor)
    told = {
        (n.recipient.email, n.ticket_id, n.kind): api.describe(n.kind, n.params)
        for n in Notification.objects.select_related("recipient")
    }
    admin = world.admin.staff.display_name
    assert told == {
        (world.agent.email, survivor.number, api.MERGED): (
            f"{admin} merged #{merged.number} into #{survivor.number} Printer offline"
        ),
        (world.supervisor.email, merged.number, api.MERGED): (
            f"{admin} merged #{merged.number} Printer still offline into #{survivor.number}"
        ),
    }


def test_an_assignee_of_both_sides_hears_of_a_merge_once_and_the_merger_not_at_all(
    world, after_commit
):
    survivor, merged, other = (world.ticket(world.billing) for _ in range(3))
    for ticket in (survivor, merged):
        actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)
    actions.assign(actor=SETUP, ticket=other, assignee=world.supervisor)
    with after_commit():
        actions.merge(actor=world.admin, ticket=merged, into=survivor)
        actions.merge(actor=world.supervisor, ticket=other, into=survivor)
    notifications = Notification.objects.filter(kind=api.MERGED)
    # The agent: one for each merge into their ticket; the supervisor merged their own.
    assert sorted(notifications.values_list("recipient__email", "ticket_id")) == [
        (world.agent.email, survivor.number),
        (world.agent.email, survivor.number),
    ]
