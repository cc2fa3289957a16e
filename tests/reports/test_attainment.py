"""Service-level attainment in the reports, against hand counts of the small desk with
a service level on Billing (tests/reports/desk.py ``levels``: office hours 09–17 UTC,
first answer 60, next answer 60, resolution 240 business minutes)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import facts, queries
from reports.models import AccountTally, Measure, Tally, TicketFact
from reports.queries import Period
from sla.clocks import moments_of, moments_of_many
from tests.reports import desk
from tests.reports.conftest import DAY1, DAY2, DAY3, at, tally_counts
from tickets import actions
from tickets.models import Status

H = desk.H
M = desk.M


@pytest.fixture
def sla_desk(world):
    desk.levels(world)
    built = desk.build(world)
    # On the desk: T1 answered in 10 min (met), its clock stopped while answered until
    # the close (met); T2 answered after 2 h (breached), still open; T6 reopened (no
    # close to judge). T3 and T4 are of queues without a service level.
    #
    # T7 Billing, Monday 09:00: on hold from 09:30 to Tuesday 09:00 and answered at
    # 09:20, after 30 + 20 business minutes: met because the hold paused the clock.
    # The customer replies at 10:00, answered at 12:00: the next answer breached (120).
    # Closed at 13:00: 30 + 20 + 120 = 170 of 240 minutes ran: met.
    with at(DAY1 + 9 * H):
        t7 = world.ticket(world.billing)
    with at(DAY1 + 9 * H + 30 * M):
        actions.change(actor=world.supervisor, ticket=t7, status=Status.ON_HOLD)
    with at(DAY2 + 9 * H):
        actions.change(actor=world.supervisor, ticket=t7, status=Status.OPEN)
    with at(DAY2 + 9 * H + 20 * M):
        actions.answer(actor=world.supervisor, ticket=t7, text="Found it.")
    with at(DAY2 + 10 * H):
        actions.customer_reply(actor=world.customer_a, ticket=t7, text="Still wrong.")
    with at(DAY2 + 12 * H):
        actions.answer(actor=world.supervisor, ticket=t7, text="Fixed now.")
    with at(DAY2 + 13 * H):
        actions.close(actor=world.supervisor, ticket=t7)
    # T8 Billing, Monday 13:00, nobody answers; closed Tuesday 13:00: Monday 13–17 and
    # Tuesday 09–13 are 480 business minutes of 240: breached.
    with at(DAY1 + 13 * H):
        t8 = world.ticket(world.billing)
    with at(DAY2 + 13 * H):
        actions.close(actor=world.supervisor, ticket=t8)
    built.t7, built.t8 = t7, t8  # type: ignore[attr-defined]
    return built


def period(**kw) -> Period:
    return Period(start=DAY1.date(), end=DAY3.date(), **kw)


def counts(targets) -> tuple[int, int]:
    return targets.met, targets.breached


def test_each_target_is_met_or_breached_as_counted_by_hand(sla_desk):
    report = queries.report(sla_desk.world.admin, period())
    assert counts(report.first_response_target) == (2, 1)  # T1, T7 met; T2 breached
    assert counts(report.next_response_target) == (0, 1)  # T7's second answer
    assert counts(report.resolution_target) == (2, 1)  # T1, T7 met; T8 breached
    assert report.first_response_target.percent == 66
    assert report.next_response_target.percent_label == "0 %"
    # Per day: the day of the answer or the close.
    per_day = [
        (
            counts(slot.first_response_target),
            counts(slot.next_response_target),
            counts(slot.resolution_target),
        )
        for slot in report.slots
    ]
    assert per_day == [
        ((1, 1), (0, 0), (0, 0)),
        ((1, 0), (0, 1), (2, 1)),
        ((0, 0), (0, 0), (0, 0)),
    ]
    assert report.slots[2].first_response_target.percent is None


def test_the_fact_of_a_ticket_keeps_its_attainment(sla_desk):
    found = {
        fact.number: (fact.first_response_met, fact.resolution_met, fact.next_responses)
        for fact in TicketFact.objects.all()
    }
    assert found[sla_desk.t1.number] == (True, True, [])
    assert found[sla_desk.t2.number] == (False, None, [])
    assert found[sla_desk.t7.number] == (True, True, [[DAY2.date().isoformat(), False]])
    assert found[sla_desk.t8.number] == (None, False, [])
    # No service level in Support: nothing judged.
    assert found[sla_desk.t3.number] == (None, None, [])


def test_attainment_by_queue_and_by_agent(sla_desk):
    world = sla_desk.world
    report = queries.report(world.admin, period())
    by_queue = {
        line.name: (
            counts(line.first_response_target),
            counts(line.next_response_target),
            counts(line.resolution_target),
        )
        for line in report.by_queue_with_targets
    }
    assert by_queue == {"Billing": ((2, 1), (0, 1), (2, 1))}
    agent = next(line for line in report.by_agent if line.key == world.agent.pk)
    assert (counts(agent.first_response_target), counts(agent.resolution_target)) == (
        (1, 0),
        (1, 0),
    )
    assert sum(line.resolution_target.breached for line in report.by_agent) == 1
    # The other supervisor (Sales) sees none of Billing's.
    other = queries.report(world.other_supervisor, period())
    assert not other.has_targets
    assert other.by_queue_with_targets == []


def test_a_pause_on_hold_is_what_made_the_first_answer_in_time(sla_desk):
    """Without the hold, T7's first answer came after 30 + 450 + 20 business minutes."""
    fact = TicketFact.objects.get(number=sla_desk.t7.number)
    assert fact.first_response_seconds == (24 * 60 + 20) * 60  # a day and 20 min, wall clock
    assert fact.first_response_met is True


