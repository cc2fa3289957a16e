"""Deliveries reach a real receiver on loopback: signed, retried, in order, bounded."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.conftest import SETUP
from tests.webhooks.conftest import make_hook
from tickets import actions
from webhooks import outbox, sending
from webhooks.models import Attempt, Delivery, DeliveryState, EventKind

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Runs the after-commit work (domain signals, then the worker's task) of a block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_delivery_arrives_signed_with_its_event_and_ticket(world, receiver, on_commit):
    make_hook(receiver, "/hook", EventKind.ANSWERED)
    ticket = world.ticket(world.billing)
    with on_commit():
        actions.answer(actor=world.supervisor, ticket=ticket, text="Done.")

    (request,) = receiver.to("/hook")
    assert request.verified
    assert request.headers["Frontdesk-Event"] == "ticket.answered"
    assert request.headers["Content-Type"] == "application/json"
    payload = json.loads(request.body)
    assert payload["type"] == "ticket.answered"
    assert payload["ticket"]["number"] == ticket.number
    assert request.headers["Frontdesk-Event-Id"] == payload["id"]
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (
        DeliveryState.DELIVERED,
        1,
        200,
    )
    (attempt,) = Attempt.objects.all()
    assert (attempt.status_code, attempt.response_body, attempt.address) == (200, "ok", "127.0.0.1")


def test_a_signature_made_with_another_secret_does_not_verify(receiver):
    body = b'{"type":"ticket.created"}'
    good = sending.signature(receiver.secret, int(START.timestamp()), body)
    with time_machine.travel(START, tick=False):
        assert receiver.verify(good, body)
        assert not receiver.verify(
            sending.signature("whsec_other", int(START.timestamp()), body), body
        )
        assert not receiver.verify(good, body + b" ")
    # An old signature (a replayed request) is refused by the time check.
    with time_machine.travel(START + timedelta(minutes=10), tick=False):
        assert not receiver.verify(good, body)


def test_a_failing_receiver_gets_it_again_after_growing_waits(world, receiver, on_commit):
    make_hook(receiver, "/hook", EventKind.CLOSED)
    receiver.script("/hook", 500, 503, 200)
    ticket = world.ticket(world.billing)
    with time_machine.travel(START, tick=False) as clock:
        with on_commit():
            actions.close(actor=world.supervisor, ticket=ticket)
        delivery = Delivery.objects.get()
        assert (delivery.state, delivery.attempts) == (DeliveryState.QUEUED, 1)
        assert delivery.next_attempt_at == START + timedelta(seconds=30)
        assert delivery.last_error == "The receiver answered 500."

        clock.shift(29)
        assert outbox.sweep() == 0
        assert len(receiver.to("/hook")) == 1
        clock.shift(2)
        assert outbox.sweep() == 0
        delivery.refresh_from_db()
        # Twice as long after the second failure.
        assert delivery.next_attempt_at == START + timedelta(seconds=31 + 60)
        clock.shift(59)
        assert outbox.sweep() == 0
        assert len(receiver.to("/hook")) == 2
        clock.shift(2)
        assert outbox.sweep() == 1

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    attempts = list(delivery.tries.values_list("status_code", "response_body"))
    assert attempts == [(500, "receiver says no"), (503, "receiver says no"), (200, "ok")]
    assert all(request.verified for request in receiver.to("/hook"))
    # The same event each time: a receiver can tell a repeat.
    assert len({request.headers["Frontdesk-Event-Id"] for request in receiver.to("/hook")}) == 1


def test_a_delivery_that_keeps_failing_stops_after_the_last_attempt(
    world, receiver, on_commit, settings
):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    make_hook(receiver, "/hook", EventKind.CLOSED)
    receiver.script("/hook", 500, 500, 500)
    ticket = world.ticket(world.billing)
    with time_machine.travel(START, tick=False) as clock:
        with on_commit():
            actions.close(actor=world.supervisor, ticket=ticket)
        clock.shift(3600)
        outbox.sweep()
        clock.shift(3600)
        assert outbox.sweep() == 0
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == (DeliveryState.FAILED, 2)
    assert len(receiver.to("/hook")) == 2


def test_backoff_doubles_up_to_its_cap(settings):
    settings.WEBHOOK_BACKOFF = 30
    settings.WEBHOOK_BACKOFF_CAP = 600
    assert [outbox.backoff_after(n) for n in range(1, 8)] == [30, 60, 120, 240, 480, 600, 600]


def test_a_later_event_of_a_ticket_waits_for_an_earlier_one_that_is_retrying(
    world, receiver, on_commit
):
    make_hook(receiver, "/hook", EventKind.ASSIGNED, EventKind.CLOSED)
    receiver.script("/hook", 500)
    first, other = world.ticket(world.billing), world.ticket(world.billing)
    with time_machine.travel(START, tick=False) as clock:
        with on_commit():
            actions.assign(actor=world.supervisor, ticket=first, assignee=world.agent)
        with on_commit():
            actions.close(actor=world.supervisor, ticket=first)
        with on_commit():
            actions.close(actor=world.supervisor, ticket=other)
        # The assignment failed; the close of the same ticket was not sent after it,
        # the other ticket's close was.
        sent = [json.loads(request.body) for request in receiver.to("/hook")]
        assert [(p["type"], p["ticket"]["number"]) for p in sent] == [
            ("ticket.assigned", first.number),
            ("ticket.closed", other.number),
        ]
        waiting = Delivery.objects.get(ticket_number=first.number, kind=EventKind.CLOSED)
        assert (waiting.state, waiting.attempts) == (DeliveryState.QUEUED, 0)
        # Even when asked to, it does not go before its turn.
        assert not outbox.deliver(waiting.pk)

        clock.shift(31)
        outbox.sweep()

    sent = [json.loads(request.body) for request in receiver.to("/hook")]
    assert [(p["type"], p["ticket"]["number"]) for p in sent] == [
        ("ticket.assigned", first.number),
        ("ticket.closed", other.number),
        ("ticket.assigned", first.number),
        ("ticket.closed", first.number),
    ]
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.DELIVERED}


def test_a_redirect_is_not_followed(world, receiver, on_commit):
    make_hook(receiver, "/moved", EventKind.CLOSED)
    receiver.script("/moved", ("redirect", receiver.url("/landing")))
    ticket = world.ticket(world.billing)
    with on_commit():
        actions.close(actor=world.supervisor, ticket=ticket)
    assert receiver.to("/landing") == []
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.last_status) == (DeliveryState.QUEUED, 302)


def test_a_receiver_that_does_not_answer_times_out(world, receiver, on_commit):
    make_hook(receiver, "/slow", EventKind.CLOSED)
    receiver.script("/slow", ("sleep", 3))
    ticket = world.ticket(world.billing)
    with on_commit():
        actions.close(actor=world.supervisor, ticket=ticket)
    (attempt,) = Attempt.objects.all()
    assert attempt.status_code is None
    assert attempt.error == "Timed out waiting for the receiver."
    assert 400 <= attempt.duration_ms < 1500
    assert Delivery.objects.get().state == DeliveryState.QUEUED


def test_a_receiver_trickling_its_answer_is_cut_off_at_the_total_time(world, receiver, on_commit):
    make_hook(receiver, "/trickle", EventKind.CLOSED)
    # A byte every 0.1 s never trips the read timeout (0.5 s); the total time (1.5 s) ends it.
    receiver.script("/trickle", ("trickle", 0.1))
    ticket = world.ticket(world.billing)
    with on_commit():
        actions.close(actor=world.supervisor, ticket=ticket)
    (attempt,) = Attempt.objects.all()
    assert attempt.status_code is None
    assert attempt.error == "No complete answer within 1.5 seconds."
    assert 1400 <= attempt.duration_ms < 2500


def test_only_the_first_bytes_of_a_huge_answer_are_read(world, receiver, on_commit):
    make_hook(receiver, "/huge", EventKind.CLOSED)
    receiver.script("/huge", ("huge", 64 * 1024 * 1024))
    ticket = world.ticket(world.billing)
    with on_commit():
        actions.close(actor=world.supervisor, ticket=ticket)
    (attempt,) = Attempt.objects.all()
    assert attempt.status_code == 200
    assert attempt.response_body == "y" * sending.RESPONSE_KEPT
    assert attempt.duration_ms < 1500
    assert Delivery.objects.get().state == DeliveryState.DELIVERED


def test_an_inactive_webhook_is_sent_nothing(world, receiver, on_commit):
    make_hook(receiver, "/hook", EventKind.CLOSED, is_active=False)
    ticket = world.ticket(world.billing)
    with on_commit():
        actions.close(actor=world.supervisor, ticket=ticket)
    assert receiver.requests == []
    assert not Delivery.objects.exists()


def test_a_crashed_sender_leaves_the_delivery_to_the_sweep_after_its_lease(
    world, receiver, settings
):
    hook = make_hook(receiver, "/hook", EventKind.CLOSED)
    ticket = world.ticket(world.billing)
    actions.close(actor=SETUP, ticket=ticket)
    with time_machine.travel(START, tick=False) as clock:
        delivery = Delivery.objects.create(
            webhook=hook,
            kind=EventKind.CLOSED,
            ticket_number=ticket.number,
            body="{}",
            state=DeliveryState.SENDING,
            claimed_until=START + timedelta(seconds=60),
            attempts=1,
        )
        assert outbox.sweep() == 0
        clock.shift(61)
        assert outbox.sweep() == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.DELIVERED, 2)


def test_a_slow_receiver_costs_one_attempt_not_one_per_delivery(world, receiver, on_commit):
    """After an attempt that took the whole read timeout the webhook waits, so a
    receiver that hangs cannot hold the worker's threads delivery after delivery."""
    hook = make_hook(receiver, "/slow", EventKind.CLOSED)
    receiver.script("/slow", ("sleep", 3))
    tickets = [world.ticket(world.billing) for _ in range(3)]
    with time_machine.travel(START, tick=False) as clock:
        for ticket in tickets:
            with on_commit():
                actions.close(actor=world.supervisor, ticket=ticket)
        assert Attempt.objects.count() == 1
        assert len(receiver.to("/slow")) == 1
        hook.refresh_from_db()
        assert (hook.slow_in_row, hook.paused_until) == (1, START + timedelta(seconds=30))
        assert outbox.sweep() == 0
        assert Attempt.objects.count() == 1

        # The receiver answers quickly again: after the pause everything goes out.
        clock.shift(31)
        assert outbox.sweep() == 3
    hook.refresh_from_db()
    assert (hook.slow_in_row, hook.paused_until) == (0, None)
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.DELIVERED}


def test_a_quick_failure_pauses_nothing(world, receiver, on_commit):
    hook = make_hook(receiver, "/hook", EventKind.CLOSED)
    receiver.script("/hook", 500)
    first, second = world.ticket(world.billing), world.ticket(world.billing)
    with on_commit():
        actions.close(actor=world.supervisor, ticket=first)
    with on_commit():
        actions.close(actor=world.supervisor, ticket=second)
    hook.refresh_from_db()
    assert (hook.slow_in_row, hook.paused_until) == (0, None)
    assert [a.status_code for a in Attempt.objects.order_by("id")] == [500, 200]


def test_control_characters_of_an_answer_are_not_kept(world, receiver, on_commit):
    make_hook(receiver, "/hook", EventKind.CLOSED)
    receiver.script("/hook", ("body", 400, b"bad\x00 request\x1b[31m\nsee \xff docs"))
    ticket = world.ticket(world.billing)
    with on_commit():
        actions.close(actor=world.supervisor, ticket=ticket)
    (attempt,) = Attempt.objects.all()
    assert (attempt.status_code, attempt.response_body) == (400, "bad request[31m\nsee \ufffd docs")
