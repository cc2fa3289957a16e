"""Every change of a ticket sends its domain signal once it commits (tickets/signals.py).

The table below holds one scenario for every action of tickets.actions; an
action added without one fails ``test_every_action_has_a_scenario``, and a
scenario whose action writes history or a new version without a signal that
names those events fails ``test_each_action_sends_its_signal_on_commit``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.actors import ESCALATION, MAIL_GATEWAY
from tests.conftest import SETUP, World
from tickets import actions, signals
from tickets.due_times import DueTimes, store_many_due_times
from tickets.models import Event, Status, Ticket, TicketType


@dataclass(frozen=True)
class Scenario:
    kind: str
    act: Callable[[World, Ticket], object]
    prepare: Callable[[World, Ticket], object] = lambda world, ticket: None
    # An action on two tickets (merge, split) announces the other one too: its kind.
    other: str = ""


def _escalating(world: World, ticket: Ticket) -> None:
    world.billing.escalation_step = 10
    world.billing.escalation_interval = timedelta(hours=1)
    world.billing.save()


def _near_a_due_time(world: World, ticket: Ticket) -> None:
    world.billing.escalation_step = 10
    world.billing.escalation_follows_service_level = True
    world.billing.save()
    store_many_due_times({ticket.pk: DueTimes(resolution=timezone.now() + timedelta(minutes=30))})


SCENARIOS: dict[str, Scenario] = {
    "open_ticket": Scenario(
        "opened",
        lambda world, ticket: actions.open_ticket(
            actor=MAIL_GATEWAY,
            title="Another one",
            requester_email="carol@c.example",
            text="Hello",
            type=TicketType.EMAIL,
        ),
    ),
    "customer_reply": Scenario(
        "customer_replied",
        lambda world, ticket: actions.customer_reply(
            actor=world.customer_a, ticket=ticket, text="Any news?"
        ),
    ),
    "answer": Scenario(
        "answered",
        lambda world, ticket: actions.answer(actor=world.supervisor, ticket=ticket, text="Done."),
    ),
    "add_note": Scenario(
        "note_added",
        lambda world, ticket: actions.add_note(actor=world.supervisor, ticket=ticket, text="Hm."),
    ),
    "pick_up": Scenario(
        "picked_up", lambda world, ticket: actions.pick_up(actor=world.supervisor, ticket=ticket)
    ),
    "assign": Scenario(
        "assigned",
        lambda world, ticket: actions.assign(
            actor=world.supervisor, ticket=ticket, assignee=world.agent
        ),
    ),
    "release": Scenario(
        "released",
        lambda world, ticket: actions.release(actor=world.supervisor, ticket=ticket),
        lambda world, ticket: actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent),
    ),
    "change": Scenario(
        "properties_changed",
        lambda world, ticket: actions.change(
            actor=world.supervisor, ticket=ticket, priority=80, is_sticky=True
        ),
    ),
    "change_details": Scenario(
        "properties_changed",
        lambda world, ticket: actions.change_details(
            actor=world.supervisor, ticket=ticket, title="Renamed"
        ),
    ),
    "change_account": Scenario(
        "account_changed",
        lambda world, ticket: actions.change_account(
            actor=world.supervisor, ticket=ticket, account=world.account_b
        ),
    ),
    "move": Scenario(
        "moved",
        lambda world, ticket: actions.move(
            actor=world.supervisor, ticket=ticket, queue=world.support
        ),
    ),
    "close": Scenario(
        "closed", lambda world, ticket: actions.close(actor=world.customer_a, ticket=ticket)
    ),
    # The forms for many tickets of a mass action's batch, here on one.
    "close_each": Scenario(
        "closed",
        lambda world, ticket: actions.close_each(
            actor=world.supervisor, selection=[(ticket.number, None)]
        ),
    ),
    "assign_each": Scenario(
        "assigned",
        lambda world, ticket: actions.assign_each(
            actor=world.supervisor, selection=[(ticket.number, None)], assignee=world.agent
        ),
    ),
    "change_priority_each": Scenario(
        "properties_changed",
        lambda world, ticket: actions.change_priority_each(
            actor=world.supervisor, selection=[(ticket.number, ticket.version)], priority=77
        ),
    ),
    "move_each": Scenario(
        "moved",
        lambda world, ticket: actions.move_each(
            actor=world.supervisor, selection=[(ticket.number, None)], queue=world.support
        ),
    ),
    "reopen": Scenario(
        "reopened",
        lambda world, ticket: actions.reopen(actor=world.supervisor, ticket=ticket),
        lambda world, ticket: actions.close(actor=SETUP, ticket=ticket),
    ),
    "undo_close": Scenario(
        "reopened",
        lambda world, ticket: actions.undo_close(
            actor=world.supervisor,
            ticket=ticket,
            expected_version=Ticket.objects.get(pk=ticket.pk).version,
        ),
        lambda world, ticket: actions.close(actor=world.supervisor, ticket=ticket),
    ),
    "undo_close_each": Scenario(
        "reopened",
        lambda world, ticket: actions.undo_close_each(
            actor=world.supervisor,
            selection=[(ticket.number, Ticket.objects.get(pk=ticket.pk).version)],
        ),
        lambda world, ticket: actions.close(actor=world.supervisor, ticket=ticket),
    ),
    "delete_each": Scenario(
        "deleted",
        lambda world, ticket: actions.delete_each(
            actor=world.supervisor, selection=[(ticket.number, None)]
        ),
    ),
    "delete_permanently": Scenario(
        "deleted",
        lambda world, ticket: actions.delete_permanently(actor=world.supervisor, ticket=ticket),
    ),
    "escalate": Scenario(
        "escalated",
        lambda world, ticket: actions.escalate(
            ticket=ticket,
            expected_version=Ticket.objects.get(pk=ticket.pk).version,
            now=timezone.now() + timedelta(hours=2),
        ),
        _escalating,
    ),
    "escalate_before_breach": Scenario(
        "escalated",
        lambda world, ticket: actions.escalate_before_breach(
            ticket=ticket,
            expected_version=Ticket.objects.get(pk=ticket.pk).version,
            now=timezone.now(),
        ),
        _near_a_due_time,
    ),
    "add_system_note": Scenario(
        "system_note_added",
        lambda world, ticket: actions.add_system_note(
            actor=MAIL_GATEWAY,
            ticket=ticket,
            code="auto_reply",
            text="I am away.",
            author_email="alice@a.example",
        ),
    ),
    "record_system_event": Scenario(
        "system_event_recorded",
        lambda world, ticket: actions.record_system_event(
            actor=MAIL_GATEWAY, ticket=ticket, code="auto_mail_capped", new="alice@a.example"
        ),
    ),
    "record_decryption": Scenario(
        "decrypted",
        lambda world, ticket: actions.record_decryption(
            actor=world.supervisor, ticket=ticket, message=ticket.messages.get(), part=1
        ),
    ),
    "merge": Scenario(
        "merged",
        lambda world, ticket: actions.merge(
            actor=world.supervisor,
            ticket=ticket,
            into=Ticket.objects.exclude(pk=ticket.pk).latest("number"),
        ),
        lambda world, ticket: world.ticket(world.billing),
        other="merged",
    ),
    "split_off": Scenario(
        "split",
        lambda world, ticket: actions.split_off(
            actor=world.supervisor, ticket=ticket, message=ticket.messages.latest("pk")
        ),
        lambda world, ticket: actions.customer_reply(
            actor=MAIL_GATEWAY, ticket=ticket, text="And another thing."
        ),
        other="opened",
    ),
    "record_view_as": Scenario(
        "viewed_as_customer",
        lambda world, ticket: actions.record_view_as(
            actor=world.supervisor, ticket=ticket, customer="alice@a.example"
        ),
    ),
}


@pytest.fixture
def heard() -> Iterator[list[signals.TicketChange]]:
    """Every domain signal sent while the test runs, in order."""
    changes: list[signals.TicketChange] = []

    def listen(sender: Any, change: signals.TicketChange, **kwargs: Any) -> None:
        assert kwargs["signal"].kind == change.kind
        changes.append(change)

    for signal in signals.ALL:
        signal.connect(listen, weak=False, dispatch_uid="tests.heard")
    yield changes
    for signal in signals.ALL:
        signal.disconnect(dispatch_uid="tests.heard")


def test_every_action_has_a_scenario():
    public_actions = {
        name
        for name in actions.__all__
        if callable(getattr(actions, name)) and not isinstance(getattr(actions, name), type)
    }
    assert public_actions == set(SCENARIOS)


def test_every_signal_is_in_the_list_listeners_connect_to():
    declared = {
        value.kind for value in vars(signals).values() if isinstance(value, signals.DomainSignal)
    }
    assert declared == {signal.kind for signal in signals.ALL}
    assert {scenario.kind for scenario in SCENARIOS.values()} == declared


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_each_action_sends_its_signal_on_commit(
    world, media_root, heard, name, django_capture_on_commit_callbacks
):
    scenario = SCENARIOS[name]
    ticket = world.ticket(world.billing)
    scenario.prepare(world, ticket)
    before = Ticket.objects.get(pk=ticket.pk).version
    known = set(Event.objects.values_list("pk", flat=True))
    heard.clear()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = scenario.act(world, ticket)
    assert heard == [], "a domain signal was sent before the change committed"
    for callback in callbacks:
        callback()

    written = set(Event.objects.values_list("pk", flat=True)) - known
    kinds = [scenario.kind, scenario.other] if scenario.other else [scenario.kind]
    assert sorted(change.kind for change in heard) == sorted(kinds)
    number = result.number if isinstance(result, Ticket) and name == "open_ticket" else ticket.pk
    (change,) = [change for change in heard if change.number == number]
    assert change.kind == scenario.kind
    assert {pk for each in heard for pk in each.event_ids} == written
    for each in heard:
        written_for = Event.objects.filter(pk__in=each.event_ids)
        assert set(written_for.values_list("ticket", flat=True)) <= {each.number}
        assert each.codes == set(written_for.values_list("code", flat=True))
    after = Ticket.objects.filter(pk=number).values_list("version", flat=True).first()
    if name != "open_ticket":
        # A new version, or history written, or the ticket gone: each was announced.
        assert written or after is None or after != before


@pytest.mark.parametrize(
    ("actor", "who"),
    [
        ("supervisor", lambda world: (world.supervisor.pk, "")),
        (ESCALATION, lambda world: (None, "lifecycle:escalation")),
    ],
)
def test_the_signal_names_who_acted(world, heard, actor, who, django_capture_on_commit_callbacks):
    ticket = world.ticket(world.billing)
    person = getattr(world, actor) if isinstance(actor, str) else actor
    with django_capture_on_commit_callbacks(execute=True):
        actions.change(actor=person, ticket=ticket, priority=70)
    assert [(change.actor_id, change.system) for change in heard] == [who(world)]


def test_a_change_that_rolls_back_sends_nothing(world, heard, django_capture_on_commit_callbacks):
    ticket = world.ticket(world.billing)
    heard.clear()

    class Abandon(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Abandon),
        transaction.atomic(),
    ):
        actions.change(actor=world.supervisor, ticket=ticket, priority=70)
        raise Abandon
    assert heard == []


@pytest.mark.parametrize(
    "no_change",
    [
        lambda world, ticket: actions.change(actor=world.supervisor, ticket=ticket, priority=50),
        lambda world, ticket: actions.reopen(actor=world.supervisor, ticket=ticket),
        lambda world, ticket: actions.move(
            actor=world.supervisor, ticket=ticket, queue=world.billing
        ),
    ],
    ids=["same priority", "reopen an open ticket", "move to its own queue"],
)
def test_nothing_changed_nothing_sent(world, heard, no_change, django_capture_on_commit_callbacks):
    ticket = world.ticket(world.billing)
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        no_change(world, ticket)
    assert heard == []
    assert Ticket.objects.get(pk=ticket.pk).version == 1


def test_a_failing_listener_is_logged_and_the_others_still_hear(
    world, heard, caplog, django_capture_on_commit_callbacks
):
    def broken(sender: Any, change: signals.TicketChange, **kwargs: Any) -> None:
        raise RuntimeError("index unavailable")

    signals.closed.connect(broken, weak=False, dispatch_uid="tests.broken")
    try:
        ticket = world.ticket(world.billing)
        with (
            caplog.at_level(logging.ERROR, logger="tickets.signals"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            actions.close(actor=world.supervisor, ticket=ticket)
    finally:
        signals.closed.disconnect(dispatch_uid="tests.broken")
    assert [change.kind for change in heard if change.kind == "closed"] == ["closed"]
    assert Ticket.objects.get(pk=ticket.pk).status == Status.CLOSED
    assert "index unavailable" in caplog.text


@pytest.fixture
def heard_together() -> Iterator[list[list[tuple[str, int]]]]:
    """What the receivers of ``signals.committed`` got, one list per sending."""
    sendings: list[list[tuple[str, int]]] = []

    def listen(sender: Any, changes: list[signals.Sent], **kwargs: Any) -> None:
        sendings.append([(signal.kind, change.number) for signal, change in changes])

    signals.committed.connect(listen, weak=False, dispatch_uid="tests.together")
    yield sendings
    signals.committed.disconnect(dispatch_uid="tests.together")


class Refused(Exception):
    pass


@pytest.mark.parametrize("batched", [False, True])
def test_a_batch_comes_as_one_list_without_what_its_savepoints_rolled_back(
    world, heard, heard_together, batched, django_capture_on_commit_callbacks
):
    first, second, third = (world.ticket(world.billing) for _ in range(3))
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with signals.batch() if batched else transaction.atomic():
            actions.close(actor=world.supervisor, ticket=first)
            with pytest.raises(Refused), transaction.atomic():
                actions.close(actor=world.supervisor, ticket=second)
                raise Refused
            actions.change(actor=world.supervisor, ticket=third, priority=70)
        assert heard == [] and heard_together == [], "sent before the commit"
    together = [("closed", first.pk), ("properties_changed", third.pk)]
    assert heard_together == ([together] if batched else [[each] for each in together])
    # The kinds' own signals still come one change at a time.
    assert [(change.kind, change.number) for change in heard] == together
