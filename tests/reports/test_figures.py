"""The report's figures against hand counts of a small desk (tests/reports/desk.py)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from reports import facts, queries
from reports.models import Tally, TicketFact
from reports.queries import Period
from tests.reports import desk
from tests.reports.conftest import DAY1, DAY3, at, tally_counts
from tickets import actions


@pytest.fixture
def small_desk(world):
    return desk.build(world)


def period(**kw) -> Period:
    return Period(start=DAY1.date(), end=DAY3.date(), **kw)


def received_closed_backlog(report) -> list[tuple[int, int, int]]:
    return [(slot.received, slot.closed, slot.backlog) for slot in report.slots]


def test_an_administrator_sees_every_ticket_counted_by_day(small_desk):
    report = queries.report(small_desk.world.admin, period())
    # Day 1: T1, T2, T6 in; day 2: T3 in, T1 closed; day 3: T4 in, T3 closed (T5 deleted).
    assert received_closed_backlog(report) == [(3, 0, 3), (1, 1, 3), (1, 1, 3)]


def test_first_response_and_resolution_times_fall_in_their_buckets(small_desk):
    report = queries.report(small_desk.world.admin, period())
    # First responses: 10 min, 2 h, 30 min; resolutions: 24 h (T1), 26 h (T3).
    assert report.first_response.buckets[:3] == [1, 1, 1]
    assert report.first_response.count == 3
    assert report.first_response.percentile(0.5) == 1  # up to 1 h
    assert report.first_response.percentile(0.9) == 2  # up to 4 h
    assert report.first_response.median == "up to 1 h"
    assert report.resolution.count == 2
    assert report.resolution.percentile(0.5) == 4  # up to 1 day
    assert report.resolution.percentile(0.9) == 5  # up to 2 days
    assert report.resolution.p90 == "up to 2 days"


def test_breakdowns_by_queue_agent_and_type_add_up(small_desk):
    report = queries.report(small_desk.world.admin, period())
    by_queue = {line.name: (line.received, line.closed) for line in report.by_queue}
    assert by_queue == {"Billing": (3, 1), "Support": (1, 1), "Sales": (1, 0)}
    by_type = {line.key: line.received for line in report.by_type}
    assert by_type == {"email": 4, "portal": 1}
    agent = next(line for line in report.by_agent if line.key == small_desk.world.agent.pk)
    assert (agent.received, agent.closed, agent.first_response.count) == (1, 1, 1)
    assert sum(line.received for line in report.by_agent) == 5


def test_weeks_sum_their_days(small_desk):
    report = queries.report(small_desk.world.admin, period(by_week=True))
    assert received_closed_backlog(report) == [(5, 2, 3)]


def test_a_later_period_starts_from_the_backlog_before_it(small_desk):
    report = queries.report(small_desk.world.admin, Period(start=DAY3.date(), end=DAY3.date()))
    assert received_closed_backlog(report) == [(1, 1, 3)]


def test_the_queue_filter_narrows_every_figure(small_desk):
    report = queries.report(small_desk.world.admin, period(queue=small_desk.world.billing.pk))
    assert received_closed_backlog(report) == [(3, 0, 3), (0, 1, 2), (0, 0, 2)]


def test_a_move_and_a_reassignment_move_the_ticket_s_figures(small_desk):
    world = small_desk.world
    with at(DAY3):
        actions.move(actor=world.admin, ticket=small_desk.t2, queue=world.sales)
    report = queries.report(world.admin, period())
    by_queue = {line.name: line.received for line in report.by_queue}
    assert by_queue == {"Billing": 2, "Support": 1, "Sales": 2}
    assert sum(slot.received for slot in report.slots) == 5


def test_rebuilding_counts_the_same_as_following_the_changes(small_desk):
    followed = tally_counts()
    fact_rows = sorted(TicketFact.objects.values_list())
    Tally.objects.update(received=99, closed=99)
    call_command("reports", "rebuild", "--batch-size", "2")
    assert tally_counts() == followed
    # The rebuild writes no row of zeros.
    assert Tally.objects.count() == len({count[:4] for count in followed})
    assert sorted(TicketFact.objects.values_list()) == fact_rows


def test_many_tickets_refreshed_at_once_count_as_each_followed(small_desk):
    followed = tally_counts()
    facts_followed = sorted(TicketFact.objects.values_list())
    numbers = [
        ticket.number
        for ticket in (small_desk.t1, small_desk.t2, small_desk.t3, small_desk.t4, small_desk.t6)
    ]
    Tally.objects.all().delete()
    TicketFact.objects.all().delete()
    # A number no ticket has (as a deleted one's) among them: its lock row is made and goes.
    facts.refresh_many([*numbers, max(numbers) + 100, *numbers])
    assert tally_counts() == followed
    assert sorted(TicketFact.objects.values_list()) == facts_followed
    # Nothing moved since: a second refresh of all of them changes no count.
    facts.refresh_many(numbers)
    assert tally_counts() == followed
