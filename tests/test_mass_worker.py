"""Mass actions in the worker (tickets/mass.py): batches, resuming, permissions when
the job runs, and all results of a search evaluated then.

Jobs are started with ``mass.start`` and their task is not run (its on-commit
callback is captured, not executed) unless a test says so; ``mass.run`` is what
the worker's task does.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role
from accounts.staff import change_role
from frontdesk import locks
from tests.conftest import SETUP
from tests.panel.helpers import close_fails_on, open_tickets, refreshed
from tests.test_job_locks import gone_pid
from tickets import actions, mass, signals
from tickets.models import MassAction, MassJob, MassJobState, Queue, Status, Ticket


@pytest.fixture
def quietly(django_capture_on_commit_callbacks):
    """Start a job without running it: its task would be enqueued on commit."""

    def starting(**asked) -> MassJob:
        with django_capture_on_commit_callbacks(execute=False):
            return mass.start(**asked)

    return starting


@pytest.fixture
def closed_signals() -> Iterator[list[int]]:
    heard: list[int] = []

    def hear(sender, change: signals.TicketChange, **kwargs) -> None:
        heard.append(change.number)

    signals.closed.connect(hear, dispatch_uid="test-mass-closed")
    yield heard
    signals.closed.disconnect(dispatch_uid="test-mass-closed")


def numbers_of(tickets: list[Ticket]) -> list[tuple[int, int | None]]:
    return [(ticket.number, None) for ticket in tickets]


def closed_events(ticket: Ticket) -> int:
    return ticket.events.filter(code="status", new=Status.CLOSED).count()


def test_a_job_that_fails_halfway_resumes_without_applying_anything_twice(
    world, quietly, monkeypatch, settings, django_capture_on_commit_callbacks, closed_signals
):
    settings.MASS_ACTION_BATCH = 100
    tickets = open_tickets(250, world.billing)
    job = quietly(owner=world.supervisor, action=MassAction.CLOSE, numbers=numbers_of(tickets))
    # Inside the batch's one transaction, after the 49 tickets before it were changed.
    close_fails_on(monkeypatch, tickets[149], OSError("No space left on device"), times=1)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(OSError):
            mass.run(job.pk)
        job.refresh_from_db()
        # The first batch committed; the second rolled back whole, its 49 closes too.
        assert (job.state, job.done, job.last_number) == ("running", 100, tickets[99].number)
        assert job.error == "OSError: No space left on device"
        assert [refreshed(t).status for t in tickets[99:101]] == [Status.CLOSED, Status.NEW]
        assert sum(closed_events(t) for t in tickets[100:150]) == 0
        # The next run (the task's retry, or the sweep) goes on after the last batch.
        assert mass.run(job.pk) is not None
    job.refresh_from_db()
    assert (job.state, job.done, job.refused, job.attempts) == ("done", 250, 0, 2)
    assert [closed_events(t) for t in tickets] == [1] * 250
    assert sorted(closed_signals) == [t.number for t in tickets]


def test_a_job_that_fails_every_time_is_given_up_and_keeps_what_was_done(
    world, quietly, monkeypatch, settings
):
    settings.MASS_ACTION_BATCH = 2
    tickets = open_tickets(5, world.billing)
    job = quietly(owner=world.supervisor, action=MassAction.CLOSE, numbers=numbers_of(tickets))
    close_fails_on(monkeypatch, tickets[2], RuntimeError("a bug"))
    for _attempt in range(mass.MAX_ATTEMPTS):
        with pytest.raises(RuntimeError):
            mass.run(job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == ("failed", 3, "RuntimeError: a bug")
    assert job.finished_at is not None
    assert [refreshed(t).status for t in tickets] == [Status.CLOSED] * 2 + [Status.NEW] * 3
    assert mass.run(job.pk) is not None  # a failed job is left alone
    assert refreshed(tickets[3]).status == Status.NEW


def test_a_run_while_another_holds_the_jobs_lock_does_nothing(world, quietly):
    tickets = open_tickets(2, world.billing)
    job = quietly(owner=world.supervisor, action=MassAction.CLOSE, numbers=numbers_of(tickets))
    other = locks.ExpiringLock(mass.lock_name(job.pk), ttl=60)
    assert other.acquire()
    try:
        assert mass.run(job.pk) is None
        assert [refreshed(t).status for t in tickets] == [Status.NEW] * 2
    finally:
        other.release()
    assert mass.run(job.pk).state == MassJobState.DONE  # type: ignore[union-attr]


def test_the_sweep_resumes_a_job_whose_worker_died_and_leaves_a_fresh_one_to_its_task(
    world, quietly
):
    tickets = open_tickets(2, world.billing)
    crashed = quietly(
        owner=world.supervisor, action=MassAction.CLOSE, numbers=numbers_of(tickets[:1])
    )
    MassJob.objects.filter(pk=crashed.pk).update(state=MassJobState.RUNNING, attempts=1)
    dead_owner = f"{locks.MACHINE}:{gone_pid()}:dead"
    lock = locks.ExpiringLock(mass.lock_name(crashed.pk), ttl=600, owner=dead_owner)
    assert lock.acquire()
    fresh = quietly(
        owner=world.supervisor, action=MassAction.CLOSE, numbers=numbers_of(tickets[1:])
    )
    # The tests' worker queue runs the enqueued task at once.
    assert mass.resume_unfinished() == 1
    assert MassJob.objects.get(pk=crashed.pk).state == MassJobState.DONE
    assert MassJob.objects.get(pk=fresh.pk).state == MassJobState.QUEUED
    # A queued job whose task was lost is taken up a minute later.
    assert mass.resume_unfinished(now=timezone.now() + mass.QUEUED_GRACE) == 1
    assert [refreshed(t).status for t in tickets] == [Status.CLOSED] * 2


def test_a_large_selection_goes_to_the_worker_and_a_small_one_runs_at_once(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    enqueued: list[int] = []
    monkeypatch.setattr(mass, "enqueue", enqueued.append)
    tickets = open_tickets(mass.RUN_IN_REQUEST_UP_TO + 1, world.billing)
    with django_capture_on_commit_callbacks(execute=True):
        small = mass.start(
            owner=world.supervisor, action=MassAction.CLOSE, numbers=numbers_of(tickets[:1])
        )
        large = mass.start(
            owner=world.supervisor, action=MassAction.CLOSE, numbers=numbers_of(tickets)
        )
    assert MassJob.objects.get(pk=small.pk).state == MassJobState.DONE
    assert enqueued == [large.pk]
    assert MassJob.objects.get(pk=large.pk).state == MassJobState.QUEUED


# Who may: asked for, and again when the batch runs ------------------------------------


@pytest.mark.parametrize("action", [MassAction.DELETE, MassAction.ASSIGN, MassAction.MOVE])
def test_an_agent_may_not_ask_for_what_only_supervisors_do(world, action):
    ticket = open_tickets(1, world.billing, assignee=world.agent)[0]
    with pytest.raises(PermissionDenied):
        mass.start(
            owner=world.agent,
            action=action,
            numbers=numbers_of([ticket]),
            assignee=world.agent,
            queue=world.billing,
        )
    assert not MassJob.objects.exists()


def test_a_role_taken_away_before_the_job_runs_refuses_every_ticket(world, quietly):
    tickets = open_tickets(2, world.billing)
    job = quietly(
        owner=world.supervisor,
        action=MassAction.ASSIGN,
        numbers=numbers_of(tickets),
        assignee=world.agent,
    )
    change_role(actor=world.admin, profile=world.supervisor.staff_profile, role=Role.AGENT)
    job = mass.run(job.pk)
    assert job is not None and (job.done, job.refused) == (0, 2)
    # The role, checked for the whole batch when it runs, says why.
    reason = "Only supervisors may pick up, assign, move or delete tickets."
    assert job.refusals == [[t.number, reason] for t in tickets]
    assert [refreshed(t).assignee for t in tickets] == [None, None]


def test_a_ticket_the_owner_no_longer_sees_is_refused_and_the_others_go_on(world, quietly):
    tickets = open_tickets(3, world.billing, assignee=world.agent)
    job = quietly(
        owner=world.agent, action=MassAction.PRIORITY, numbers=numbers_of(tickets), priority=90
    )
    actions.assign(actor=SETUP, ticket=tickets[1], assignee=world.other_agent)
    job = mass.run(job.pk)
    assert job is not None and job.refusals == [[tickets[1].number, "no such ticket."]]
    assert [refreshed(t).priority for t in tickets] == [90, tickets[1].priority, 90]


def test_an_assignee_deactivated_before_the_job_runs_is_refused_with_why(world, quietly):
    tickets = open_tickets(2, world.billing)
    job = quietly(
        owner=world.supervisor,
        action=MassAction.ASSIGN,
        numbers=numbers_of(tickets),
        assignee=world.agent,
    )
    world.agent.is_active = False
    world.agent.save()
    job = mass.run(job.pk)
    assert job is not None and job.refused == 2
    assert job.refusals[0] == [tickets[0].number, "agent is not active support staff."]


def test_refusals_are_all_counted_and_the_first_ones_kept(world, quietly, monkeypatch):
    monkeypatch.setattr(mass, "REFUSALS_KEPT", 2)
    job = quietly(
        owner=world.supervisor, action=MassAction.CLOSE, numbers=[(n, None) for n in (7, 8, 9)]
    )
    job = mass.run(job.pk)
    assert job is not None and job.refused == 3
    assert job.refusals == [[7, "no such ticket."], [8, "no such ticket."]]


@pytest.mark.parametrize(
    ("asked", "field"),
    [
        ({"action": MassAction.ASSIGN}, "assignee"),
        ({"action": MassAction.MOVE}, "queue"),
        ({"action": MassAction.PRIORITY, "priority": 100}, "priority"),
        ({"action": MassAction.PRIORITY}, "priority"),
        ({"action": "archive"}, "action"),
    ],
)
def test_a_job_without_what_its_action_needs_is_refused(world, asked, field):
    ticket = open_tickets(1, world.billing)[0]
    with pytest.raises(ValidationError) as refused:
        mass.start(owner=world.supervisor, numbers=numbers_of([ticket]), **asked)
    assert field in refused.value.message_dict


def test_an_empty_selection_is_refused(world):
    with pytest.raises(ValidationError, match=r"Select at least one ticket first\."):
        mass.start(owner=world.supervisor, action=MassAction.CLOSE, numbers=[])


# All results of a search ----------------------------------------------------------------


def test_all_results_of_a_search_are_found_again_as_the_job_runs(world, quietly):
    matching = [world.ticket(world.billing, priority=80) for _ in range(3)]
    other = world.ticket(world.billing, priority=20)
    query = f"queue={world.billing.pk}&priority_min=60"
    job = quietly(owner=world.supervisor, action=MassAction.CLOSE, criteria=query)
    assert job.total == 3 and job.numbers == []
    # Before it runs: one result no longer matches, another now does, one is new.
    actions.change(actor=SETUP, ticket=matching[0], priority=10)
    actions.change(actor=SETUP, ticket=other, priority=70)
    later = world.ticket(world.billing, priority=90)
    job = mass.run(job.pk)
    assert job is not None and (job.state, job.done, job.total) == ("done", 3, 3)
    closed = set(Ticket.objects.filter(status=Status.CLOSED).values_list("number", flat=True))
    assert closed == {matching[1].number, matching[2].number, other.number}
    assert refreshed(later).status == Status.NEW


def test_a_search_runs_with_the_owners_visibility(world, quietly):
    theirs = open_tickets(2, world.billing, assignee=world.agent)
    open_tickets(2, world.billing)
    job = quietly(owner=world.agent, action=MassAction.PRIORITY, criteria="", priority=5)
    job = mass.run(job.pk)
    assert job is not None and job.done == 2
    assert sorted(Ticket.objects.filter(priority=5).values_list("number", flat=True)) == [
        t.number for t in theirs
    ]


def test_a_search_that_no_longer_reads_fails_the_job_with_why(world, quietly):
    extra = Queue.objects.create(name="Temporary")
    open_tickets(1, extra)
    job = quietly(owner=world.admin, action=MassAction.CLOSE, criteria=f"queue={extra.pk}")
    Ticket.objects.filter(queue=extra).delete()
    extra.delete()
    job = mass.run(job.pk)
    assert job is not None and job.state == MassJobState.FAILED
    assert "valid choice" in job.error


def test_a_search_that_does_not_read_is_refused_when_asked(world):
    with pytest.raises(ValidationError):
        mass.start(owner=world.admin, action=MassAction.CLOSE, criteria="priority_min=high")
    assert not MassJob.objects.exists()


def test_who_sees_a_job(world, quietly):
    ticket = open_tickets(1, world.billing, assignee=world.agent)[0]
    job = quietly(owner=world.agent, action=MassAction.CLOSE, numbers=numbers_of([ticket]))
    assert mass.job_for(world.agent, job.pk) == job
    assert mass.job_for(world.admin, job.pk) == job
    for person in (world.other_agent, world.supervisor, world.customer_a):
        with pytest.raises(MassJob.DoesNotExist):
            mass.job_for(person, job.pk)
    assert mass.recent_jobs(world.agent) == [job] and mass.recent_jobs(world.admin) == []


def test_the_time_a_job_took_is_kept(world, quietly):
    ticket = open_tickets(1, world.billing)[0]
    job = quietly(owner=world.supervisor, action=MassAction.CLOSE, numbers=numbers_of([ticket]))
    job = mass.run(job.pk)
    assert job is not None and job.started_at is not None and job.finished_at is not None
    assert timedelta(0) <= job.finished_at - job.started_at < timedelta(minutes=1)


def test_a_search_that_finds_nothing_is_refused_when_asked(world):
    with pytest.raises(ValidationError, match=r"The search finds no ticket\."):
        mass.start(owner=world.admin, action=MassAction.CLOSE, criteria="priority_min=99")
    assert not MassJob.objects.exists()
