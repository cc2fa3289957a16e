"""A customer closing a ticket support resolved already: a confirmation, recorded once (S33)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import User
from tests.conftest import SETUP, events_of
from tickets import actions, signals
from tickets.models import Status, Ticket


def fresh(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


@pytest.mark.parametrize("status", [Status.CLOSED, Status.RESOLVED])
def test_a_customer_closing_a_ticket_support_finished_records_it(
    world, status, django_capture_on_commit_callbacks
):
    ticket = world.ticket()
    actions.change(actor=SETUP, ticket=ticket, status=status)
    heard: list[signals.TicketChange] = []

    def listen(sender, change, **kwargs):
        heard.append(change)

    signals.closed.connect(listen, weak=False, dispatch_uid="tests.customer_closing")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            actions.close(actor=world.customer_a, ticket=ticket)
    finally:
        signals.closed.disconnect(dispatch_uid="tests.customer_closing")
    closed = fresh(ticket)
    assert (closed.status, closed.version) == (Status.CLOSED, 3)
    assert ("customer_closed", "", "") in events_of(closed)
    assert [change.codes >= {"customer_closed"} for change in heard] == [True]


def test_closing_it_again_records_nothing_more(world):
    ticket = world.ticket()
    actions.close(actor=SETUP, ticket=ticket)
    actions.close(actor=world.customer_a, ticket=ticket)
    actions.close(actor=world.customer_a, ticket=ticket)
    assert fresh(ticket).version == 3


def test_after_a_reopening_and_a_new_close_by_support_the_customer_may_confirm_again(world):
    ticket = world.ticket()
    actions.close(actor=SETUP, ticket=ticket)
    actions.close(actor=world.customer_a, ticket=ticket)
    actions.customer_reply(actor=world.customer_a, ticket=ticket, text="Again.")
    actions.close(actor=world.supervisor, ticket=ticket)
    version = fresh(ticket).version
    actions.close(actor=world.customer_a, ticket=ticket)
    assert events_of(fresh(ticket)) == [("customer_closed", "", "")]
    assert fresh(ticket).version == version + 1


def test_a_customer_closing_an_open_ticket_only_changes_its_status(world):
    ticket = world.ticket()
    actions.close(actor=world.customer_a, ticket=ticket)
    assert events_of(fresh(ticket)) == [("status", "new", "closed")]


def test_staff_closing_a_closed_ticket_still_changes_nothing(world):
    ticket = world.ticket()
    actions.close(actor=SETUP, ticket=ticket)
    actions.close(actor=world.supervisor, ticket=ticket)
    assert fresh(ticket).version == 2


def test_somebody_of_no_account_closes_the_ticket_they_asked_for_and_no_other(world):
    stranger = User.objects.create_user("stranger@elsewhere.example", "secret")
    theirs = actions.open_ticket(
        actor=stranger, title="Mine", requester_email="", text="Help", type="portal"
    )
    actions.close(actor=stranger, ticket=theirs)
    assert fresh(theirs).status == Status.CLOSED
    with pytest.raises(PermissionDenied):
        actions.close(actor=stranger, ticket=world.ticket())


def test_a_deactivated_customer_may_not_close(world):
    ticket = world.ticket()
    User.objects.filter(pk=world.customer_a.pk).update(is_active=False)
    with pytest.raises(PermissionDenied):
        actions.close(actor=User.objects.get(pk=world.customer_a.pk), ticket=ticket)
