"""Any sequence of actions keeps a ticket's invariants (hypothesis, stateful).

Hypothesis plays people doing whatever they like: customers write, staff
answer, note, pick up, assign, release, change, move, close, reopen, delete,
with versions they saw or stale ones. Whatever an action refuses it refuses
cleanly, and after every step every ticket holds:

- its assignee is nobody or active staff, and its priority is 1 to 99;
- answered exactly when the last public message is a staff answer (S7), and
  waiting (escalation counts) exactly when unanswered;
- closed_at set exactly when resolved or closed (S4);
- a history with an event for every version from 1 to the current one, and no
  event from a version yet to come.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    rule,
    run_state_machine_as_test,
)

from accounts.actors import MAIL_GATEWAY
from tests.conftest import World
from tickets import actions
from tickets.models import (
    DONE_STATUSES,
    Event,
    MessageKind,
    Status,
    Ticket,
    TicketType,
)

#: What an action may answer a person who may not do it, or a stale form.
REFUSALS: tuple[type[Exception], ...] = (
    PermissionDenied,
    ValidationError,
    Ticket.DoesNotExist,
    actions.AlreadyAssigned,
    actions.Conflict,
)
STAFF = ("agent", "supervisor", "other_supervisor", "admin")
SUPERVISING = ("supervisor", "other_supervisor", "admin")


def attempt(action: Any, **arguments: Any) -> None:
    with contextlib.suppress(*REFUSALS):
        action(**arguments)


def check_ticket(ticket: Ticket) -> None:
    number = ticket.number
    assert 1 <= ticket.priority <= 99, number
    if ticket.assignee is not None:
        assert ticket.assignee.is_active and ticket.assignee.staff is not None, number
    public = ticket.messages.filter(kind__in=(MessageKind.CUSTOMER, MessageKind.ANSWER))
    last = public.order_by("created_at", "id").last()
    assert last is not None, number
    assert ticket.is_answered == (last.kind == MessageKind.ANSWER), number
    assert (ticket.waiting_since is None) == ticket.is_answered, number
    assert (ticket.closed_at is not None) == (ticket.status in DONE_STATUSES), number
    versions = set(Event.objects.filter(ticket=ticket).values_list("version", flat=True))
    assert versions == set(range(1, ticket.version + 1)), (number, versions, ticket.version)


def test_any_sequence_of_actions_keeps_every_ticket_consistent(world: World) -> None:
    people = {name: getattr(world, name) for name in (*STAFF, "customer_a")}
    queues = [world.support, world.billing, world.sales]

    class Desk(RuleBasedStateMachine):
        tickets = Bundle("tickets")

        def __init__(self) -> None:
            super().__init__()
            # Each run starts from the shared people and queues and leaves nothing behind.
            self.transaction = transaction.atomic()
            self.transaction.__enter__()

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self.transaction.__exit__(None, None, None)

        @rule(target=tickets, queue=st.sampled_from(queues), by_customer=st.booleans())
        def open(self, queue: Any, by_customer: bool) -> int:
            ticket = actions.open_ticket(
                actor=people["customer_a"] if by_customer else MAIL_GATEWAY,
                title="Something broke",
                requester_email=world.customer_a.email,
                text="Please help.",
                type=TicketType.EMAIL,
                queue=queue,
                account=world.account_a,
            )
            return ticket.number

        @rule(number=tickets, by_mail=st.booleans())
        def customer_writes(self, number: int, by_mail: bool) -> None:
            actor = MAIL_GATEWAY if by_mail else people["customer_a"]
            attempt(actions.customer_reply, actor=actor, ticket=number, text="Any news?")

        @rule(number=tickets, who=st.sampled_from(STAFF), stale=st.booleans())
        def answer(self, number: int, who: str, stale: bool) -> None:
            attempt(
                actions.answer,
                actor=people[who],
                ticket=number,
                text="Done.",
                expected_version=1 if stale else None,
            )

        @rule(number=tickets, who=st.sampled_from(STAFF))
        def note(self, number: int, who: str) -> None:
            attempt(actions.add_note, actor=people[who], ticket=number, text="Checked.")

        @rule(number=tickets, who=st.sampled_from(SUPERVISING))
        def pick_up(self, number: int, who: str) -> None:
            attempt(actions.pick_up, actor=people[who], ticket=number)

        @rule(
            number=tickets,
            who=st.sampled_from(SUPERVISING),
            to=st.sampled_from((*STAFF, None)),
        )
        def assign(self, number: int, who: str, to: str | None) -> None:
            assignee = people[to] if to else None
            attempt(actions.assign, actor=people[who], ticket=number, assignee=assignee)

        @rule(number=tickets, who=st.sampled_from(STAFF))
        def release(self, number: int, who: str) -> None:
            attempt(actions.release, actor=people[who], ticket=number)

        @rule(
            number=tickets,
            who=st.sampled_from(STAFF),
            status=st.sampled_from([*Status.values, None]),
            priority=st.one_of(st.none(), st.integers(min_value=-5, max_value=105)),
            sticky=st.one_of(st.none(), st.booleans()),
        )
        def change(
            self, number: int, who: str, status: str | None, priority: int | None, sticky: Any
        ) -> None:
            attempt(
                actions.change,
                actor=people[who],
                ticket=number,
                status=status,
                priority=priority,
                is_sticky=sticky,
            )

        @rule(number=tickets, who=st.sampled_from(SUPERVISING), queue=st.sampled_from(queues))
        def move(self, number: int, who: str, queue: Any) -> None:
            attempt(actions.move, actor=people[who], ticket=number, queue=queue)

        @rule(number=tickets, who=st.sampled_from((*STAFF, "customer_a")))
        def close(self, number: int, who: str) -> None:
            attempt(actions.close, actor=people[who], ticket=number)

        @rule(number=tickets, who=st.sampled_from((*STAFF, "customer_a")))
        def reopen(self, number: int, who: str) -> None:
            attempt(actions.reopen, actor=people[who], ticket=number)

        @rule(number=consumes(tickets), who=st.sampled_from(SUPERVISING))
        def delete(self, number: int, who: str) -> None:
            attempt(actions.delete_permanently, actor=people[who], ticket=number)

        @invariant()
        def every_ticket_is_consistent(self) -> None:
            for ticket in Ticket.objects.select_related("assignee"):
                check_ticket(ticket)

    run_state_machine_as_test(
        Desk,
        settings=settings(
            max_examples=40,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
            database=None,
        ),
    )


@pytest.mark.parametrize("broken", ["answered", "waiting", "closed_at", "history"])
def test_the_invariants_catch_a_broken_ticket(world: World, broken: str) -> None:
    ticket = world.ticket(world.billing)
    if broken == "answered":
        Ticket.objects.filter(pk=ticket.pk).update(is_answered=True)
    elif broken == "waiting":
        Ticket.objects.filter(pk=ticket.pk).update(waiting_since=None)
    elif broken == "closed_at":
        Ticket.objects.filter(pk=ticket.pk).update(status=Status.CLOSED)
    else:
        Ticket.objects.filter(pk=ticket.pk).update(version=2)
    with pytest.raises(AssertionError):
        check_ticket(Ticket.objects.get(pk=ticket.pk))
