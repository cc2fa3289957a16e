"""pick_up, assign and release: who may, and what the history records."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import staff
from tests.conftest import SETUP, events_of
from tickets import actions
from tickets.models import Status, Ticket
from tickets.visibility import can_see


def fresh(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def test_a_supervisor_picks_up_an_unassigned_ticket(world):
    ticket = world.ticket(world.billing)
    actions.pick_up(actor=world.supervisor, ticket=ticket)
    ticket = fresh(ticket)
    assert (ticket.assignee, ticket.status, ticket.version) == (world.supervisor, Status.OPEN, 2)
    assert events_of(ticket) == [("assignee", "", "super"), ("status", "new", "open")]
    assert set(ticket.events.filter(version=2).values_list("actor", flat=True)) == {
        world.supervisor.pk
    }


def test_an_admin_picks_up_a_ticket_of_any_queue_by_number(world):
    ticket = world.ticket(world.sales)
    actions.pick_up(actor=world.admin, ticket=ticket.number)
    assert fresh(ticket).assignee == world.admin


def test_picking_up_ones_own_ticket_again_changes_nothing(world):
    ticket = world.ticket(world.billing)
    actions.pick_up(actor=world.supervisor, ticket=ticket)
    actions.pick_up(actor=world.supervisor, ticket=ticket)
    assert fresh(ticket).version == 2
    assert ticket.events.count() == 3


def test_picking_up_a_ticket_somebody_has_names_who_has_it(world):
    ticket = world.ticket(world.support)
    actions.pick_up(actor=world.other_supervisor, ticket=ticket)
    with pytest.raises(actions.AlreadyAssigned) as taken:
        actions.pick_up(actor=world.supervisor, ticket=ticket)
    assert taken.value.assignee == world.other_supervisor
    assert "already assigned to super2" in str(taken.value)
    assert fresh(ticket).assignee == world.other_supervisor


def test_picking_up_a_reopened_ticket_opens_it_again(world):
    ticket = world.ticket(world.billing)
    actions.close(actor=world.customer_a, ticket=ticket)
    actions.customer_reply(actor=world.customer_a, ticket=ticket, text="Again.")
    actions.pick_up(actor=world.supervisor, ticket=ticket)
    assert events_of(ticket) == [("assignee", "", "super"), ("status", "reopened", "open")]


def test_an_agent_may_not_pick_up_or_assign(world):
    ticket = world.ticket(world.billing)
    actions.assign(actor=world.supervisor, ticket=ticket, assignee=world.agent)
    with pytest.raises(PermissionDenied):
        actions.pick_up(actor=world.agent, ticket=world.ticket(world.billing))
    with pytest.raises(PermissionDenied):
        actions.assign(actor=world.agent, ticket=ticket, assignee=world.other_agent)
    assert fresh(ticket).assignee == world.agent


@pytest.mark.parametrize("customer", ["customer_a", "customer_b"])
def test_customers_may_not_pick_up_assign_or_release(world, customer):
    ticket = world.ticket(world.support)
    person = getattr(world, customer)
    with pytest.raises(PermissionDenied):
        actions.pick_up(actor=person, ticket=ticket)
    with pytest.raises(PermissionDenied):
        actions.assign(actor=person, ticket=ticket, assignee=world.agent)
    actions.pick_up(actor=world.supervisor, ticket=ticket)
    with pytest.raises(PermissionDenied):
        actions.release(actor=person, ticket=ticket)
    assert fresh(ticket).assignee == world.supervisor


def test_a_supervisor_of_another_queue_cannot_see_the_ticket_and_is_refused(world):
    ticket = world.ticket(world.billing)
    with pytest.raises(PermissionDenied, match=f"#{ticket.number}"):
        actions.pick_up(actor=world.other_supervisor, ticket=ticket)
    with pytest.raises(PermissionDenied):
        actions.assign(actor=world.other_supervisor, ticket=ticket, assignee=world.other_agent)
    actions.pick_up(actor=world.supervisor, ticket=ticket)
    with pytest.raises(PermissionDenied):
        actions.release(actor=world.other_supervisor, ticket=ticket)
    assert fresh(ticket).assignee == world.supervisor


def test_a_deactivated_supervisor_may_not_pick_up(world):
    ticket = world.ticket(world.billing)
    staff.deactivate(actor=world.admin, user=world.supervisor)
    with pytest.raises(PermissionDenied):
        actions.pick_up(actor=world.supervisor, ticket=ticket)
    assert fresh(ticket).assignee is None


def test_a_missing_ticket_is_reported_as_missing(world):
    with pytest.raises(Ticket.DoesNotExist):
        actions.pick_up(actor=world.admin, ticket=999_999)


def test_a_supervisor_assigns_a_ticket_to_an_agent_who_then_sees_it(world):
    ticket = world.ticket(world.billing)
    assert not can_see(world.agent, ticket)
    actions.assign(actor=world.supervisor, ticket=ticket, assignee=world.agent)
    assert can_see(world.agent, ticket)
    assert events_of(ticket) == [("assignee", "", "agent"), ("status", "new", "open")]


def test_reassigning_records_the_old_and_the_new_assignee(world):
    ticket = world.ticket(world.billing)
    actions.assign(actor=world.supervisor, ticket=ticket, assignee=world.agent)
    actions.assign(actor=world.supervisor, ticket=ticket, assignee=world.other_agent)
    ticket = fresh(ticket)
    assert (ticket.assignee, ticket.status, ticket.version) == (world.other_agent, Status.OPEN, 3)
    assert events_of(ticket) == [("assignee", "agent", "agent2")]


def test_assigning_to_the_current_assignee_changes_nothing(world):
    ticket = world.ticket(world.billing)
    actions.assign(actor=world.supervisor, ticket=ticket, assignee=world.agent)
    actions.assign(actor=world.supervisor, ticket=ticket, assignee=world.agent)
    assert fresh(ticket).version == 2


def test_assigning_to_nobody_releases_the_ticket(world):
    ticket = world.ticket(world.billing)
    actions.assign(actor=world.supervisor, ticket=ticket, assignee=world.agent)
    actions.assign(actor=world.supervisor, ticket=ticket, assignee=None)
    assert (fresh(ticket).assignee, fresh(ticket).status) == (None, Status.NEW)


@pytest.mark.parametrize("who", ["customer", "deactivated"])
def test_tickets_are_assigned_only_to_active_staff(world, who):
    ticket = world.ticket(world.billing)
    if who == "customer":
        assignee = world.customer_a
    else:
        assignee = world.other_supervisor
        staff.deactivate(actor=world.admin, user=assignee)
    with pytest.raises(ValidationError) as refused:
        actions.assign(actor=world.supervisor, ticket=ticket, assignee=assignee)
    assert set(refused.value.message_dict) == {"assignee"}
    assert fresh(ticket).assignee is None


def test_release_returns_the_ticket_to_the_unassigned_list(world):
    ticket = world.ticket(world.billing)
    actions.pick_up(actor=world.supervisor, ticket=ticket)
    actions.release(actor=world.supervisor, ticket=ticket, expected_version=2)
    ticket = fresh(ticket)
    assert (ticket.assignee, ticket.status, ticket.version) == (None, Status.NEW, 3)
    assert events_of(ticket) == [("assignee", "super", ""), ("status", "open", "new")]


def test_a_supervisor_releases_somebody_elses_ticket(world):
    ticket = world.ticket(world.billing)
    actions.assign(actor=world.supervisor, ticket=ticket, assignee=world.agent)
    actions.release(actor=world.admin, ticket=ticket)
    assert fresh(ticket).assignee is None


def test_releasing_an_on_hold_ticket_keeps_it_on_hold(world):
    ticket = world.ticket(world.billing)
    actions.pick_up(actor=world.supervisor, ticket=ticket)
    actions.change(actor=world.supervisor, ticket=ticket, status=Status.ON_HOLD)
    actions.release(actor=world.supervisor, ticket=ticket)
    assert (fresh(ticket).assignee, fresh(ticket).status) == (None, Status.ON_HOLD)


def test_an_agent_may_give_back_their_own_ticket_but_no_one_elses(world):
    mine = world.ticket(world.billing)
    theirs = world.ticket(world.billing)
    actions.assign(actor=world.supervisor, ticket=mine, assignee=world.agent)
    actions.assign(actor=world.supervisor, ticket=theirs, assignee=world.other_agent)
    with pytest.raises(PermissionDenied):
        actions.release(actor=world.agent, ticket=theirs)
    actions.release(actor=world.agent, ticket=mine)
    assert fresh(mine).assignee is None
    assert fresh(theirs).assignee == world.other_agent
    assert not can_see(world.agent, mine)


def test_the_system_assigns_and_releases_naming_itself_in_the_history(world):
    ticket = world.ticket(world.sales)
    actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)
    actions.release(actor=SETUP, ticket=ticket)
    assert fresh(ticket).assignee is None
    events = ticket.events.exclude(code="created")
    assert set(events.values_list("actor", "system")) == {(None, "command:tests")}
