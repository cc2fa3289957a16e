"""Choices are constrained in the database too: code that goes round the write
path still cannot store a status, type or priority the product does not know."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from tickets.models import HelpdeskSettings, Message, Queue, Ticket


@pytest.mark.parametrize(
    "values",
    [
        {"priority": 0},
        {"priority": 100},
        {"status": "bogus"},
        {"type": "fax"},
    ],
    ids=["priority-0", "priority-100", "status-bogus", "type-fax"],
)
def test_the_database_refuses_values_outside_the_choices(world, values):
    ticket = world.ticket()
    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.filter(pk=ticket.pk).update(**values)
    stored = Ticket.objects.values("priority", "status", "type").get(pk=ticket.pk)
    assert stored == {"priority": 50, "status": "new", "type": "email"}


@pytest.mark.parametrize("priority", [1, 99])
def test_the_database_accepts_priorities_at_both_ends(world, priority):
    ticket = world.ticket()
    Ticket.objects.filter(pk=ticket.pk).update(priority=priority)
    assert Ticket.objects.get(pk=ticket.pk).priority == priority


def test_the_database_refuses_an_unknown_message_kind(world):
    ticket = world.ticket()
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.filter(ticket=ticket).update(kind="gossip")


def test_there_is_one_default_queue_at_most(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Queue.objects.filter(pk=world.billing.pk).update(is_default=True)


def test_a_queue_that_escalates_needs_an_interval(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Queue.objects.filter(pk=world.billing.pk).update(escalation_step=5)


@pytest.mark.parametrize(
    "values", [{"id": 3}, {"auto_close_days": -2}, {"priority_high": 100}, {"priority_low": 0}]
)
def test_the_settings_are_one_row_with_sane_values(db, values):
    HelpdeskSettings.load()
    with pytest.raises(IntegrityError), transaction.atomic():
        HelpdeskSettings.objects.filter(pk=1).update(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        HelpdeskSettings.objects.create(id=2)
