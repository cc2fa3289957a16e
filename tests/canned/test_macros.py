"""Applying a macro: its answer and changes through the actions, as the person, all or nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Contact
from canned import library
from canned.macros import apply_macro
from canned.models import Assignment, Macro
from tests.conftest import SETUP, set_helpdesk
from tickets import actions
from tickets.models import Event, MessageKind, Status, Ticket


@pytest.fixture
def ticket(world):
    Contact.objects.filter(email=world.customer_a.email).update(name="Alice Alder")
    # Auto-close after a week: an answer leaves the ticket open.
    set_helpdesk(auto_close_days=7)
    opened = world.ticket(world.billing, title="Refund")
    return actions.assign(actor=SETUP, ticket=opened, assignee=world.agent)


def macro(owner, **fields) -> Macro:
    return library.save_macro(user=owner, macro=None, name="Waiting for the customer", **fields)


def current(ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def test_it_answers_and_changes_the_ticket_as_the_person(world, ticket):
    waiting = macro(
        world.supervisor,
        shared=True,
        reply="Dear {{ customer.name }}, about #{{ ticket.number }}: we wait. {{ agent.name }}",
        status=Status.ON_HOLD,
        priority=80,
    )
    changed = apply_macro(
        actor=world.agent, ticket=ticket, macro=waiting, expected_version=ticket.version
    )
    assert (changed.status, changed.priority, changed.is_answered) == (Status.ON_HOLD, 80, True)
    answer = changed.messages.get(kind=MessageKind.ANSWER)
    assert answer.text == f"Dear Alice Alder, about #{ticket.number}: we wait. agent"
    assert answer.author == world.agent
    made = Event.objects.filter(ticket=ticket, version__gt=ticket.version)
    assert {event.code for event in made} >= {"answer", "status", "priority"}
    assert {event.actor_id for event in made} == {world.agent.pk}


def test_a_refused_step_changes_nothing_at_all(world, ticket):
    # An agent may answer but not move: the answer that came first is undone too.
    moving = macro(world.agent, shared=False, reply="Moved to sales.", queue=world.sales)
    with pytest.raises(PermissionDenied):
        apply_macro(actor=world.agent, ticket=ticket, macro=moving, expected_version=ticket.version)
    after = current(ticket)
    assert (after.version, after.queue_id, after.is_answered) == (
        ticket.version,
        world.billing.pk,
        False,
    )
    assert not after.messages.filter(kind=MessageKind.ANSWER).exists()


def test_a_ticket_changed_meanwhile_is_a_conflict_and_nothing_changes(world, ticket):
    waiting = macro(world.agent, shared=False, reply="We wait.", priority=90)
    actions.change(actor=world.supervisor, ticket=ticket.number, priority=60)
    with pytest.raises(actions.Conflict):
        apply_macro(
            actor=world.agent, ticket=ticket, macro=waiting, expected_version=ticket.version
        )
    after = current(ticket)
    assert after.priority == 60
    assert not after.messages.filter(kind=MessageKind.ANSWER).exists()


def test_an_unknown_placeholder_sends_nothing(world, ticket):
    typo = macro(world.agent, shared=False, reply="Hello {{ customer.nmae }}", priority=70)
    with pytest.raises(ValidationError, match=r"customer\.nmae"):
        apply_macro(actor=world.agent, ticket=ticket, macro=typo, expected_version=ticket.version)
    assert current(ticket).version == ticket.version


def test_a_supervisor_moves_closes_and_assigns_last(world, ticket):
    handover = macro(
        world.admin,
        shared=True,
        status=Status.CLOSED,
        queue=world.support,
        assignment=Assignment.PERSON,
        assignee=world.other_agent,
    )
    changed = apply_macro(
        actor=world.admin, ticket=ticket, macro=handover, expected_version=ticket.version
    )
    assert (changed.status, changed.queue_id, changed.assignee_id) == (
        Status.CLOSED,
        world.support.pk,
        world.other_agent.pk,
    )
    codes = list(
        Event.objects.filter(ticket=ticket, version__gt=ticket.version)
        .order_by("id")
        .values_list("code", flat=True)
    )
    assert codes[-1] == "assignee"


def test_steps_that_change_nothing_are_skipped(world, ticket):
    # Assigning to "the person applying it" on the agent's own ticket needs no supervisor.
    mine = macro(world.supervisor, shared=True, assignment=Assignment.ME, priority=ticket.priority)
    changed = apply_macro(
        actor=world.agent, ticket=ticket, macro=mine, expected_version=ticket.version
    )
    assert changed.version == ticket.version


def test_an_agent_releases_their_own_ticket_with_a_macro(world, ticket):
    release = macro(world.agent, shared=False, assignment=Assignment.NOBODY)
    changed = apply_macro(
        actor=world.agent, ticket=ticket, macro=release, expected_version=ticket.version
    )
    assert changed.assignee_id is None
