"""The actions' forms for many tickets (``close_each``, ``assign_each``,
``change_priority_each``, ``move_each`` on ``core.edit_each``): what a mass
action's batch does in one transaction.

Each ticket ends as the action for one ticket leaves it (status, history,
version, hooks, signal); a refusal drops that ticket alone; the queries do not
grow with the number of tickets.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mail.models import OutgoingKind, OutgoingMail
from tests.conftest import SETUP
from tests.panel.helpers import close_fails_on, open_tickets, refreshed
from tickets import actions, signals
from tickets.models import Event, Status, Ticket


@pytest.fixture
def closed_heard():
    heard: list[signals.TicketChange] = []

    def hear(sender, change: signals.TicketChange, **kwargs) -> None:
        heard.append(change)

    signals.closed.connect(hear, dispatch_uid="test-each-closed")
    yield heard
    signals.closed.disconnect(dispatch_uid="test-each-closed")


def selection(tickets: list[Ticket]) -> list[tuple[int, int | None]]:
    return [(ticket.number, ticket.version) for ticket in tickets]


def queries_of(act: Callable[..., actions.EachOutcome], tickets: list[Ticket]) -> int:
    """How many queries the batch action takes for these tickets, all of which it changes."""
    with CaptureQueriesContext(connection) as queries:
        done = act(selection=selection(tickets))
    assert len(done.changed) == len(tickets)
    return len(queries)


def test_close_each_closes_as_close_does_and_refuses_ticket_by_ticket(
    world, closed_heard, django_capture_on_commit_callbacks
):
    tickets = open_tickets(5, world.billing)
    already = actions.close(actor=SETUP, ticket=tickets[3])
    stale = actions.change(actor=SETUP, ticket=tickets[1], priority=90)
    hidden = world.ticket(world.sales)  # the supervisor is not entitled to sales
    chosen = [
        *selection(tickets[:1]),
        (stale.number, stale.version - 1),  # the page showed the version before
        *selection(tickets[2:3]),
        (already.number, already.version),
        (hidden.number, None),
        (999_999, None),
        *selection(tickets[4:]),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        done = actions.close_each(actor=world.supervisor, selection=chosen, tell_customer=False)

    closed = [tickets[0], tickets[2], tickets[4]]
    assert [ticket.number for ticket in done.changed] == [t.number for t in closed]
    assert [ticket.number for ticket in done.unchanged] == [already.number]
    assert {number: type(error) for number, error in done.refused.items()} == {
        stale.number: actions.Conflict,
        hidden.number: Ticket.DoesNotExist,
        999_999: Ticket.DoesNotExist,
    }
    for ticket, saved in zip(closed, done.changed, strict=True):
        shown = ticket.version
        now = refreshed(ticket)
        assert (now.status, now.version) == (Status.CLOSED, shown + 1)
        assert saved.version == now.version and now.closed_at is not None
        (event,) = Event.objects.filter(ticket=ticket, version=now.version)
        assert (event.code, event.old, event.new, event.actor) == (
            "status",
            Status.NEW,
            Status.CLOSED,
            world.supervisor,
        )
    for untouched in (stale, already, hidden):
        assert Ticket.objects.get(pk=untouched.pk).version == untouched.version
    assert refreshed(stale).status == Status.NEW
    assert [change.number for change in closed_heard] == [t.number for t in closed]
    assert all(change.actor_id == world.supervisor.pk for change in closed_heard)


def test_a_batch_is_saved_with_as_many_queries_for_fifty_tickets_as_for_five(world):
    world.billing.closed_ticket_response = "Your ticket is closed."
    world.billing.save()
    few, many = open_tickets(5, world.billing), open_tickets(50, world.billing)
    close = partial(actions.close_each, actor=world.supervisor)
    assert queries_of(close, few) == queries_of(close, many)
    # One notice for each, written in the batch's transaction.
    notices = OutgoingMail.objects.filter(kind=OutgoingKind.CLOSED)
    assert sorted(notices.values_list("ticket_id", flat=True)) == sorted(t.pk for t in few + many)


def test_telling_the_customers_writes_a_notice_only_where_the_queue_has_one(world):
    world.billing.closed_ticket_response = "Your ticket is closed."
    world.billing.save()
    billing = open_tickets(2, world.billing)
    support = open_tickets(2, world.support)
    everyone = actions.close_each(actor=world.admin, selection=selection(billing + support))
    assert len(everyone.changed) == 4
    notices = OutgoingMail.objects.filter(kind=OutgoingKind.CLOSED)
    assert sorted(notices.values_list("ticket_id", flat=True)) == [t.pk for t in billing]
    assert {tuple(to) for to in notices.values_list("to", flat=True)} == {("alice@a.example",)}

    quiet = open_tickets(2, world.billing)
    actions.close_each(actor=world.admin, selection=selection(quiet), tell_customer=False)
    assert not OutgoingMail.objects.filter(ticket__in=quiet).exists()


def test_assign_priority_and_move_each_change_every_ticket_the_actor_may(world):
    tickets = open_tickets(3, world.billing)
    first_version = tickets[0].version
    assigned = actions.assign_each(
        actor=world.supervisor, selection=selection(tickets), assignee=world.agent
    )
    assert [refreshed(t).assignee for t in tickets] == [world.agent] * 3
    assert [refreshed(t).status for t in tickets] == [Status.OPEN] * 3
    assert len(assigned.changed) == 3

    actions.change_priority_each(
        actor=world.supervisor, selection=[(t.number, None) for t in tickets], priority=77
    )
    assert [refreshed(t).priority for t in tickets] == [77] * 3

    # Billing to support: both are the supervisor's; to sales is not.
    moved = actions.move_each(
        actor=world.supervisor, selection=[(t.number, None) for t in tickets], queue=world.sales
    )
    assert set(moved.refused) == {t.number for t in tickets}
    assert all(isinstance(error, PermissionDenied) for error in moved.refused.values())
    actions.move_each(
        actor=world.supervisor,
        selection=[(t.number, None) for t in tickets],
        queue=world.support,
    )
    assert [refreshed(t).queue for t in tickets] == [world.support] * 3
    codes = list(
        Event.objects.filter(ticket=tickets[0], version__gt=first_version)
        .order_by("version", "pk")
        .values_list("code", flat=True)
    )
    assert codes == ["assignee", "status", "priority", "queue"]


def test_the_role_is_checked_before_any_ticket_and_visibility_for_each(world):
    tickets = open_tickets(2, world.billing)
    with pytest.raises(PermissionDenied):
        actions.assign_each(actor=world.agent, selection=selection(tickets), assignee=world.agent)
    # A customer may close their own account's tickets: these are another's, and
    # read as not there.
    done = actions.close_each(actor=world.customer_b, selection=selection(tickets))
    assert not done.changed and set(done.refused) == {t.number for t in tickets}
    assert all(isinstance(error, Ticket.DoesNotExist) for error in done.refused.values())
    assert [Ticket.objects.get(pk=t.pk).version for t in tickets] == [t.version for t in tickets]


def test_an_error_that_is_no_refusal_rolls_back_the_whole_batch(world, monkeypatch):
    tickets = open_tickets(3, world.billing)
    close_fails_on(monkeypatch, tickets[2], OSError("disk full"))
    with pytest.raises(OSError):
        actions.close_each(actor=world.supervisor, selection=selection(tickets))
    assert [refreshed(t).status for t in tickets] == [Status.NEW] * 3
    assert not Event.objects.filter(ticket__in=tickets, code="status").exists()


def test_undo_close_each_reopens_what_the_closes_made_and_refuses_the_rest(world):
    world.billing.closed_ticket_response = "Your ticket is closed."
    world.billing.save()
    tickets = open_tickets(4, world.billing)
    closed = actions.close_each(actor=world.supervisor, selection=selection(tickets)).changed
    actions.add_note(actor=SETUP, ticket=closed[1], text="Changed since")
    answered = closed[1]
    by_other = actions.reopen(actor=SETUP, ticket=closed[2])
    by_other = actions.close(actor=world.admin, ticket=by_other)
    chosen = [
        (closed[0].number, closed[0].version),
        (closed[1].number, closed[1].version),  # a note since: a conflict
        (by_other.number, by_other.version),  # closed by somebody else: a supervisor may
        (closed[3].number, closed[3].version),
    ]
    done = actions.undo_close_each(actor=world.supervisor, selection=chosen)
    assert [t.number for t in done.changed] == [closed[0].number, by_other.number, closed[3].number]
    assert set(done.refused) == {answered.number}
    assert isinstance(done.refused[answered.number], actions.Conflict)
    assert [refreshed(t).status for t in tickets] == [
        Status.NEW,
        Status.CLOSED,
        Status.REOPENED,  # it was reopened before the other supervisor's close
        Status.NEW,
    ]
    # The notices of the closes taken back had not gone: they are withdrawn; the
    # ticket whose undo was refused keeps its own.
    left = OutgoingMail.objects.filter(kind=OutgoingKind.CLOSED)
    assert sorted(left.values_list("ticket_id", flat=True)) == sorted(
        [closed[1].number, by_other.number]
    )


def test_an_agent_may_undo_only_their_own_closes(world):
    tickets = open_tickets(2, world.billing, assignee=world.agent)
    own = actions.close(actor=world.agent, ticket=tickets[0])
    theirs = actions.close(actor=world.supervisor, ticket=tickets[1])
    done = actions.undo_close_each(
        actor=world.agent, selection=[(own.number, own.version), (theirs.number, theirs.version)]
    )
    assert [t.number for t in done.changed] == [own.number]
    assert isinstance(done.refused[theirs.number], PermissionDenied)
    assert refreshed(tickets[1]).status == Status.CLOSED


def test_delete_each_deletes_what_the_supervisor_may_and_removes_the_files_after_the_commit(
    world, media_root, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    from tests.conftest import upload
    from tickets.models import Attachment, Message

    with_files = [
        world.ticket(world.billing, attachments=[upload(f"invoice-{n}.pdf", b"%PDF-1.4")])
        for n in range(3)
    ]
    names = list(Attachment.objects.values_list("file", flat=True))
    assert len(names) == 3 and all(default_storage.exists(name) for name in names)
    stale = actions.change(actor=SETUP, ticket=with_files[1], priority=90)
    hidden = world.ticket(world.sales)
    chosen = [
        (with_files[0].number, with_files[0].version),
        (stale.number, stale.version - 1),
        (with_files[2].number, None),
        (hidden.number, None),
    ]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        done = actions.delete_each(actor=world.supervisor, selection=chosen)
        # Until the commit the files stay: a rollback would need them.
        assert all(default_storage.exists(name) for name in names)
    for callback in callbacks:
        callback()
    gone = [with_files[0].number, with_files[2].number]
    assert [ticket.number for ticket in done.changed] == gone
    assert {n: type(e) for n, e in done.refused.items()} == {
        stale.number: actions.Conflict,
        hidden.number: Ticket.DoesNotExist,
    }
    assert not Ticket.objects.filter(number__in=gone).exists()
    assert not Message.objects.filter(ticket__in=gone).exists()
    assert not Event.objects.filter(ticket__in=gone).exists()
    assert Ticket.objects.filter(number__in=[stale.number, hidden.number]).count() == 2
    kept = Attachment.objects.get(message__ticket=stale).file.name
    assert [default_storage.exists(name) for name in names] == [name == kept for name in names]
    with pytest.raises(PermissionDenied):
        actions.delete_each(actor=world.agent, selection=[(stale.number, None)])


def test_a_deletion_batch_takes_as_many_queries_for_twenty_tickets_as_for_two(world):
    few, many = open_tickets(2, world.billing), open_tickets(20, world.billing)
    delete = partial(actions.delete_each, actor=world.supervisor)
    assert queries_of(delete, few) == queries_of(delete, many)
