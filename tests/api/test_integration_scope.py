"""An integration token acts within its queues: it cannot reach another queue's
tickets, and a read-only token changes nothing."""

from __future__ import annotations

import pytest

from accounts import tokens
from tests.api.test_tickets import NEW_TICKET, numbers
from tests.conftest import SETUP
from tickets import actions, visibility
from tickets.models import Ticket


@pytest.fixture
def in_sales(world) -> Ticket:
    return world.ticket(world.sales)


def test_it_lists_and_finds_only_its_queues_tickets(world, billing_writer, in_sales):
    billing = world.ticket(world.billing, title="Invoice question")
    world.ticket(world.sales, title="Invoice question too")
    assert numbers(billing_writer.get("/tickets")) == [billing.number]
    assert numbers(billing_writer.get("/search", {"q": "invoice"})) == [billing.number]
    assert numbers(billing_writer.get("/tickets", {"queue": world.sales.pk})) == []


def test_another_queues_ticket_is_404_for_every_call(world, billing_writer, in_sales):
    number = in_sales.number
    for response in (
        billing_writer.get(f"/tickets/{number}"),
        billing_writer.get(f"/tickets/{number}/messages"),
        billing_writer.get(f"/tickets/{number}/history"),
        billing_writer.post(f"/tickets/{number}/reply", {"text": "x"}),
        billing_writer.post(f"/tickets/{number}/close", {}),
        billing_writer.patch(f"/tickets/{number}", {"priority": 99}),
    ):
        assert response.status_code == 404
    in_sales.refresh_from_db()
    assert in_sales.version == 1


def test_it_opens_tickets_only_in_its_queues(world, billing_writer):
    made = billing_writer.post("/tickets", {**NEW_TICKET, "queue_id": world.billing.pk})
    assert made.status_code == 201
    refused = billing_writer.post("/tickets", {**NEW_TICKET, "queue_id": world.sales.pk})
    assert refused.status_code == 403
    # Without a queue the default queue is meant, which is not billing's.
    assert billing_writer.post("/tickets", NEW_TICKET).status_code == 403


def test_it_cannot_move_a_ticket_out_of_its_queues(world, billing_writer):
    ticket = world.ticket(world.billing)
    response = billing_writer.post(f"/tickets/{ticket.number}/move", {"queue_id": world.sales.pk})
    assert response.status_code == 403
    ticket.refresh_from_db()
    assert ticket.queue == world.billing


def test_it_cannot_pick_up_but_assigns(world, billing_writer):
    ticket = world.ticket(world.billing)
    assert billing_writer.post(f"/tickets/{ticket.number}/pick-up").status_code == 403
    response = billing_writer.post(
        f"/tickets/{ticket.number}/assign", {"assignee_id": world.agent.pk}
    )
    assert response.status_code == 200
    assert ticket.events.filter(system="integration:billing-cp", code="assignee").exists()


def test_a_read_only_token_reads_but_changes_nothing(world, billing_reader):
    ticket = world.ticket(world.billing)
    assert billing_reader.get(f"/tickets/{ticket.number}").status_code == 200
    for response in (
        billing_reader.post("/tickets", {**NEW_TICKET, "queue_id": world.billing.pk}),
        billing_reader.post(f"/tickets/{ticket.number}/reply", {"text": "x"}),
        billing_reader.post(f"/tickets/{ticket.number}/close", {}),
        billing_reader.patch(f"/tickets/{ticket.number}", {"priority": 99}),
    ):
        assert response.status_code == 403
    ticket.refresh_from_db()
    assert ticket.version == 1


def test_it_reads_no_internal_notes(world, billing_writer):
    ticket = world.ticket(world.billing)
    actions.add_note(actor=world.admin, ticket=ticket, text="Customer is difficult.")
    kinds = [m["kind"] for m in billing_writer.get(f"/tickets/{ticket.number}/messages").json()]
    assert kinds == ["customer"]
    assert numbers(billing_writer.get("/search", {"q": "difficult"})) == []


def test_it_sees_its_queues_and_no_customer_records(world, billing_writer):
    assert [queue["name"] for queue in billing_writer.get("/queues").json()] == ["Billing"]
    assert billing_writer.get("/accounts").status_code == 403
    assert billing_writer.post("/accounts", {"name": "New"}).status_code == 403


# The rule itself (tickets/visibility.py), for an integration as for every person.


def scoped(world, *, can_write: bool):
    issued = tokens.create_integration(
        actor=world.admin, name="rule", queues=[world.billing, world.support], can_write=can_write
    )
    return tokens.actor_of(issued.token)


def test_the_rule_is_the_tickets_of_its_queues_in_every_form(world):
    mine = {world.ticket(world.billing).number, world.ticket(world.support).number}
    assigned = actions.assign(actor=SETUP, ticket=world.ticket(world.billing), assignee=world.agent)
    mine.add(assigned.number)
    world.ticket(world.sales)
    actor = scoped(world, can_write=True)
    visible = set(visibility.visible_tickets(actor).values_list("pk", flat=True))
    assert visible == mine
    unassigned = set(visibility.visible_unassigned(actor).values_list("pk", flat=True))
    assert unassigned == mine - {assigned.number}
    parts = [set(part.values_list("pk", flat=True)) for part in visibility.visible_in_parts(actor)]
    assert set().union(*parts) == mine
    assert set(visibility.visible_to_actor(actor).values_list("pk", flat=True)) == mine
    assert set(visibility.visible_queues(actor)) == {world.billing, world.support}


def test_a_read_only_integration_may_lock_nothing(world):
    world.ticket(world.billing)
    assert not visibility.visible_to_actor(scoped(world, can_write=False)).exists()


def test_its_events_record_the_integration_by_name(world):
    actor = scoped(world, can_write=True)
    ticket = world.ticket(world.billing)
    actions.change(actor=actor, ticket=ticket, priority=77)
    event = ticket.events.get(code="priority")
    assert (event.actor_id, event.system) == (None, "integration:rule")
