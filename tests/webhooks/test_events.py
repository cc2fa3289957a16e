"""Each kind of event is queued, with its payload, once the domain action commits,
and nothing is queued when the action's transaction rolls back."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.actors import MAIL_GATEWAY
from tests.conftest import SETUP, World, set_helpdesk
from tickets import actions, signals
from tickets.models import Event, Ticket, TicketType
from webhooks import outbox
from webhooks.models import Delivery, EventKind, Webhook


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """Deliveries handed to the worker (not sent: these tests look at what is queued)."""
    handed: list[int] = []
    monkeypatch.setattr(outbox, "enqueue", handed.append)
    return handed


@pytest.fixture
def hook(db) -> Webhook:
    return Webhook.objects.create(
        name="Everything", url="https://hooks.example/in", event_kinds=list(EventKind.values)
    )


def payloads(kind: str | None = None) -> list[dict[str, Any]]:
    rows = Delivery.objects.order_by("id")
    if kind:
        rows = rows.filter(kind=kind)
    return [json.loads(row.body) for row in rows]


def last_event(ticket: Ticket, code: str) -> Event:
    return Event.objects.filter(ticket_id=ticket.pk, code=code).latest("id")


Act = Callable[[World, Ticket], Any]

CASES: dict[str, tuple[Act, list[str]]] = {
    "customer reply": (
        lambda world, ticket: actions.customer_reply(
            actor=world.customer_a, ticket=ticket, text="Any news?"
        ),
        [EventKind.CUSTOMER_REPLIED],
    ),
    "answer": (
        lambda world, ticket: actions.answer(actor=world.supervisor, ticket=ticket, text="Done."),
        [EventKind.ANSWERED],
    ),
    "pick up": (
        lambda world, ticket: actions.pick_up(actor=world.supervisor, ticket=ticket),
        [EventKind.ASSIGNED, EventKind.STATUS_CHANGED],
    ),
    "assign": (
        lambda world, ticket: actions.assign(
            actor=world.supervisor, ticket=ticket, assignee=world.agent
        ),
        [EventKind.ASSIGNED, EventKind.STATUS_CHANGED],
    ),
    "status change": (
        lambda world, ticket: actions.change(
            actor=world.supervisor, ticket=ticket, status="on_hold"
        ),
        [EventKind.STATUS_CHANGED],
    ),
    "move": (
        lambda world, ticket: actions.move(
            actor=world.supervisor, ticket=ticket, queue=world.support
        ),
        [EventKind.MOVED],
    ),
    "close": (
        lambda world, ticket: actions.close(actor=world.supervisor, ticket=ticket),
        [EventKind.STATUS_CHANGED, EventKind.CLOSED],
    ),
    "a note": (
        lambda world, ticket: actions.add_note(actor=world.supervisor, ticket=ticket, text="Hm."),
        [],
    ),
    "priority": (
        lambda world, ticket: actions.change(actor=world.supervisor, ticket=ticket, priority=90),
        [],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_change_queues_its_events_after_the_commit(
    world, hook, queued, name, django_capture_on_commit_callbacks
):
    act, kinds = CASES[name]
    set_helpdesk(auto_close_days=-1)  # an answer only answers (0 closes: a test below)
    ticket = world.ticket(world.billing)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        act(world, ticket)
    assert not Delivery.objects.exists(), "queued before the change committed"
    for callback in callbacks:
        callback()
    assert list(Delivery.objects.order_by("id").values_list("kind", flat=True)) == kinds


def run_on_commit(django_capture_on_commit_callbacks, act: Callable[[], Any]) -> Any:
    with django_capture_on_commit_callbacks(execute=True):
        return act()


def test_opening_a_ticket_queues_created_with_the_ticket(
    world, hook, queued, django_capture_on_commit_callbacks
):
    ticket = run_on_commit(
        django_capture_on_commit_callbacks,
        lambda: actions.open_ticket(
            actor=MAIL_GATEWAY,
            title="Invoice twice",
            requester_email=world.customer_a.email,
            text="Charged twice.",
            type=TicketType.EMAIL,
            queue=world.billing,
            account=world.account_a,
        ),
    )
    (payload,) = payloads()
    assert payload["type"] == "ticket.created"
    assert payload["history_event_id"] == last_event(ticket, "created").pk
    assert payload["actor"] == {"type": "system", "code": MAIL_GATEWAY.code}
    assert payload["ticket"] == {
        "number": ticket.number,
        "title": "Invoice twice",
        "status": "new",
        "priority": ticket.priority,
        "type": "email",
        "queue": {"id": world.billing.pk, "name": "Billing"},
        "assignee": None,
        "account": {"id": world.account_a.pk, "name": "Account A", "external_id": "A-1"},
        "requester_email": world.customer_a.email,
        "is_answered": False,
        "version": ticket.version,
        "created_at": ticket.created_at.isoformat(),
        "modified_at": ticket.modified_at.isoformat(),
        "url": f"https://desk.example/panel/tickets/{ticket.number}/",
    }
    assert queued == list(Delivery.objects.values_list("pk", flat=True))


def test_a_customer_reply_names_its_history_event_and_who_wrote(
    world, hook, queued, django_capture_on_commit_callbacks
):
    ticket = world.ticket(world.billing)
    run_on_commit(
        django_capture_on_commit_callbacks,
        lambda: actions.customer_reply(actor=world.customer_a, ticket=ticket, text="Any news?"),
    )
    (payload,) = payloads()
    assert payload["type"] == "ticket.customer_replied"
    assert payload["history_event_id"] == last_event(ticket, "customer_message").pk
    assert payload["history_event_id"] in payload["history_event_ids"]
    assert payload["actor"] == {"type": "person", "id": world.customer_a.pk}


def test_an_assignment_says_from_whom_to_whom(
    world, hook, queued, django_capture_on_commit_callbacks
):
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(world.billing), assignee=world.agent)
    run_on_commit(
        django_capture_on_commit_callbacks,
        lambda: actions.assign(actor=world.supervisor, ticket=ticket, assignee=world.supervisor),
    )
    (payload,) = payloads(EventKind.ASSIGNED)
    assert payload["history_event_id"] == last_event(ticket, "assignee").pk
    assert payload["change"] == {
        "from": {"id": world.agent.pk, "name": str(last_event(ticket, "assignee").old)},
        "to": {"id": world.supervisor.pk, "name": str(last_event(ticket, "assignee").new)},
    }
    assert payload["ticket"]["assignee"] == {
        "id": world.supervisor.pk,
        "name": world.supervisor.full_name,
        "email": world.supervisor.email,
    }


def test_a_release_is_an_assignment_to_nobody(
    world, hook, queued, django_capture_on_commit_callbacks
):
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(world.billing), assignee=world.agent)
    run_on_commit(
        django_capture_on_commit_callbacks,
        lambda: actions.release(actor=world.supervisor, ticket=ticket),
    )
    (payload,) = payloads(EventKind.ASSIGNED)
    assert payload["change"]["to"] is None
    assert payload["ticket"]["assignee"] is None


def test_a_move_names_both_queues(world, hook, queued, django_capture_on_commit_callbacks):
    ticket = world.ticket(world.billing)
    run_on_commit(
        django_capture_on_commit_callbacks,
        lambda: actions.move(actor=world.supervisor, ticket=ticket, queue=world.support),
    )
    (payload,) = payloads(EventKind.MOVED)
    assert payload["change"] == {
        "from": {"id": world.billing.pk, "name": "Billing"},
        "to": {"id": world.support.pk, "name": "Support"},
    }
    assert payload["ticket"]["queue"] == {"id": world.support.pk, "name": "Support"}


def test_a_status_change_and_a_close_say_from_what_to_what(
    world, hook, queued, django_capture_on_commit_callbacks
):
    ticket = world.ticket(world.billing)
    run_on_commit(
        django_capture_on_commit_callbacks,
        lambda: actions.close(actor=world.supervisor, ticket=ticket),
    )
    changed, closed = payloads()
    assert (changed["type"], closed["type"]) == ("ticket.status_changed", "ticket.closed")
    assert changed["change"] == closed["change"] == {"from": "new", "to": "closed"}
    assert changed["history_event_id"] == last_event(ticket, "status").pk
    assert changed["id"] != closed["id"]


def test_an_answer_that_closes_the_ticket_is_also_a_close(
    world, hook, queued, django_capture_on_commit_callbacks
):
    set_helpdesk(auto_close_days=0)
    ticket = world.ticket(world.billing)
    run_on_commit(
        django_capture_on_commit_callbacks,
        lambda: actions.answer(actor=world.supervisor, ticket=ticket, text="Done."),
    )
    assert [payload["type"] for payload in payloads()] == [
        "ticket.answered",
        "ticket.status_changed",
        "ticket.closed",
    ]


def test_a_webhook_gets_only_the_events_it_asked_for(
    world, queued, django_capture_on_commit_callbacks
):
    closes = Webhook.objects.create(
        name="Closes", url="https://hooks.example/c", event_kinds=[EventKind.CLOSED]
    )
    Webhook.objects.create(
        name="Off", url="https://hooks.example/o", event_kinds=[EventKind.CLOSED], is_active=False
    )
    ticket = world.ticket(world.billing)
    run_on_commit(
        django_capture_on_commit_callbacks,
        lambda: actions.close(actor=world.supervisor, ticket=ticket),
    )
    assert list(Delivery.objects.values_list("webhook", "kind")) == [(closes.pk, "ticket.closed")]


def test_nothing_is_queued_when_the_change_rolls_back(
    world, hook, queued, django_capture_on_commit_callbacks
):
    ticket = world.ticket(world.billing)

    class Abandon(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Abandon),
        transaction.atomic(),
    ):
        actions.close(actor=world.supervisor, ticket=ticket)
        actions.answer(actor=world.supervisor, ticket=ticket, text="Done.")
        raise Abandon
    assert not Delivery.objects.exists()
    assert queued == []


def test_a_deleted_ticket_queues_nothing(world, hook, queued, django_capture_on_commit_callbacks):
    ticket = world.ticket(world.billing)
    run_on_commit(
        django_capture_on_commit_callbacks,
        lambda: actions.delete_permanently(actor=world.supervisor, ticket=ticket),
    )
    assert not Delivery.objects.exists()


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_change_queues_nothing_when_its_transaction_rolls_back(
    world, hook, queued, name, django_capture_on_commit_callbacks
):
    act, _ = CASES[name]
    ticket = world.ticket(world.billing)

    class Abandon(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Abandon),
        transaction.atomic(),
    ):
        act(world, ticket)
        raise Abandon
    assert not Delivery.objects.exists()


def test_an_answer_names_the_answer_in_the_history(
    world, hook, queued, django_capture_on_commit_callbacks
):
    set_helpdesk(auto_close_days=-1)
    ticket = world.ticket(world.billing)
    run_on_commit(
        django_capture_on_commit_callbacks,
        lambda: actions.answer(actor=world.supervisor, ticket=ticket, text="Done."),
    )
    (payload,) = payloads()
    assert payload["type"] == "ticket.answered"
    assert payload["history_event_id"] == last_event(ticket, "answer").pk
    assert payload["actor"] == {"type": "person", "id": world.supervisor.pk}
    assert payload["ticket"]["is_answered"] is True
    assert payload["change"] is None


def test_a_batch_of_changes_reads_the_webhooks_once_and_queues_each_ticket_s_events(
    world, hook, queued, django_capture_on_commit_callbacks
):
    tickets = [world.ticket(world.billing) for _ in range(3)]
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        transaction.atomic(),
        signals.batch(),
    ):
        for ticket in tickets:
            actions.close(actor=world.supervisor, ticket=ticket)
    with CaptureQueriesContext(connection) as read:
        for callback in callbacks:
            callback()
    reads = [q["sql"] for q in read.captured_queries if 'FROM "webhooks_webhook"' in q["sql"]]
    assert len(reads) == 1
    closed = Delivery.objects.filter(kind=EventKind.CLOSED).values_list("ticket_number", flat=True)
    assert sorted(closed) == sorted(ticket.number for ticket in tickets)
