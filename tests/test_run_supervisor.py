"""How `frontdesk run` restarts a child that stops: after a wait that doubles while
it keeps dying, up to a cap, and starts over once it stayed up; each restart is
recorded for the panel. (The real `run`: tests/faults/test_run_restarts.py.)"""

from __future__ import annotations

import sys
import time

import pytest

from frontdesk import supervisor
from frontdesk.models import Restart, Supervised
from frontdesk.supervisor import Child, Supervisor

# transaction: the supervisor checks its connection as a long-running process must.
pytestmark = pytest.mark.django_db(transaction=True)


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


KILLED = python("import os, signal; os.kill(os.getpid(), signal.SIGKILL)")


@pytest.fixture
def short_waits(monkeypatch):
    monkeypatch.setattr(supervisor, "FIRST_DELAY", 0.1)
    monkeypatch.setattr(supervisor, "LONGEST_DELAY", 0.3)
    monkeypatch.setattr(supervisor, "STABLE_AFTER", 1.0)


def deaths(child: Child, count: int) -> list[float]:
    """Look after the child until it died ``count`` times; the waits before each restart."""
    watcher = Supervisor([child])
    waits: list[float] = []
    deadline = time.monotonic() + 20
    child.start()
    while len(waits) < count and time.monotonic() < deadline:
        waiting, before = child.restart_at is not None, time.monotonic()
        watcher.look_after(child)
        if not waiting and child.restart_at is not None:
            waits.append(round(child.restart_at - before, 1))
        time.sleep(0.01)
    if child.popen is not None and child.popen.poll() is None:
        child.popen.kill()
        child.popen.wait()
    return waits


def test_a_child_that_keeps_dying_waits_twice_as_long_each_time_up_to_a_cap(short_waits):
    child = Child(Supervised.WORKER, "worker", KILLED, delay=0.1)
    assert deaths(child, 4) == [0.1, 0.2, 0.3, 0.3]
    assert list(Restart.objects.values_list("process", "exit_code")) == [("worker", -9)] * 4


def test_a_child_that_stayed_up_a_while_is_restarted_at_once_again(short_waits):
    child = Child(Supervised.WEB, "web server", python("import time; time.sleep(1.2)"))
    child.delay = 0.3  # as after a few quick deaths
    assert deaths(child, 1) == [0.1]


def test_a_child_that_fails_its_first_start_stops_everything():
    child = Child(Supervised.WEB, "web server", python("import sys; sys.exit(3)"))
    watcher = Supervisor([child])
    child.start()
    assert child.popen is not None
    child.popen.wait()
    watcher.look_after(child)
    assert watcher.failed_to_start is child
    assert child.restart_at is None and not Restart.objects.exists()