def test_a_move_to_a_queue_without_a_service_level_takes_its_attainment_back(sla_desk):
    world = sla_desk.world
    with at(DAY3):
        actions.move(actor=world.admin, ticket=sla_desk.t8, queue=world.sales)
    report = queries.report(world.admin, period())
    assert counts(report.resolution_target) == (2, 0)


def test_rebuilding_counts_the_attainment_and_accounts_as_followed(sla_desk):
    def tallies():
        return tally_counts()

    def account_tallies():
        return sorted(
            AccountTally.objects.filter(count__gt=0).values_list(
                "day", "queue", "account", "measure", "bucket", "count"
            )
        )

    followed, followed_accounts = tallies(), account_tallies()
    followed_facts = sorted(TicketFact.objects.values_list())
    assert any(row[4] == Measure.NEXT_RESPONSE_TARGET for row in followed)
    assert followed_accounts
    Tally.objects.update(received=99, first_response_met=99)
    AccountTally.objects.update(count=99)
    call_command("reports", "rebuild", "--batch-size", "2")
    assert tallies() == followed
    assert account_tallies() == followed_accounts
    assert sorted(TicketFact.objects.values_list()) == followed_facts


def test_the_clock_events_of_many_tickets_are_each_one_s(sla_desk):
    numbers = [sla_desk.t1.number, sla_desk.t7.number, sla_desk.t8.number, 999_999]
    with CaptureQueriesContext(connection) as read:
        many = moments_of_many(numbers)
    assert len(read.captured_queries) == 1
    assert many == {number: (moments_of(number) if number != 999_999 else []) for number in numbers}


def _closed_tickets(world, count: int) -> list[int]:
    numbers = []
    for _ in range(count):
        with at(DAY1 + 9 * H):
            ticket = world.ticket(world.billing)
        with at(DAY1 + 9 * H + 30 * M):
            actions.answer(actor=world.supervisor, ticket=ticket, text="Here.")
        with at(DAY1 + 12 * H):
            actions.customer_reply(actor=world.customer_a, ticket=ticket, text="And?")
        with at(DAY1 + 12 * H + 10 * M):
            actions.answer(actor=world.supervisor, ticket=ticket, text="Done.")
        with at(DAY2 + 9 * H):
            actions.close(actor=world.supervisor, ticket=ticket)
        numbers.append(ticket.number)
    return numbers


def _queries_of_refresh(numbers: list[int]) -> int:
    TicketFact.objects.all().delete()
    Tally.objects.all().delete()
    AccountTally.objects.all().delete()
    with CaptureQueriesContext(connection) as done:
        facts.refresh_many(numbers)
    return len(done.captured_queries)


def test_a_batch_of_closed_tickets_under_a_service_level_costs_a_few_queries(
    world, django_assert_max_num_queries
):
    desk.levels(world)
    numbers = _closed_tickets(world, 50)
    few = _queries_of_refresh(numbers[:5])
    with django_assert_max_num_queries(25):
        many = _queries_of_refresh(numbers)
    # The same whatever the batch's size: no query per ticket.
    assert many == few
    report = queries.report(world.admin, period())
    assert counts(report.first_response_target) == (50, 0)
    assert counts(report.next_response_target) == (50, 0)
    assert counts(report.resolution_target) == (50, 0)


def test_the_page_shows_the_attainment_table_chart_and_csv(sla_desk, client):
    from django.urls import reverse

    from tests.reports.test_reports_page import filters, signed_in, table_rows

    signed_in(client, sla_desk.world.supervisor)
    html = client.get(reverse("panel:reports"), filters(client)).content.decode()
    assert table_rows(html, "table-sla") == [
        ["2026-03-02", "1", "1", "50 %", "0", "0", "–", "0", "0", "–"],
        ["2026-03-03", "1", "0", "100 %", "0", "1", "0 %", "2", "1", "66 %"],
        ["2026-03-04", "0", "0", "–", "0", "0", "–", "0", "0", "–"],
    ]
    assert table_rows(html, "table-sla-queues") == [
        ["Billing", "2", "1", "66 %", "0", "1", "0 %", "2", "1", "66 %"]
    ]
    assert '<svg id="chart-sla"' in html
    assert "<title>First response, 2026-03-02: 50%</title>" in html
    response = client.get(reverse("panel:reports_csv", args=["sla-queues"]), filters(client))
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("Queue,First response met,First response breached,")
    assert lines[1] == "Billing,2,1,66,0,1,0,2,1,66"
