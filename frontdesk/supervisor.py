"""`frontdesk run`'s children, kept up: one that stops is started again, after a wait.

The wait starts at a second and doubles up to a minute while a child keeps
dying, and starts over once it stayed up a minute. Each restart is logged and
recorded (frontdesk.models.Restart) for the panel's banner. A child whose very
first start failed by itself (an exit code, no signal) is a mistake to fix, such
as a port in use: then everything stops, as before. SIGTERM or SIGINT (Ctrl-C)
stops every child and restarts none.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from frontdesk.models import Restart

log = logging.getLogger(__name__)

FIRST_DELAY = 1.0
LONGEST_DELAY = 60.0
#: Up this long, a child counts as healthy: its next restart waits FIRST_DELAY again.
STABLE_AFTER = 60.0
#: A first start that exits by itself within this time failed to start at all.
START_GRACE = 10.0
#: Restarts are kept this long, for the panel.
KEEP_RESTARTS = timedelta(days=7)


@dataclass
class Child:
    process: str  # a frontdesk.models.Supervised value
    label: str
    command: list[str]
    popen: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    starts: int = 0
    delay: float = FIRST_DELAY
    restart_at: float | None = field(default=None)

    def start(self) -> None:
        self.popen = subprocess.Popen(self.command)  # noqa: S603 - our own command line
        self.started_at = time.monotonic()
        self.starts += 1
        self.restart_at = None

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None


class Supervisor:
    def __init__(self, children: list[Child]) -> None:
        self.children = children
        self.stopping = False
        self.failed_to_start: Child | None = None

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        for child in self.children:
            child.start()
        while not self.stopping and self.failed_to_start is None:
            for child in self.children:
                self.look_after(child)
            time.sleep(0.2)
        return self._stop_all()

    def _stop(self, signum: int, frame: Any) -> None:
        self.stopping = True
        for child in self.children:
            if child.running:
                child.popen.send_signal(signal.SIGTERM)  # type: ignore[union-attr]

    def look_after(self, child: Child) -> None:
        """Restart the child when its wait is over; note a death and set the wait."""
        now = time.monotonic()
        if child.running:
            if now - child.started_at >= STABLE_AFTER:
                child.delay = FIRST_DELAY
            return
        if child.restart_at is not None:
            if now >= child.restart_at and not self.stopping:
                log.info("Starting the %s again.", child.label)
                child.start()
            return
        assert child.popen is not None
        code = child.popen.returncode
        if child.starts == 1 and code > 0 and now - child.started_at < START_GRACE:
            log.error("The %s could not start (exit code %s): stopping.", child.label, code)
            self.failed_to_start = child
            return
        log.warning(
            "the %s stopped (%s, pid %s); restarting it in %g s",
            child.label,
            _describe(code),
            child.popen.pid,
            child.delay,
        )
        _record_restart(child.process, child.popen.pid, code)
        child.restart_at = now + child.delay
        child.delay = min(child.delay * 2, LONGEST_DELAY)

    def _stop_all(self) -> int:
        self._stop(signal.SIGTERM, None)
        deadline = time.monotonic() + 20
        for child in self.children:
            if child.popen is None:
                continue
            try:
                child.popen.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                log.error("The %s did not stop within 20 s: killing it.", child.label)
                child.popen.kill()
                child.popen.wait()
            log.info("The %s stopped (%s).", child.label, _describe(child.popen.returncode))
        if self.failed_to_start is not None:
            assert self.failed_to_start.popen is not None
            return self.failed_to_start.popen.returncode
        stopped = (0, -signal.SIGTERM, -signal.SIGINT)
        # A child waiting for its restart was logged when it died; it is no failure of the stop.
        codes = [
            child.popen.returncode
            for child in self.children
            if child.popen is not None and child.restart_at is None
        ]
        return next((code for code in codes if code not in stopped), 0)


def _describe(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def _record_restart(process: str, pid: int, code: int) -> None:
    """For the panel; a database that is away must not stop the supervision."""
    try:
        close_old_connections()
        Restart.objects.create(process=process, pid=pid, exit_code=code)
        Restart.objects.filter(stopped_at__lt=timezone.now() - KEEP_RESTARTS).delete()
    except DatabaseError:
        log.exception("could not record the restart of the %s", process)
