"""The periodic jobs: how often each runs, its lock, and the record of its last run.

Every job is declared here, so the panel knows them all without importing
the tasks; `mail/tasks.py` and `tickets/tasks.py` attach their functions with
``@periodic_job(name)``. A run takes the job's lock (frontdesk/locks.py),
which expires after the job's timeout: a worker killed inside a run delays
the next one, never stops it. Which worker enqueues the runs is
frontdesk/scheduler.py's business.
"""

from __future__ import annotations

import functools
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db.models import Count
from django.utils import timezone
from huey.contrib.djhuey import db_task

from frontdesk import locks
from frontdesk.models import JobRun, Restart

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    title: str
    every: int  # seconds between two runs
    # How long a run may hold the lock: past it, the next run goes ahead even if
    # this one still runs (all jobs are safe side by side; the lock saves work).
    timeout: int
    locked: bool = True

    @property
    def interval(self) -> int:
        return settings.JOB_INTERVALS.get(self.name, self.every)

    @property
    def lock_timeout(self) -> int:
        return settings.JOB_TIMEOUTS.get(self.name, self.timeout)


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job("mail-fetch", "Mail polling", every=60, timeout=600),
        # No lock: rows are claimed one by one, so two sweeps never send one mail twice.
        Job("outbox-sweep", "Outbox sweep", every=60, timeout=600, locked=False),
        Job("escalation", "Escalation", every=300, timeout=600),
        Job("auto-close", "Auto-close", every=900, timeout=900),
        # No lock of its own: each mass action has one (tickets/mass.py).
        Job("mass-actions", "Mass actions left unfinished", every=60, timeout=600, locked=False),
        # No lock: deliveries are claimed one by one (webhooks/outbox.py).
        Job("webhook-sweep", "Webhook deliveries", every=60, timeout=600, locked=False),
        # Files of refused panel forms left unused (panel/pending_uploads.py).
        Job("pending-uploads", "Expired pending uploads", every=3600, timeout=600),
    )
}

#: The huey task of each job, once its tasks module is imported (the worker imports all).
TASKS: dict[str, Any] = {}


def check_settings() -> None:
    """JOB_INTERVALS and JOB_TIMEOUTS name jobs that exist (a typo would change nothing)."""
    for setting in ("JOB_INTERVALS", "JOB_TIMEOUTS"):
        unknown = set(getattr(settings, setting)) - set(JOBS)
        if unknown:
            raise CommandError(
                f"{setting} names no job {', '.join(sorted(unknown))}; "
                f"the jobs are {', '.join(JOBS)}."
            )


def periodic_job(name: str) -> Callable[[Callable[[], Any]], Any]:
    """The function becomes the huey task of job ``name``; the scheduler enqueues it."""
    job = JOBS[name]

    def decorator(function: Callable[[], Any]) -> Any:
        @functools.wraps(function)
        def run() -> Any:
            return run_job(job, function)

        task = db_task()(run)
        TASKS[name] = task
        return task

    return decorator


def run_job(job: Job, function: Callable[[], Any]) -> Any:
    """One run: under the job's lock when it has one, recorded in JobRun."""
    lock = locks.ExpiringLock(job.name, ttl=job.lock_timeout) if job.locked else None
    if lock is not None and not lock.acquire():
        log.info("%s is still running (held by %s); this run is skipped.", job.name, lock.holder())
        return None
    try:
        _record(job, started_at=timezone.now(), ran_by=f"{socket.gethostname()}:{os.getpid()}")
        try:
            result = function()
        except Exception as error:
            _record(job, failed_at=timezone.now(), error=f"{type(error).__name__}: {error}"[:2000])
            raise
        _record(job, completed_at=timezone.now(), error="")
        return result
    finally:
        if lock is not None:
            lock.release()


def _record(job: Job, **fields: Any) -> None:
    if "started_at" in fields:
        JobRun.objects.update_or_create(name=job.name, defaults=fields)
    else:
        JobRun.objects.filter(name=job.name).update(**fields)


@dataclass(frozen=True)
class JobState:
    """A job as the panel shows it."""

    job: Job
    run: JobRun | None
    late: bool

    @property
    def every(self) -> str:
        return describe_seconds(self.job.interval)


def describe_seconds(seconds: int) -> str:
    for unit, size in (("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def is_late(job: Job, run: JobRun | None, now: datetime) -> bool:
    """No run completed for twice the job's interval (one missed tick is no alarm yet).

    A job that never ran is not late here: a new installation's first seconds
    would raise the alarm; the Mail page lists it as never run.
    """
    if run is None:
        return False
    since = run.completed_at or run.started_at
    return now - since > timedelta(seconds=2 * job.interval)


def states(now: datetime | None = None) -> list[JobState]:
    now = now or timezone.now()
    runs = {run.name: run for run in JobRun.objects.all()}
    return [
        JobState(job, runs.get(job.name), is_late(job, runs.get(job.name), now))
        for job in JOBS.values()
    ]


#: How far back the panel counts restarts of the worker and the web server.
RESTARTS_SHOWN_FOR = timedelta(hours=1)


def recent_restarts(now: datetime | None = None) -> list[tuple[str, int]]:
    """(process label, restarts) in the last hour, e.g. [("worker", 3)]."""
    since = (now or timezone.now()) - RESTARTS_SHOWN_FOR
    counts = (
        Restart.objects.filter(stopped_at__gte=since)
        .values_list("process")
        .annotate(count=Count("id"))
        .order_by("process")
    )
    labels = dict(Restart._meta.get_field("process").flatchoices)
    return [(str(labels[process]), count) for process, count in counts]
