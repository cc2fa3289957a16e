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
