"""Taking back a close that nothing followed (tickets/actions ``undo_close``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mail import outbox
from mail.models import OutgoingKind, OutgoingMail, OutgoingState
from tests.conftest import SETUP, events_of
from tickets import actions
from tickets.models import Status, Ticket


@pytest.fixture
def assigned(world) -> Ticket:
    ticket = world.ticket(world.billing)
    return actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)


def closing_notice_queue(world) -> None:
    world.billing.closed_ticket_response = "We closed your ticket."
    world.billing.save()


def test_it_returns_the_ticket_to_the_status_it_had_before_the_close(world, assigned):
    actions.change(actor=world.agent, ticket=assigned, status=Status.ON_HOLD)
    closed = actions.close(actor=world.agent, ticket=assigned)
    undone = actions.undo_close(actor=world.agent, ticket=closed, expected_version=closed.version)
    assert (undone.status, undone.closed_at) == (Status.ON_HOLD, None)
    assert undone.version == closed.version + 1
    assert events_of(undone) == [("status", "closed", "on_hold")]
    assert undone.events.get(version=undone.version).actor == world.agent


def test_a_change_after_the_close_is_a_conflict_and_nothing_is_undone(world, assigned):
    closed = actions.close(actor=world.agent, ticket=assigned)
    actions.add_note(actor=world.supervisor, ticket=closed, text="Closed for good.")
    with pytest.raises(actions.Conflict) as conflict:
        actions.undo_close(actor=world.agent, ticket=closed, expected_version=closed.version)
    assert [event.code for event in conflict.value.changes] == ["note"]
    assert Ticket.objects.get(pk=closed.pk).status == Status.CLOSED


def test_only_a_close_is_undone(world, assigned):
    changed = actions.change(actor=world.agent, ticket=assigned, priority=70)
    with pytest.raises(ValidationError, match="was not a close"):
        actions.undo_close(actor=world.agent, ticket=changed, expected_version=changed.version)
    assert Ticket.objects.get(pk=changed.pk).priority == 70


def test_a_customers_close_is_not_undone_by_staff_through_it(world, assigned):
    # A customer confirming a resolved ticket writes two lines: not a plain close.
    actions.change(actor=SETUP, ticket=assigned, status=Status.RESOLVED)
    closed = actions.close(actor=world.customer_a, ticket=assigned)
    with pytest.raises(ValidationError):
        actions.undo_close(actor=world.supervisor, ticket=closed, expected_version=closed.version)


def test_another_agent_may_not_undo_a_close_a_supervisor_may(world, assigned):
    closed = actions.close(actor=world.supervisor, ticket=assigned)
    with pytest.raises(PermissionDenied):
        actions.undo_close(actor=world.agent, ticket=closed, expected_version=closed.version)
    assert Ticket.objects.get(pk=closed.pk).status == Status.CLOSED
    undone = actions.undo_close(actor=world.admin, ticket=closed, expected_version=closed.version)
    assert undone.status == Status.OPEN


def test_customers_may_not_undo(world, assigned):
    closed = actions.close(actor=world.customer_a, ticket=assigned)
    with pytest.raises(PermissionDenied):
        actions.undo_close(actor=world.customer_a, ticket=closed, expected_version=closed.version)


def test_a_closing_notice_not_yet_sent_is_withdrawn(world, assigned):
    closing_notice_queue(world)
    closed = actions.close(actor=world.agent, ticket=assigned)
    assert OutgoingMail.objects.filter(ticket=closed, kind=OutgoingKind.CLOSED).count() == 1
    actions.undo_close(actor=world.agent, ticket=closed, expected_version=closed.version)
    assert not OutgoingMail.objects.filter(ticket=closed, kind=OutgoingKind.CLOSED).exists()


@pytest.mark.parametrize(
    ("state", "attempts"),
    [(OutgoingState.SENT, 1), (OutgoingState.SENDING, 1), (OutgoingState.QUEUED, 1)],
    ids=["sent", "being sent", "tried once"],
)
def test_a_notice_a_sender_has_taken_stays(world, assigned, state, attempts):
    closing_notice_queue(world)
    closed = actions.close(actor=world.agent, ticket=assigned)
    OutgoingMail.objects.filter(ticket=closed).update(state=state, attempts=attempts)
    undone = actions.undo_close(actor=world.agent, ticket=closed, expected_version=closed.version)
    assert undone.status == Status.OPEN
    assert OutgoingMail.objects.filter(ticket=closed, kind=OutgoingKind.CLOSED).count() == 1


def test_an_earlier_closing_notice_is_not_withdrawn(world, assigned):
    closing_notice_queue(world)
    first = actions.close(actor=world.agent, ticket=assigned)
    reopened = actions.reopen(actor=world.agent, ticket=first)
    closed = actions.close(actor=world.agent, ticket=reopened)
    assert OutgoingMail.objects.filter(ticket=closed, kind=OutgoingKind.CLOSED).count() == 2
    actions.undo_close(actor=world.agent, ticket=closed, expected_version=closed.version)
    assert OutgoingMail.objects.filter(ticket=closed, kind=OutgoingKind.CLOSED).count() == 1


def test_a_held_notice_waits_for_its_time_then_goes(world, assigned, mailoutbox):
    closing_notice_queue(world)
    before = timezone.now()
    closed = actions.close(actor=world.agent, ticket=assigned, notice_delay=timedelta(seconds=15))
    (row,) = OutgoingMail.objects.filter(ticket=closed, kind=OutgoingKind.CLOSED)
    assert row.next_attempt_at >= before + timedelta(seconds=15)
    assert not outbox.deliver(row.pk)
    assert outbox.sweep() == 0
    assert mailoutbox == []
    assert outbox.sweep(now=row.next_attempt_at) == 1
    assert [mail.to for mail in mailoutbox] == [[assigned.requester_email]]
