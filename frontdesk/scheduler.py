"""Which worker enqueues the periodic jobs: the one holding the scheduler lock.

Every `frontdesk worker` runs huey's scheduler thread, and with huey's own
periodic tasks each of them enqueued every job on every tick, so N workers
ran each job N times (the job locks only kept the runs from overlapping).
Here the scheduler thread first takes an expiring "scheduler" lock, renews it
while it lives and lets it go when it stops; the others try again every few
seconds and take over when it is gone. A job is due when the clock enters a
new multiple of its interval (every minute on the minute, like cron).
"""

from __future__ import annotations

import logging
import time

from huey.consumer import Consumer, Scheduler

from frontdesk import jobs, locks

log = logging.getLogger(__name__)

SCHEDULER_LOCK = "scheduler"
#: Seconds the scheduler lock lasts unrenewed: how long the jobs wait for a
#: new scheduler after the one holding it died on another machine.
SCHEDULER_LEASE = 30
#: Seconds between two claims: the holder renews its lease, the others try to take it.
CLAIM_EVERY = 5
SCHEDULING = "This worker schedules the periodic jobs"

#: Names of huey's lock_task locks of earlier versions, which never expired.
OLD_HUEY_LOCKS = ("mail-fetch", "tickets-escalation", "tickets-auto-close")


class JobScheduler(Scheduler):
    """huey's scheduler (tasks with an eta), plus the periodic jobs while it holds the lock."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._lock = locks.ExpiringLock(SCHEDULER_LOCK, ttl=SCHEDULER_LEASE)
        self._holding = False
        self._stopped = False
        self._next_claim = 0.0
        self._enqueued_slot: dict[str, int] = {}

    def initialize(self) -> None:
        super().initialize()
        try:
            clear_abandoned_locks()
        except Exception:
            self._logger.exception("Could not clear the locks of workers that are gone.")

    def loop(self, now: object = None) -> None:
        if self.periodic:
            try:
                self.enqueue_due_jobs(time.time())
            except Exception:
                # Redis or the queue file away for a moment: the next claim tells
                # whether this worker still holds the lock.
                self._logger.exception("Could not schedule the periodic jobs.")
        super().loop(now)

    def enqueue_due_jobs(self, now: float) -> None:
        if self._stopped:
            return
        if time.monotonic() >= self._next_claim:
            self._claim(now)
        if not self._holding:
            return
        for name, task in jobs.TASKS.items():
            slot = int(now // jobs.JOBS[name].interval)
            if self._enqueued_slot.get(name) != slot:
                self._enqueued_slot[name] = slot
                self._logger.info("Enqueueing periodic job %s.", name)
                self.huey.enqueue(task.s())

    def _claim(self, now: float) -> None:
        self._next_claim = time.monotonic() + CLAIM_EVERY
        holding = self._lock.renew() if self._holding else self._lock.acquire()
        if holding and not self._holding:
            self._logger.info("%s (it holds the scheduler lock).", SCHEDULING)
            # From the next tick on, as cron does: the tick under way may have been
            # enqueued by the worker that held the lock before.
            self._enqueued_slot = {
                name: int(now // job.interval) for name, job in jobs.JOBS.items()
            }
        elif self._holding and not holding:
            self._logger.warning("This worker lost the scheduler lock; another may take over.")
        self._holding = holding

    def let_go(self) -> None:
        """Stop scheduling and release the lock: the next worker need not wait for
        the lease to run out."""
        self._stopped = True
        if self._holding:
            self._holding = False
            self._lock.release()

    def shutdown(self) -> None:
        self.let_go()
        super().shutdown()


class JobConsumer(Consumer):
    scheduler_class = JobScheduler

    def _create_scheduler(self) -> JobScheduler:
        # huey starts a new one when the thread died; the latest is the one to stop.
        self.job_scheduler: JobScheduler = super()._create_scheduler()
        return self.job_scheduler

    def stop(self, graceful: bool = False) -> None:
        super().stop(graceful=graceful)
        # The scheduler thread is a daemon: the process may end before it sees
        # the stop flag and runs its shutdown.
        self.job_scheduler.let_go()


def clear_abandoned_locks() -> None:
    """As a worker's scheduler starts: free the locks of workers on this machine that
    are gone (a kill -9 inside a job), so their jobs go on now rather than when the
    locks expire."""
    names = [*jobs.JOBS, SCHEDULER_LOCK]
    for name, pid in locks.clear_abandoned(names).items():
        log.warning("Cleared the lock of %s left by process %s, which is gone.", name, pid)
    from huey.contrib.djhuey import HUEY

    # Left for good by a worker of an earlier version killed inside a job; no job takes them now.
    HUEY.flush_locks(*OLD_HUEY_LOCKS)
