"""`frontdesk run` keeps its web server and worker up: one that dies is started
again, the other goes on, and a signal still stops both."""

from __future__ import annotations

import os
import signal
import sqlite3
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.worker_processes import Process, children_of, is_running, wait_until
from tests.fixtures_mail import free_port

pytestmark = pytest.mark.faults


class Run:
    def __init__(self, tmp_path: Path) -> None:
        self.port = free_port()
        self.database = tmp_path / "frontdesk.sqlite3"
        env = {
            **os.environ,
            "FRONTDESK_DATA_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{self.database}",
            "WEB_CONCURRENCY": "1",
        }
        for name in ("REDIS_URL", "SECRET_KEY", "SECRET_KEY_FILE"):
            env.pop(name, None)
        self.process = Process(
            ["run", "--bind", f"127.0.0.1:{self.port}"], env, tmp_path / "run.log"
        )

    def answers(self) -> bool:
        try:
            url = f"http://127.0.0.1:{self.port}/login/"
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def child(self, word: str) -> int | None:
        found = [pid for pid, command in children_of(self.process.pid).items() if word in command]
        return found[0] if found else None

    def restarts(self) -> list[tuple[str, int]]:
        with sqlite3.connect(self.database) as db:
            return db.execute("select process, exit_code from frontdesk_restart").fetchall()


@pytest.fixture
def frontdesk_run(tmp_path: Path) -> Iterator[Run]:
    run = Run(tmp_path)
    try:
        wait_until(run.answers, 60, run.process.output)
        wait_until(lambda: run.child(" worker") and run.child("gunicorn"), 10)
        yield run
    finally:
        run.process.stop()


def test_run_restarts_a_killed_worker_and_the_web_server_stays_up(frontdesk_run):
    run = frontdesk_run
    worker, server = run.child(" worker"), run.child("gunicorn")
    assert worker and server

    os.kill(worker, signal.SIGKILL)

    wait_until(lambda: run.child(" worker") not in (None, worker), 15, run.process.output)
    assert run.answers()
    assert run.child("gunicorn") == server
    assert run.restarts() == [("worker", -signal.SIGKILL)]
    assert "the worker stopped" in run.process.output()

    # Ctrl-C in the terminal reaches every process of the group: all of them stop.
    new_worker = run.child(" worker")
    os.killpg(run.process.pid, signal.SIGINT)
    assert run.process.popen.wait(timeout=30) == 0, run.process.output()
    assert not any(is_running(pid) for pid in (worker, new_worker, server))


def test_run_restarts_a_killed_web_server_and_the_worker_stays_up(frontdesk_run):
    run = frontdesk_run
    worker, server = run.child(" worker"), run.child("gunicorn")
    assert worker and server

    os.kill(server, signal.SIGKILL)

    wait_until(lambda: run.child("gunicorn") not in (None, server), 15, run.process.output)
    wait_until(run.answers, 20, run.process.output)
    assert run.child(" worker") == worker
    assert run.restarts() == [("web", -signal.SIGKILL)]

    new_server = run.child("gunicorn")
    run.process.popen.send_signal(signal.SIGTERM)
    assert run.process.popen.wait(timeout=30) == 0, run.process.output()
    assert not any(is_running(pid) for pid in (worker, server, new_server))
