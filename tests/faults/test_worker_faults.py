"""Workers that die, hang or run side by side: periodic jobs go on, once per tick.

Real `frontdesk worker` processes on a Redis queue of their own, against the
test database; the jobs run every few seconds here (JOB_INTERVALS) instead of
every minute. The mailbox polled is a server that accepts and never answers,
so a poll hangs inside its job, as one does when a mail server stalls, and
each poll shows as a connection to it.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from frontdesk import locks, scheduler
from frontdesk.models import JobRun
from mail.models import Mailbox, Security
from tests.faults.worker_processes import (
    Process,
    SilentServer,
    logged_at,
    queue_storage,
    redis_environment,
    wait_until,
)

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    with redis_environment(tmp_path) as env:
        yield env


@pytest.fixture
def hanging_mailbox() -> Iterator[SilentServer]:
    server = SilentServer()
    Mailbox.objects.create(
        name="Stalled server",
        host="127.0.0.1",
        port=server.port,
        security=Security.NONE,
        username="support",
        password="secret",
    )
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[list[Process]]:
    started: list[Process] = []
    yield started
    for process in started:
        process.stop()


def start_worker(workers: list[Process], env: dict[str, str], tmp_path: Path) -> Process:
    process = Process(["worker"], env, tmp_path / f"worker-{len(workers) + 1}.log")
    workers.append(process)
    return process


def test_a_worker_killed_inside_the_mail_job_does_not_stop_mail_polling(
    worker_env, hanging_mailbox, workers, tmp_path
):
    env = {**worker_env, "JOB_INTERVALS": "mail-fetch=2", "MAIL_MAILBOX_TIMEOUT": "120"}
    first = start_worker(workers, env, tmp_path)
    wait_until(lambda: hanging_mailbox.connections == 1, 20, first.output)
    # Later ticks find the job still running and leave it be.
    first.wait_for_output("mail-fetch is still running")
    assert hanging_mailbox.connections == 1

    first.kill_hard()
    second = start_worker(workers, env, tmp_path)

    # Its lock died with it: the next worker polls again at once, not never.
    wait_until(lambda: hanging_mailbox.connections == 2, 20, second.output)
    assert "left by process" in second.output(), second.output()


def test_a_lock_left_by_a_machine_that_died_expires_after_the_job_timeout(
    worker_env, hanging_mailbox, workers, tmp_path
):
    env = {
        **worker_env,
        "JOB_INTERVALS": "mail-fetch=1",
        "JOB_TIMEOUTS": "mail-fetch=6",
        "MAIL_MAILBOX_TIMEOUT": "120",
    }
    # A worker on another machine took the lock and was never heard of again:
    # nobody here can tell it is gone, so only the lock's expiry frees the job.
    elsewhere = locks.ExpiringLock(
        "mail-fetch",
        ttl=6,
        storage=queue_storage(env),
        owner="other-machine/1:4242:gone",
    )
    assert elsewhere.acquire()
    taken = time.time()
    worker = start_worker(workers, env, tmp_path)

    wait_until(lambda: hanging_mailbox.connections == 1, 20, worker.output)
    assert hanging_mailbox.connected_at[0] >= taken + 5.5
    assert "mail-fetch is still running" in worker.output()
    assert "left by process" not in worker.output()


def test_two_workers_run_each_periodic_job_once_per_tick(worker_env, workers, tmp_path):
    env = {**worker_env, "JOB_INTERVALS": "mail-fetch=3"}
    one = start_worker(workers, env, tmp_path)
    two = start_worker(workers, env, tmp_path)
    for worker in (one, two):
        worker.wait_for_output("Huey consumer started")
    time.sleep(12)

    outputs = [one.output(), two.output()]
    schedulers = [output for output in outputs if scheduler.SCHEDULING in output]
    assert len(schedulers) == 1, outputs
    runs = sorted(
        moment for output in outputs for moment in logged_at(output, "Executing mail.tasks.fetch")
    )
    assert len(runs) >= 3, outputs
    gaps = [later - earlier for earlier, later in itertools.pairwise(runs)]
    # One scheduler: a run every 3 s (give or take its 1 s loop); two: pairs apart by < 1 s.
    assert min(gaps) > 1.5, (gaps, outputs)
    assert JobRun.objects.get(name="mail-fetch").completed_at is not None


def test_the_worker_that_schedules_hands_over_when_it_stops(worker_env, workers, tmp_path):
    env = {**worker_env, "JOB_INTERVALS": "mail-fetch=1"}
    one = start_worker(workers, env, tmp_path)
    one.wait_for_output(scheduler.SCHEDULING)
    two = start_worker(workers, env, tmp_path)
    two.wait_for_output("Huey consumer started")

    one.stop()  # SIGTERM: it lets the scheduler lock go as it leaves

    two.wait_for_output(scheduler.SCHEDULING, timeout=20)
    before = len(logged_at(two.output(), "Executing mail.tasks.fetch"))
    wait_until(
        lambda: len(logged_at(two.output(), "Executing mail.tasks.fetch")) >= before + 2,
        10,
        two.output,
    )
