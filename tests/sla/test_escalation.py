"""Escalation that follows the service level: a rise shortly before a due time,
once, in the history, and the assignee and the queue's supervisors told."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.actors import MAIL_GATEWAY
from sla import warnings
from tests.sla.conftest import at, berlin
from tickets import actions, lifecycle
from tickets.models import Ticket

MONDAY_10 = berlin(2026, 3, 2, 10, 0)
MINUTE = timedelta(minutes=1)


@pytest.fixture
def following(levels, on_commit):
    """Billing (first response 30 minutes, every minute counts) rises 10 within
    15 minutes of a due time; the supervisor of billing is told."""
    levels.billing.escalation_step = 10
    levels.billing.escalation_follows_service_level = True
    levels.billing.escalation_warning_minutes = 15
    levels.billing.save()
    return levels


def opened(world, on_commit) -> Ticket:
    with at(MONDAY_10), on_commit():
        ticket = actions.open_ticket(
            actor=MAIL_GATEWAY,
            title="Invoice",
            requester_email=world.customer_a.email,
            text="Wrong amount.",
            type="email",
            queue=world.billing,
        )
    return ticket


def escalate_at(moment, on_commit) -> int:
    with at(moment), on_commit():
        return lifecycle.escalate_before_breaches()


def rises(ticket: Ticket) -> list[tuple[str, str, str]]:
    return list(
        ticket.events.filter(code="escalation").order_by("id").values_list("old", "new", "system")
    )


def test_nothing_rises_before_the_warning_window(following, on_commit):
    ticket = opened(following, on_commit)
    assert escalate_at(MONDAY_10 + 14 * MINUTE, on_commit) == 0
    assert rises(ticket) == []


def test_a_ticket_in_the_window_rises_once_and_it_is_in_the_history(following, on_commit):
    ticket = opened(following, on_commit)
    assert escalate_at(MONDAY_10 + 16 * MINUTE, on_commit) == 1
    assert escalate_at(MONDAY_10 + 20 * MINUTE, on_commit) == 0
    assert rises(ticket) == [("50", "60", "lifecycle:escalation")]
    stored = Ticket.objects.get(pk=ticket.pk)
    assert stored.priority == 60
    assert stored.modified_at == MONDAY_10


def test_the_next_due_time_brings_the_next_rise(following, on_commit):
    ticket = opened(following, on_commit)
    escalate_at(MONDAY_10 + 16 * MINUTE, on_commit)
    # Answered at 10:40, the customer writes back at 10:50: the resolution (240
    # minutes, 40 used) is due at 14:10.
    with at(MONDAY_10 + 40 * MINUTE), on_commit():
        actions.answer(actor=following.admin, ticket=ticket, text="Checking the amount.")
    with at(MONDAY_10 + 50 * MINUTE), on_commit():
        actions.customer_reply(actor=following.customer_a, ticket=ticket, text="Thanks, and?")
    assert Ticket.objects.get(pk=ticket.pk).next_due_at == berlin(2026, 3, 2, 14, 10)
    assert escalate_at(berlin(2026, 3, 2, 13, 50), on_commit) == 0
    assert escalate_at(berlin(2026, 3, 2, 13, 56), on_commit) == 1
    assert [new for _old, new, _who in rises(ticket)] == ["60", "70"]


def test_queues_that_do_not_follow_the_service_level_are_left_alone(following, on_commit):
    following.billing.escalation_follows_service_level = False
    following.billing.escalation_interval = timedelta(hours=1)
    following.billing.save()
    opened(following, on_commit)
    assert escalate_at(MONDAY_10 + 29 * MINUTE, on_commit) == 0


def test_the_interval_escalation_leaves_those_queues_alone(following, on_commit):
    following.billing.escalation_interval = timedelta(minutes=5)
    following.billing.save()
    ticket = opened(following, on_commit)
    with at(MONDAY_10 + 10 * MINUTE):
        assert lifecycle.escalate_due() == 0
    assert rises(ticket) == []


def test_the_assignee_and_the_queues_supervisors_are_told(following, on_commit, monkeypatch):
    told = []

    def notify(*, recipients, kind, ticket, text):
        told.append(([person.email for person in recipients], kind, ticket.pk, text))
        return len(told[-1][0])

    import notifications.api

    monkeypatch.setattr(notifications.api, "notify", notify)
    ticket = opened(following, on_commit)
    with at(MONDAY_10 + MINUTE), on_commit():
        actions.assign(actor=following.admin, ticket=ticket, assignee=following.agent)
    escalate_at(MONDAY_10 + 16 * MINUTE, on_commit)
    # One notification each: each reads the due time in their own time zone.
    assert [(people, kind, number) for people, kind, number, _text in told] == [
        ([following.agent.email], "sla_warning", ticket.pk),
        ([following.supervisor.email], "sla_warning", ticket.pk),
    ]
    assert f"#{ticket.pk}" in told[0][3]


def test_each_reads_the_due_time_in_their_own_time_zone_named(following, on_commit, monkeypatch):
    told = {}

    def notify(*, recipients, kind, ticket, text):
        told.update({person.email: text for person in recipients})
        return len(recipients)

    import notifications.api

    monkeypatch.setattr(notifications.api, "notify", notify)
    following.supervisor.time_zone = "Europe/Berlin"
    following.supervisor.save(update_fields=["time_zone"])
    ticket = opened(following, on_commit)
    with at(MONDAY_10 + MINUTE), on_commit():
        actions.assign(actor=following.admin, ticket=ticket, assignee=following.agent)
    escalate_at(MONDAY_10 + 16 * MINUTE, on_commit)
    # Due 30 minutes after 10:00 in Berlin: 09:30 UTC, the help desk's zone (the
    # agent chose none), and 10:30 CET for the supervisor in Berlin.
    assert "is due 2026-03-02 09:30 UTC and rose" in told[following.agent.email]
    assert "is due 2026-03-02 10:30 CET and rose" in told[following.supervisor.email]


def test_a_zone_without_an_abbreviation_is_named_by_its_offset():
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    with timezone.override(ZoneInfo("America/Sao_Paulo")):
        assert warnings.when(berlin(2026, 3, 2, 18, 0)) == "2026-03-02 14:00 UTC-03"


def test_without_the_notifications_app_nobody_is_told(following, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_notifications(name, *args, **kwargs):
        if name.startswith("notifications"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    ticket = Ticket(number=1, queue=following.billing, priority=60)
    monkeypatch.setattr(builtins, "__import__", no_notifications)
    assert warnings.tell(ticket) == 0
