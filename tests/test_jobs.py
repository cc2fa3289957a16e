"""Periodic jobs: each run is recorded, a held lock skips a run, lateness is told,
and of several workers' schedulers only the one holding the lock enqueues, once
per tick. (Real workers: tests/faults/test_worker_faults.py.)"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.management.base import CommandError
from django.utils import timezone

from frontdesk import jobs, locks, scheduler
from frontdesk.env import env_seconds
from frontdesk.models import JobRun, Restart, Supervised
from mail import tasks as mail_tasks
from panel import tasks as panel_tasks
from tickets import tasks as ticket_tasks
from webhooks import tasks as webhook_tasks

ESCALATION = jobs.JOBS["escalation"]


def test_a_run_records_its_start_and_completion(db):
    assert jobs.run_job(ESCALATION, lambda: 7) == 7
    run = JobRun.objects.get(name="escalation")
    assert run.completed_at is not None and run.completed_at >= run.started_at
    assert run.error == "" and run.failed_at is None


def test_a_run_that_fails_keeps_the_last_completion_and_says_why(db):
    jobs.run_job(ESCALATION, lambda: 1)
    completed = JobRun.objects.get(name="escalation").completed_at

    with pytest.raises(ZeroDivisionError):
        jobs.run_job(ESCALATION, lambda: 1 / 0)

    run = JobRun.objects.get(name="escalation")
    assert run.completed_at == completed
    assert run.failed_at is not None and run.error.startswith("ZeroDivisionError")
    # The lock went with the failed run: the next one runs.
    assert jobs.run_job(ESCALATION, lambda: 2) == 2


def test_a_run_while_another_holds_the_lock_is_skipped(db):
    holder = locks.ExpiringLock("escalation", ttl=60)
    assert holder.acquire()
    try:
        assert jobs.run_job(ESCALATION, lambda: pytest.fail("ran twice")) is None
    finally:
        holder.release()


def test_a_job_is_late_after_twice_its_interval_without_a_completion(db, settings):
    settings.JOB_INTERVALS = {"escalation": 60}
    now = timezone.now()
    run = JobRun(name="escalation", started_at=now, completed_at=now - timedelta(seconds=119))
    assert not jobs.is_late(ESCALATION, run, now)
    run.completed_at = now - timedelta(seconds=121)
    assert jobs.is_late(ESCALATION, run, now)
    # Started long ago and never completed: hung or failing since.
    assert jobs.is_late(ESCALATION, JobRun(started_at=now - timedelta(hours=1)), now)
    # Never run: a new installation's first minute, not an alarm.
    assert not jobs.is_late(ESCALATION, None, now)


def test_restarts_of_the_last_hour_are_counted_by_process(db):
    now = timezone.now()
    for minutes in (1, 5, 59, 61):
        at = now - timedelta(minutes=minutes)
        Restart.objects.create(process=Supervised.WORKER, pid=1, exit_code=-9, stopped_at=at)
    Restart.objects.create(process=Supervised.WEB, pid=2, exit_code=1, stopped_at=now)
    assert jobs.recent_restarts(now) == [("web server", 1), ("worker", 3)]


def test_every_job_has_its_task_for_the_scheduler_to_enqueue():
    assert {
        "mail-fetch": mail_tasks.fetch_mail,
        "outbox-sweep": mail_tasks.sweep_outbox,
        "escalation": ticket_tasks.escalate_tickets,
        "auto-close": ticket_tasks.auto_close_tickets,
        "mass-actions": ticket_tasks.resume_mass_jobs,
        "webhook-sweep": webhook_tasks.sweep_webhooks,
        "pending-uploads": panel_tasks.remove_expired_uploads,
    } == jobs.TASKS


def test_intervals_and_timeouts_are_set_by_job_name(settings):
    settings.JOB_INTERVALS = {"mail-fetch": 30}
    assert jobs.JOBS["mail-fetch"].interval == 30
    assert jobs.JOBS["escalation"].interval == 300
    settings.JOB_TIMEOUTS = {"mail-fetch-typo": 30}
    with pytest.raises(CommandError, match="mail-fetch-typo"):
        jobs.check_settings()


@pytest.mark.parametrize("raw", ["mail-fetch", "mail-fetch=soon", "=30", "mail-fetch=0"])
def test_job_seconds_in_the_environment_are_name_equals_seconds(monkeypatch, raw):
    monkeypatch.setenv("JOB_INTERVALS", raw)
    with pytest.raises(Exception, match="name=seconds"):
        env_seconds("JOB_INTERVALS")


def test_job_seconds_in_the_environment_are_read(monkeypatch):
    monkeypatch.setenv("JOB_INTERVALS", " mail-fetch=30, escalation=600 ,")
    assert env_seconds("JOB_INTERVALS") == {"mail-fetch": 30, "escalation": 600}


class Queue:
    """Stands in for huey: what a scheduler enqueued."""

    def __init__(self) -> None:
        self.enqueued: list[str] = []

    def enqueue(self, signature) -> None:
        self.enqueued.append(signature.name)


def a_worker(queue: Queue) -> scheduler.JobScheduler:
    return scheduler.JobScheduler(
        huey=queue, stop_flag=threading.Event(), interval=1, periodic=True
    )


@pytest.fixture
def every_claim(monkeypatch):
    # Each call claims (or renews) the lock, instead of every few seconds.
    monkeypatch.setattr(scheduler, "CLAIM_EVERY", 0)


def test_of_two_workers_one_schedules_each_job_once_per_tick(every_claim):
    queue = Queue()
    one, two = a_worker(queue), a_worker(queue)
    start = 3_000_000_000.0  # on a five-minute boundary
    try:
        for second in range(0, 600, 10):
            one.enqueue_due_jobs(start + 1 + second)
            two.enqueue_due_jobs(start + 2 + second)
    finally:
        one.let_go()
        two.let_go()
    runs = {name: queue.enqueued.count(task.s().name) for name, task in jobs.TASKS.items()}
    # Ten minutes from the tick it took the lock in: ticks after it only, like cron.
    assert runs == {
        "mail-fetch": 9,
        "outbox-sweep": 9,
        "escalation": 1,
        "auto-close": 0,
        "mass-actions": 9,
        "webhook-sweep": 9,
        "pending-uploads": 0,
    }


def test_when_the_scheduling_worker_stops_another_takes_over(every_claim):
    queue = Queue()
    one, two = a_worker(queue), a_worker(queue)
    start = 3_000_000_000.0
    one.enqueue_due_jobs(start)
    two.enqueue_due_jobs(start)
    one.enqueue_due_jobs(start + 60)
    assert queue.enqueued.count("fetch_mail") == 1

    one.let_go()
    one.enqueue_due_jobs(start + 120)
    two.enqueue_due_jobs(start + 121)  # takes the lock in this tick: from the next on
    two.enqueue_due_jobs(start + 180)
    assert queue.enqueued.count("fetch_mail") == 2
    two.let_go()
