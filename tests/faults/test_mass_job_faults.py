"""A worker killed in the middle of a mass action: every ticket is closed once or
untouched, and another worker finishes the job without closing any ticket twice.

Real `frontdesk worker` processes on a Redis queue of their own, against the test
database; the sweep of unfinished mass actions runs every second here.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.worker_processes import Process, redis_environment, wait_until
from tests.panel.helpers import open_tickets
from tickets import mass
from tickets.models import Event, MassAction, MassJob, MassJobState, Status, Ticket

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

TICKETS = 600


@pytest.fixture
def workers() -> Iterator[list[Process]]:
    started: list[Process] = []
    yield started
    for process in started:
        process.stop()


def closed_events_by_ticket() -> dict[int, int]:
    counts: dict[int, int] = {}
    for number in Event.objects.filter(code="status", new=Status.CLOSED).values_list(
        "ticket_id", flat=True
    ):
        counts[number] = counts.get(number, 0) + 1
    return counts


def test_a_worker_killed_mid_job_leaves_it_resumable_and_nothing_is_done_twice(
    world, tmp_path: Path, workers, monkeypatch
):
    tickets = open_tickets(TICKETS, world.billing)
    # Asked for here; the worker's queue gets it below (the tests' own queue runs inline).
    monkeypatch.setattr(mass, "enqueue", lambda job_id: None)
    job = mass.start(
        owner=world.supervisor,
        action=MassAction.CLOSE,
        numbers=[(ticket.number, ticket.version) for ticket in tickets],
        tell_customers=False,
    )
    with redis_environment(tmp_path) as env:
        # Batches of five: the kill lands between two of them, well before the last.
        env = {**env, "JOB_INTERVALS": "mass-actions=1", "MASS_ACTION_BATCH": "5"}
        first = Process(["worker"], env, tmp_path / "worker-1.log")
        workers.append(first)
        subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-m",
                "frontdesk.cli",
                "shell",
                "-c",
                f"from tickets.tasks import run_mass_job; run_mass_job({job.pk})",
            ],
            env=env,
            check=True,
            timeout=60,
        )

        def some_batches_done() -> bool:
            return MassJob.objects.filter(pk=job.pk, done__gte=100).exists()

        wait_until(some_batches_done, 60, first.output)
        first.kill_hard()
        job.refresh_from_db()
        assert job.state == MassJobState.RUNNING, "the job ended before the kill"
        assert 100 <= job.done < TICKETS
        # Each ticket closed once or untouched; the committed batches are exactly the closed ones.
        closed = set(Ticket.objects.filter(status=Status.CLOSED).values_list("number", flat=True))
        assert closed == {t.number for t in tickets if t.number <= job.last_number}
        assert set(closed_events_by_ticket().values()) == {1}

        # Another worker's sweep finds the job, frees the dead worker's lock and goes on.
        second = Process(["worker"], env, tmp_path / "worker-2.log")
        workers.append(second)
        started = time.monotonic()
        wait_until(
            lambda: MassJob.objects.get(pk=job.pk).state == MassJobState.DONE,
            60,
            second.output,
        )
    job.refresh_from_db()
    assert (job.done, job.refused, job.skipped, job.attempts) == (TICKETS, 0, 0, 2)
    assert Ticket.objects.filter(status=Status.CLOSED).count() == TICKETS
    assert closed_events_by_ticket() == {t.number: 1 for t in tickets}
    # Not the lock's five minutes: the dead worker's lock was freed at once.
    assert time.monotonic() - started < 60
