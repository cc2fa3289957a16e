"""Due times after every kind of change, through the real actions and signals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from accounts.actors import MAIL_GATEWAY
from sla.models import Holiday, Policy
from tests.sla.conftest import at, berlin
from tickets import actions
from tickets.models import Status, Ticket

MONDAY_10 = berlin(2026, 3, 2, 10, 0)


def due(
    ticket: Ticket,
) -> tuple[datetime | None, datetime | None, datetime | None, datetime | None]:
    row = Ticket.objects.get(pk=ticket.pk)
    return (
        row.first_response_due_at,
        row.next_response_due_at,
        row.resolution_due_at,
        row.next_due_at,
    )


@pytest.fixture
def desk(levels, on_commit):
    def act(moment, action, **kw):
        with at(moment), on_commit():
            return action(**kw)

    levels.act = act
    return levels


def opened(desk, moment=MONDAY_10, queue=None, **kw) -> Ticket:
    with at(moment):
        return desk.act(
            moment,
            actions.open_ticket,
            actor=MAIL_GATEWAY,
            title="Cannot log in",
            requester_email=desk.customer_a.email,
            text="Please help.",
            type="email",
            queue=queue or desk.support,
            **kw,
        )


class TestOpening:
    def test_a_new_ticket_is_due_for_its_first_response_and_resolution(self, desk):
        ticket = opened(desk)
        first, following, resolution, next_due = due(ticket)
        assert first == berlin(2026, 3, 2, 11, 0)
        assert following is None
        # 480 minutes: 10:00–17:00, then 09:00–10:00 on Tuesday.
        assert resolution == berlin(2026, 3, 3, 10, 0)
        assert next_due == first

    def test_a_ticket_of_friday_evening_is_due_on_monday(self, desk):
        ticket = opened(desk, berlin(2026, 3, 6, 16, 30))
        assert due(ticket)[0] == berlin(2026, 3, 9, 9, 30)

    def test_a_holiday_moves_it_on(self, desk):
        Holiday.objects.create(calendar=desk.office, date=date(2026, 3, 9), name="Closed")
        ticket = opened(desk, berlin(2026, 3, 6, 16, 30))
        assert due(ticket)[0] == berlin(2026, 3, 10, 9, 30)

    def test_a_queue_without_a_policy_has_no_due_times(self, desk):
        ticket = opened(desk, queue=desk.sales)
        assert due(ticket) == (None, None, None, None)

    def test_a_policy_without_a_calendar_counts_every_minute(self, desk):
        saturday = datetime(2026, 3, 7, 23, 50, tzinfo=UTC)
        ticket = opened(desk, saturday, queue=desk.billing)
        assert due(ticket)[0] == saturday + timedelta(minutes=30)
        assert due(ticket)[2] == saturday + timedelta(minutes=240)


class TestConversation:
    def test_an_answer_meets_the_first_response_and_stops_the_clocks(self, desk):
        ticket = opened(desk)
        desk.act(
            berlin(2026, 3, 2, 10, 30),
            actions.answer,
            actor=desk.admin,
            ticket=ticket,
            text="Try again.",
        )
        # Waiting for the customer: nothing is due.
        assert due(ticket) == (None, None, None, None)

    def test_a_customer_reply_starts_the_next_response_and_resolution_runs_on(self, desk):
        ticket = opened(desk)
        desk.act(
            berlin(2026, 3, 2, 10, 30), actions.answer, actor=desk.admin, ticket=ticket, text="A"
        )
        desk.act(
            berlin(2026, 3, 2, 14, 0),
            actions.customer_reply,
            actor=desk.customer_a,
            ticket=ticket,
            text="Still broken.",
        )
        first, following, resolution, next_due = due(ticket)
        assert first is None
        assert following == berlin(2026, 3, 2, 16, 0)
        # 30 minutes used before the answer; 450 left from 14:00: 180 today, 270 on Tuesday.
        assert resolution == berlin(2026, 3, 3, 13, 30)
        assert next_due == following

    def test_a_note_changes_nothing(self, desk):
        ticket = opened(desk)
        before = due(ticket)
        desk.act(
            berlin(2026, 3, 2, 10, 20),
            actions.add_note,
            actor=desk.admin,
            ticket=ticket,
            text="Looking.",
        )
        assert due(ticket) == before


class TestPauses:
    def test_on_hold_pauses_and_the_clock_runs_on_where_it_stopped(self, desk):
        ticket = opened(desk)
        desk.act(
            berlin(2026, 3, 2, 10, 40),
            actions.change,
            actor=desk.admin,
            ticket=ticket,
            status=Status.ON_HOLD,
        )
        assert due(ticket) == (None, None, None, None)
        # Back on Tuesday at 10:00: 40 of the 60 minutes were used.
        desk.act(
            berlin(2026, 3, 3, 10, 0),
            actions.change,
            actor=desk.admin,
            ticket=ticket,
            status=Status.OPEN,
        )
        first, _following, resolution, _next = due(ticket)
        assert first == berlin(2026, 3, 3, 10, 20)
        # 440 minutes left from Tuesday 10:00: 420 on Tuesday, 20 on Wednesday.
        assert resolution == berlin(2026, 3, 4, 9, 20)

    def test_resolving_stops_and_reopening_runs_on_with_the_time_used(self, desk):
        ticket = opened(desk)
        desk.act(
            berlin(2026, 3, 2, 11, 0),
            actions.close,
            actor=desk.admin,
            ticket=ticket,
            tell_customer=False,
        )
        assert due(ticket) == (None, None, None, None)
        desk.act(berlin(2026, 3, 4, 9, 0), actions.reopen, actor=desk.admin, ticket=ticket)
        first, _following, resolution, _next = due(ticket)
        # Never answered: the first response was breached at 11:00 on Monday.
        assert first == berlin(2026, 3, 2, 11, 0)
        # 60 minutes used on Monday; 420 left from Wednesday 09:00.
        assert resolution == berlin(2026, 3, 4, 16, 0)

    def test_a_reply_to_a_closed_ticket_reopens_it_with_a_next_response(self, desk):
        ticket = opened(desk)
        desk.act(
            berlin(2026, 3, 2, 10, 30), actions.answer, actor=desk.admin, ticket=ticket, text="A"
        )
        desk.act(
            berlin(2026, 3, 2, 11, 0),
            actions.close,
            actor=desk.admin,
            ticket=ticket,
            tell_customer=False,
        )
        desk.act(
            berlin(2026, 3, 3, 9, 0),
            actions.customer_reply,
            actor=desk.customer_a,
            ticket=ticket,
            text="It is back.",
        )
        _first, following, resolution, _next = due(ticket)
        assert following == berlin(2026, 3, 3, 11, 0)
        assert resolution == berlin(2026, 3, 3, 16, 30)


class TestPolicyChanges:
    def test_a_higher_priority_takes_the_stricter_policy_from_the_opening(self, desk):
        ticket = opened(desk)
        desk.act(
            berlin(2026, 3, 2, 10, 5),
            actions.change,
            actor=desk.admin,
            ticket=ticket,
            priority=80,
        )
        first, _following, resolution, _next = due(ticket)
        assert first == berlin(2026, 3, 2, 10, 15)
        assert resolution == berlin(2026, 3, 2, 12, 0)

    def test_a_move_takes_the_other_queues_policy(self, desk):
        ticket = opened(desk)
        desk.act(
            berlin(2026, 3, 2, 10, 5),
            actions.move,
            actor=desk.admin,
            ticket=ticket,
            queue=desk.billing,
        )
        first, _following, resolution, _next = due(ticket)
        assert first == berlin(2026, 3, 2, 10, 30)
        assert resolution == berlin(2026, 3, 2, 14, 0)

    def test_a_move_to_a_queue_without_a_policy_clears_them(self, desk):
        ticket = opened(desk)
        desk.act(
            berlin(2026, 3, 2, 10, 5),
            actions.move,
            actor=desk.admin,
            ticket=ticket,
            queue=desk.sales,
        )
        assert due(ticket) == (None, None, None, None)


class TestStoredQuietly:
    def test_due_times_bump_no_version_and_leave_last_modified(self, desk):
        ticket = opened(desk)
        row = Ticket.objects.get(pk=ticket.pk)
        assert row.version == 1
        assert row.modified_at == MONDAY_10
        assert row.next_due_at is not None

    def test_a_policy_change_reaches_open_tickets(self, desk):
        from sla.recompute import refresh_queues

        ticket = opened(desk)
        Policy.objects.filter(queue=desk.support, lowest_priority=1).update(
            first_response_minutes=120
        )
        with at(berlin(2026, 3, 2, 10, 10)):
            refresh_queues([desk.support.pk])
        assert due(ticket)[0] == berlin(2026, 3, 2, 12, 0)


class TestManyAtOnce:
    """A mass action's batch: the due times of many tickets, from one read of the rules."""

    def test_an_undone_mass_close_gives_each_ticket_the_due_times_it_had(self, desk):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from sla import clocks

        tickets = [
            opened(desk, priority=10),  # support, office hours, 1-69
            opened(desk, berlin(2026, 3, 6, 16, 30), priority=80),  # support 70-99, Friday
            opened(desk, queue=desk.billing),  # billing, every minute counts
            opened(desk, queue=desk.sales),  # no policy
        ]
        before = [due(ticket) for ticket in tickets]
        assert before[0] != before[1] != before[2] and before[3] == (None,) * 4
        selection = [(ticket.number, None) for ticket in tickets]
        closed = desk.act(
            berlin(2026, 3, 2, 12), actions.close_each, actor=desk.admin, selection=selection
        )
        assert [due(ticket) for ticket in tickets] == [(None,) * 4] * 4
        desk.act(
            berlin(2026, 3, 2, 12, 5),
            actions.undo_close_each,
            actor=desk.admin,
            selection=[(ticket.number, ticket.version) for ticket in closed.changed],
        )
        after = [due(ticket) for ticket in tickets]
        # The batch computed what one ticket at a time computes (its own reads).
        for ticket, stored in zip(tickets, after, strict=True):
            times = clocks.compute(ticket.number)
            assert times is not None
            assert stored == (
                times.first_response,
                times.next_response,
                times.resolution,
                times.next,
            )
        # Closed from 12:00 to 12:05 stopped the clock: resolution five minutes later.
        resolution = before[0][2]
        assert resolution is not None and after[0][2] == resolution + timedelta(minutes=5)
        assert after[0][0] == before[0][0] and after[3] == (None,) * 4
        # As many queries for four as for one.
        Ticket.objects.update(next_due_at=None, first_response_due_at=None)
        counts = []
        for numbers in ([tickets[0].number], [ticket.number for ticket in tickets]):
            with CaptureQueriesContext(connection) as queries:
                clocks.refresh_many(numbers)
            counts.append(len(queries))
        assert counts[0] == counts[1]
        assert [due(ticket) for ticket in tickets] == after
