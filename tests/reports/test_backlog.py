"""The backlog before a period: the monthly backlog of the months before it, and the
daily counts of its own month's days (reports.models.MonthlyBacklog)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command

from reports import queries
from reports.models import MonthlyBacklog
from reports.queries import Period
from tests.reports.conftest import at
from tickets import actions
from tickets.models import Ticket


def noon(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 12, tzinfo=UTC)


@pytest.fixture
def desk(world):
    """Billing: T1, T2, T3 in on 10 January, T1 closed on 20 January, T2 on 5 February,
    T4 in on 5 February, T5 on 3 March; T3 is the agent's. Sales: T6 in on 12 January,
    still open."""
    tickets = {}
    with at(noon(1, 10)):
        for name in ("t1", "t2", "t3"):
            tickets[name] = world.ticket(world.billing)
        actions.assign(actor=world.supervisor, ticket=tickets["t3"], assignee=world.agent)
    with at(noon(1, 12)):
        tickets["t6"] = world.ticket(world.sales)
    with at(noon(1, 20)):
        actions.close(actor=world.supervisor, ticket=tickets["t1"])
    with at(noon(2, 5)):
        actions.close(actor=world.supervisor, ticket=tickets["t2"])
        tickets["t4"] = world.ticket(world.billing)
    with at(noon(3, 3)):
        tickets["t5"] = world.ticket(world.billing)
    return tickets


def backlog(user, start: date, end: date | None = None, **kw) -> list[tuple[int, int, int]]:
    report = queries.report(user, Period(start=start, end=end or start, **kw))
    return [(slot.received, slot.closed, slot.backlog) for slot in report.slots]


def by_hand(day: date, queue=None, assignee=None) -> int:
    """Tickets received by the end of the day and not closed by then, from the tickets."""
    tickets = Ticket.objects.all()
    if queue is not None:
        tickets = tickets.filter(queue=queue)
    if assignee is not None:
        tickets = tickets.filter(assignee=assignee)
    return sum(
        1
        for ticket in tickets
        if ticket.created_at.date() <= day
        and (ticket.closed_at is None or ticket.closed_at.date() > day)
    )


@pytest.mark.parametrize(
    "start",
    [date(2026, 1, 1), date(2026, 1, 15), date(2026, 2, 1), date(2026, 2, 10), date(2026, 3, 3)],
    ids=str,
)
def test_the_backlog_of_any_day_equals_a_count_of_the_tickets(world, desk, start):
    assert backlog(world.admin, start)[0][2] == by_hand(start)
    billing = backlog(world.admin, start, queue=world.billing.pk)
    assert billing[0][2] == by_hand(start, queue=world.billing)
    # An agent's figures are their own tickets' (T3).
    assert backlog(world.agent, start)[0][2] == by_hand(start, assignee=world.agent)


def test_a_period_across_months_carries_the_backlog_from_one_to_the_next(world, desk):
    days = backlog(world.admin, date(2026, 1, 31), date(2026, 2, 6))
    # Before 31 January: T2, T3, T6 open. 5 February: T2 closed, T4 in.
    assert days[0] == (0, 0, 3)
    assert days[5] == (1, 1, 3)
    assert [slot[2] for slot in days] == [3, 3, 3, 3, 3, 3, 3]
    march = backlog(world.admin, date(2026, 3, 2), date(2026, 3, 3))
    assert march == [(0, 0, 3), (1, 0, 4)]


def test_a_reopened_ticket_is_in_the_backlog_again_and_a_move_moves_its_count(world, desk):
    with at(noon(3, 4)):
        actions.reopen(actor=world.supervisor, ticket=desk["t1"])
    # Reopened: never closed as the figures count it now, so open since January.
    assert backlog(world.admin, date(2026, 3, 5))[0][2] == by_hand(date(2026, 3, 5)) == 5
    with at(noon(3, 5)):
        actions.move(actor=world.admin, ticket=desk["t4"], queue=world.sales)
    billing = backlog(world.admin, date(2026, 3, 6), queue=world.billing.pk)[0][2]
    sales = backlog(world.admin, date(2026, 3, 6), queue=world.sales.pk)[0][2]
    assert (billing, sales) == (3, 2)


def _rows() -> list[tuple[date, int, int, int]]:
    return sorted(
        MonthlyBacklog.objects.exclude(count=0).values_list("month", "queue", "assignee", "count")
    )


def test_rebuilding_counts_what_following_the_changes_counted(world, desk):
    followed = _rows()
    # Three months; T3 is counted under the agent, the others under nobody (0).
    assert followed == [
        (date(2026, 1, 1), world.billing.pk, 0, 1),
        (date(2026, 1, 1), world.billing.pk, world.agent.pk, 1),
        (date(2026, 1, 1), world.sales.pk, 0, 1),
        (date(2026, 3, 1), world.billing.pk, 0, 1),
    ]
    MonthlyBacklog.objects.update(count=99)
    call_command("reports", "rebuild", "--batch-size", "2")
    assert _rows() == followed
