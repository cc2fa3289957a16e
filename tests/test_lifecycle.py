"""The lifecycle jobs with a moved clock: escalation (S9) and auto-close (S10),
and both run by two consumers at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection

from accounts.actors import ESCALATION
from frontdesk import jobs, locks
from frontdesk.models import JobRun
from tickets import actions, lifecycle, tasks
from tickets.models import HelpdeskSettings, Status, Ticket

START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def set_auto_close(days: int) -> None:
    settings_row = HelpdeskSettings.load()
    settings_row.auto_close_days = days
    settings_row.save()


def at(moment: datetime):
    """Stand still at ``moment``: timestamps written there are exact."""
    return time_machine.travel(moment, tick=False)


def priority_of(ticket: Ticket) -> int:
    return Ticket.objects.values_list("priority", flat=True).get(pk=ticket.pk)


def status_of(ticket: Ticket) -> str:
    return Ticket.objects.values_list("status", flat=True).get(pk=ticket.pk)


ESC = ESCALATION.code


def escalations(ticket: Ticket) -> list[tuple[str, str, object]]:
    return list(
        ticket.events.filter(code="escalation")
        .order_by("version")
        .values_list("old", "new", "system")
    )


@pytest.fixture
def escalating(world):
    """Support rises 10 an hour, Billing 5 every half hour, Sales never."""
    set_auto_close(-1)
    world.support.escalation_step = 10
    world.support.escalation_interval = HOUR
    world.support.save()
    world.billing.escalation_step = 5
    world.billing.escalation_interval = HOUR / 2
    world.billing.save()
    return world


def opened_at(world, moment: datetime, queue=None, **kw) -> Ticket:
    with at(moment):
        return world.ticket(queue or world.support, **kw)


def escalate_at(moment: datetime) -> int:
    with at(moment):
        return lifecycle.escalate_due()


def auto_close_at(moment: datetime) -> int:
    with at(moment):
        return lifecycle.auto_close_due()


class TestEscalation:
    def test_an_unanswered_ticket_rises_by_its_queues_step_each_interval(self, escalating):
        ticket = opened_at(escalating, START)
        assert escalate_at(START + HOUR - timedelta(seconds=1)) == 0
        assert priority_of(ticket) == 50
        assert escalate_at(START + HOUR) == 1
        assert priority_of(ticket) == 60
        assert escalate_at(START + 1.5 * HOUR) == 0
        assert escalate_at(START + 2 * HOUR) == 1
        assert priority_of(ticket) == 70
        assert escalations(ticket) == [("50", "60", ESC), ("60", "70", ESC)]

    def test_each_rise_is_a_new_version_with_its_own_history_line(self, escalating):
        ticket = opened_at(escalating, START)
        escalate_at(START + HOUR)
        escalate_at(START + 2 * HOUR)
        stored = Ticket.objects.get(pk=ticket.pk)
        assert stored.version == 3
        assert list(stored.events.filter(code="escalation").values_list("version", flat=True)) == [
            2,
            3,
        ]
        assert stored.escalated_at == START + 2 * HOUR

    def test_a_rise_leaves_last_modified_alone_and_stays_in_the_history(self, escalating):
        ticket = opened_at(escalating, START)
        with at(START + HOUR / 2):
            actions.add_note(actor=escalating.supervisor, ticket=ticket, text="Checking.")
        escalate_at(START + 3 * HOUR)
        stored = Ticket.objects.get(pk=ticket.pk)
        assert stored.priority == 80
        assert stored.modified_at == START + HOUR / 2
        assert escalations(ticket) == [("50", "80", ESC)]

    def test_a_late_run_catches_up_missed_steps_in_one_rise(self, escalating):
        ticket = opened_at(escalating, START)
        escalate_at(START + 3 * HOUR + timedelta(minutes=20))
        assert escalations(ticket) == [("50", "80", ESC)]
        # The next step is due on the original rhythm, not an hour after the late run.
        assert escalate_at(START + 4 * HOUR) == 1
        assert priority_of(ticket) == 90

    def test_each_queue_has_its_own_step_and_interval(self, escalating):
        support = opened_at(escalating, START)
        billing = opened_at(escalating, START, escalating.billing)
        sales = opened_at(escalating, START, escalating.sales)
        escalate_at(START + HOUR)
        assert (priority_of(support), priority_of(billing), priority_of(sales)) == (60, 60, 50)
        assert escalations(sales) == []

    def test_the_priority_is_capped_at_99(self, escalating):
        ticket = opened_at(escalating, START, priority=95)
        escalate_at(START + 5 * HOUR)
        assert priority_of(ticket) == 99
        assert escalate_at(START + 10 * HOUR) == 0
        assert escalations(ticket) == [("95", "99", ESC)]

    def test_answered_tickets_never_escalate(self, escalating):
        ticket = opened_at(escalating, START)
        with at(START + HOUR / 2):
            actions.answer(actor=escalating.supervisor, ticket=ticket, text="Looking into it.")
        assert escalate_at(START + 30 * HOUR) == 0
        assert priority_of(ticket) == 50

    def test_a_note_does_not_stop_the_escalation(self, escalating):
        ticket = opened_at(escalating, START)
        with at(START + HOUR / 2):
            actions.add_note(actor=escalating.supervisor, ticket=ticket, text="Checking.")
        escalate_at(START + HOUR)
        assert priority_of(ticket) == 60

    def test_done_tickets_never_escalate(self, escalating):
        ticket = opened_at(escalating, START)
        with at(START + HOUR / 2):
            actions.close(actor=escalating.customer_a, ticket=ticket)
        assert escalate_at(START + 30 * HOUR) == 0
        assert priority_of(ticket) == 50

    def test_a_ticket_on_hold_does_not_rise_and_counts_again_from_its_release(self, escalating):
        ticket = opened_at(escalating, START)
        with at(START + HOUR / 2):
            actions.change(actor=escalating.supervisor, ticket=ticket, status=Status.ON_HOLD)
        assert escalate_at(START + 10 * HOUR) == 0
        resumed = START + 10 * HOUR
        with at(resumed):
            actions.change(actor=escalating.supervisor, ticket=ticket, status=Status.OPEN)
        # Not ten steps at once for the time on hold: one interval after resuming.
        assert escalate_at(resumed + HOUR - timedelta(seconds=1)) == 0
        assert escalate_at(resumed + HOUR) == 1
        assert escalations(ticket) == [("50", "60", ESC)]

    def test_it_resumes_counting_after_a_customer_reply(self, escalating):
        ticket = opened_at(escalating, START)
        escalate_at(START + HOUR)
        with at(START + 2 * HOUR - timedelta(minutes=1)):
            actions.answer(actor=escalating.supervisor, ticket=ticket, text="Try again.")
        reply = START + 5 * HOUR
        with at(reply):
            actions.customer_reply(actor=escalating.customer_a, ticket=ticket, text="No luck.")
        # Counting starts at the reply, not at the ticket's first message.
        assert escalate_at(reply + HOUR - timedelta(seconds=1)) == 0
        assert escalate_at(reply + HOUR) == 1
        assert escalations(ticket) == [("50", "60", ESC), ("60", "70", ESC)]

    def test_a_queue_whose_escalation_is_switched_off_stops_rising(self, escalating):
        ticket = opened_at(escalating, START)
        escalate_at(START + HOUR)
        escalating.support.escalation_step = 0
        escalating.support.save()
        assert escalate_at(START + 5 * HOUR) == 0
        assert priority_of(ticket) == 60


class TestAutoClose:
    def answered(self, world, moment: datetime, queue=None) -> Ticket:
        ticket = opened_at(world, moment - HOUR, queue or world.billing)
        with at(moment):
            actions.pick_up(actor=world.supervisor, ticket=ticket)
            actions.answer(actor=world.supervisor, ticket=ticket, text="Fixed.")
        return ticket

    def test_with_0_the_answer_itself_closes_the_ticket(self, world):
        set_auto_close(0)
        ticket = self.answered(world, START)
        assert status_of(ticket) == Status.CLOSED

    def test_with_0_the_job_closes_an_answered_ticket_once_it_comes_off_hold(self, world):
        set_auto_close(0)
        ticket = opened_at(world, START, world.billing)
        with at(START + HOUR):
            actions.change(actor=world.supervisor, ticket=ticket, status=Status.ON_HOLD)
            actions.answer(actor=world.supervisor, ticket=ticket, text="Waiting on the bank.")
        assert auto_close_at(START + 2 * HOUR) == 0
        with at(START + 3 * HOUR):
            actions.change(actor=world.supervisor, ticket=ticket, status=Status.OPEN)
        assert auto_close_at(START + 3 * HOUR) == 1
        assert status_of(ticket) == Status.CLOSED

    def test_with_n_days_it_closes_n_days_after_the_answer(self, world):
        set_auto_close(3)
        ticket = self.answered(world, START)
        assert status_of(ticket) == Status.OPEN
        assert auto_close_at(START + 3 * DAY - timedelta(seconds=1)) == 0
        assert status_of(ticket) == Status.OPEN
        assert auto_close_at(START + 3 * DAY) == 1
        stored = Ticket.objects.get(pk=ticket.pk)
        assert (stored.status, stored.closed_at) == (Status.CLOSED, START + 3 * DAY)
        close = stored.events.get(version=stored.version)
        assert (close.code, close.old, close.new, close.actor) == ("status", "open", "closed", None)

    def test_a_closed_ticket_is_not_closed_twice(self, world):
        set_auto_close(3)
        ticket = self.answered(world, START)
        auto_close_at(START + 3 * DAY)
        assert auto_close_at(START + 9 * DAY) == 0
        assert Ticket.objects.get(pk=ticket.pk).events.filter(new="closed").count() == 1

    def test_a_customer_follow_up_prevents_the_close(self, world):
        set_auto_close(3)
        ticket = self.answered(world, START)
        with at(START + 2 * DAY):
            actions.customer_reply(actor=world.customer_a, ticket=ticket, text="One more thing")
        assert auto_close_at(START + 30 * DAY) == 0
        assert status_of(ticket) not in (Status.CLOSED, Status.RESOLVED)

    def test_the_clock_restarts_at_the_next_answer(self, world):
        set_auto_close(3)
        ticket = self.answered(world, START)
        with at(START + 2 * DAY):
            actions.customer_reply(actor=world.customer_a, ticket=ticket, text="One more thing")
        second = self.answered_again(world, ticket, START + 4 * DAY)
        assert auto_close_at(second + 3 * DAY - timedelta(seconds=1)) == 0
        assert auto_close_at(second + 3 * DAY) == 1

    def answered_again(self, world, ticket: Ticket, moment: datetime) -> datetime:
        with at(moment):
            actions.pick_up(actor=world.supervisor, ticket=ticket)
            actions.answer(actor=world.supervisor, ticket=ticket, text="Done now.")
        return moment

    def test_on_hold_tickets_are_not_closed(self, world):
        set_auto_close(3)
        ticket = self.answered(world, START)
        with at(START + HOUR):
            actions.change(actor=world.supervisor, ticket=ticket, status=Status.ON_HOLD)
        assert auto_close_at(START + 30 * DAY) == 0
        assert status_of(ticket) == Status.ON_HOLD

    def test_with_minus_1_nothing_is_ever_closed(self, world):
        set_auto_close(-1)
        ticket = self.answered(world, START)
        assert auto_close_at(START + 365 * DAY) == 0
        assert status_of(ticket) == Status.OPEN

    @pytest.mark.parametrize("days", [0, 3])
    def test_a_ticket_staff_reopened_after_its_answer_is_not_closed_again(self, world, days):
        set_auto_close(days)
        ticket = self.answered(world, START)
        with at(START + HOUR):
            actions.close(actor=world.supervisor, ticket=ticket)
            actions.reopen(actor=world.supervisor, ticket=ticket)
        assert auto_close_at(START + 30 * DAY) == 0
        assert status_of(ticket) == Status.REOPENED
        # A new answer starts a new clock, and the close follows it.
        with at(START + 31 * DAY):
            actions.answer(actor=world.supervisor, ticket=ticket, text="Sorted for good.")
        auto_close_at(START + 31 * DAY + days * DAY)
        assert status_of(ticket) == Status.CLOSED


def run_twice_at_once(job, moment: datetime) -> list[int]:
    barrier = threading.Barrier(2)
    counts: list = []

    def consumer() -> None:
        try:
            barrier.wait(timeout=10)
            counts.append(job())
        except Exception as error:
            counts.append(error)
        finally:
            connection.close()

    with time_machine.travel(moment):
        threads = [threading.Thread(target=consumer) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return counts


@pytest.mark.django_db(transaction=True)
def test_two_escalation_runs_at_once_raise_each_ticket_once(escalating):
    tickets = [opened_at(escalating, START) for _ in range(12)]
    counts = run_twice_at_once(lifecycle.escalate_due, START + HOUR + timedelta(minutes=1))
    assert all(isinstance(count, int) for count in counts), counts
    assert sum(counts) == len(tickets)
    for ticket in tickets:
        assert escalations(ticket) == [("50", "60", ESC)]
        assert priority_of(ticket) == 60


@pytest.mark.django_db(transaction=True)
def test_two_auto_close_runs_at_once_close_each_ticket_once(world):
    set_auto_close(2)
    tickets = []
    for _ in range(12):
        ticket = opened_at(world, START, world.billing)
        with at(START):
            actions.answer(actor=world.supervisor, ticket=ticket, text="Fixed.")
        tickets.append(ticket)
    counts = run_twice_at_once(lifecycle.auto_close_due, START + 2 * DAY + HOUR)
    assert all(isinstance(count, int) for count in counts), counts
    assert sum(counts) == len(tickets)
    for ticket in tickets:
        assert status_of(ticket) == Status.CLOSED
        assert ticket.events.filter(code="status", new="closed").count() == 1


class TestHueyTasks:
    def test_the_escalation_task_runs_the_escalation_job(self, escalating):
        ticket = opened_at(escalating, START)
        with at(START + HOUR):
            assert tasks.escalate_tickets.call_local() == 1
        assert priority_of(ticket) == 60
        with at(START + 2 * HOUR):
            # Enqueued as the consumer's scheduler does (run at once in tests);
            # huey keeps no result for periodic tasks, so look at the ticket.
            tasks.escalate_tickets()
        assert priority_of(ticket) == 70

    def test_the_auto_close_task_runs_the_auto_close_job(self, world):
        set_auto_close(1)
        ticket = TestAutoClose().answered(world, START)
        with at(START + DAY):
            assert tasks.auto_close_tickets.call_local() == 1
        assert status_of(ticket) == Status.CLOSED

    @pytest.mark.parametrize(
        ("task", "job"),
        [(tasks.escalate_tickets, "escalation"), (tasks.auto_close_tickets, "auto-close")],
    )
    def test_a_second_consumer_skips_a_run_while_the_first_holds_the_lock(self, world, task, job):
        first = locks.ExpiringLock(job, ttl=60)
        assert first.acquire()
        try:
            assert task.call_local() is None
            assert not JobRun.objects.filter(name=job).exists()
        finally:
            first.release()
        assert task.call_local() == 0

    def test_both_jobs_are_scheduled_periodically(self):
        assert jobs.TASKS["escalation"] is tasks.escalate_tickets
        assert jobs.TASKS["auto-close"] is tasks.auto_close_tickets
        assert jobs.JOBS["escalation"].interval == 5 * 60
        assert jobs.JOBS["auto-close"].interval == 15 * 60


def test_settings_saved_by_an_administrator_are_read_at_once(db):
    row = HelpdeskSettings.load()
    row.auto_close_days = 3
    assert HelpdeskSettings.load().auto_close_days == 0  # unsaved changes stay private
    row.save()
    assert HelpdeskSettings.load().auto_close_days == 3
