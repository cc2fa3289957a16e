"""Merge and split (S43) in the figures: both tickets' facts follow the change."""

from __future__ import annotations

from django.core.management import call_command

from reports.models import Tally, TicketFact
from tests.reports.conftest import DAY1, DAY2, DAY3, at, tally_counts
from tickets import actions


def received() -> int:
    return sum(Tally.objects.values_list("received", flat=True))


def test_a_merged_ticket_leaves_the_figures_and_its_answer_counts_for_the_survivor(world):
    with at(DAY1):
        survivor, merged = world.ticket(world.billing), world.ticket(world.billing)
    with at(DAY2):
        actions.answer(actor=world.supervisor, ticket=merged, text="Restart it.")
    assert received() == 2
    assert TicketFact.objects.get(number=survivor.pk).first_response_day is None

    with at(DAY3):
        actions.merge(actor=world.supervisor, ticket=merged, into=survivor)

    assert not TicketFact.objects.filter(number=merged.pk).exists()
    assert TicketFact.objects.get(number=survivor.pk).first_response_day == DAY2.date()
    assert received() == 1
    assert not Tally.objects.filter(closed__gt=0).exists()
    # Rebuilding from the tickets counts the same.
    followed = tally_counts()
    call_command("reports", "rebuild")
    assert tally_counts() == followed


def test_a_split_off_message_is_a_ticket_received_that_day(world):
    with at(DAY1):
        ticket = world.ticket(world.billing)
        actions.customer_reply(actor=world.customer_a, ticket=ticket, text="Another thing")
    with at(DAY2):
        new = actions.split_off(
            actor=world.supervisor, ticket=ticket, message=ticket.messages.last()
        )

    assert TicketFact.objects.get(number=new.pk).created_day == DAY2.date()
    assert received() == 2
