"""Real `frontdesk` processes for the fault tests: workers on a Redis queue of
their own, `frontdesk run`, and a mail server that never answers.

Every process is started in a session of its own and stopped (SIGTERM, then
SIGKILL for the whole session) by the test that started it, so no worker
outlives its test.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis
from django.db import connection
from huey.storage import RedisStorage

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
COMMAND = [sys.executable, "-m", "frontdesk.cli"]


def database_url() -> str:
    """The test database, for the processes a test starts."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


@contextlib.contextmanager
def redis_environment(data_dir: Path) -> Iterator[dict[str, str]]:
    """The environment of a worker on a queue of its own in the test Redis; its keys go after."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: {error} (make test starts it)")
    name = f"frontdesk-faults-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "REDIS_URL": REDIS_URL,
        "HUEY_NAME": name,
        "HUEY_IMMEDIATE": "false",
        "DATABASE_URL": database_url(),
        "FRONTDESK_DATA_DIR": str(data_dir),
    }
    try:
        yield env
    finally:
        # huey strips the dashes from the name in some of its keys.
        for pattern in (f"*{name}*", f"*{name.replace('-', '')}*"):
            for key in client.scan_iter(pattern):
                client.delete(key)


def queue_storage(env: dict[str, str]) -> RedisStorage:
    """The worker's queue as huey sees it, from the test's side."""
    return RedisStorage(name=env["HUEY_NAME"], url=env["REDIS_URL"])


class Process:
    """A `frontdesk` subcommand whose output goes to a file the test reads while it runs."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log_path = log
        self._log = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(  # noqa: S603
            [*COMMAND, *args],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for_output(self, text: str, timeout: float = 20) -> None:
        wait_until(lambda: text in self.output(), timeout, lambda: self.output())

    def kill_hard(self) -> None:
        """kill -9, as the OOM killer or a crash does, and reap it."""
        os.kill(self.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self, timeout: float = 20) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=timeout)
        # Whatever it started (the children of `frontdesk run`) goes with it.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)
        self._log.close()
        return self.popen.returncode


def wait_until(
    condition: Callable[[], object],
    timeout: float,
    explain: Callable[[], str] = lambda: "",
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout} s\n{explain()}")


_LOG_TIME = re.compile(r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3})\]", re.MULTILINE)


def logged_at(output: str, text: str) -> list[float]:
    """When each line of the output that holds ``text`` was logged (seconds, UTC)."""
    times = []
    for line in output.splitlines():
        match = _LOG_TIME.match(line)
        if match and text in line:
            moment = datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S,%f").replace(tzinfo=UTC)
            times.append(moment.timestamp())
    return times


def children_of(pid: int) -> dict[int, str]:
    """The live processes whose parent is ``pid``, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        # The command name in parentheses may hold spaces: the fields after it count.
        state, parent = stat.rsplit(")", 1)[1].split()[:2]
        if int(parent) == pid and state != "Z":
            found[int(entry.name)] = command
    return found


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class SilentServer:
    """A TCP server that accepts connections and never says a word: a mail server
    that hangs, so a poll of it blocks inside its job. Counts the connections."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self._socket.settimeout(0.2)
        self.port = self._socket.getsockname()[1]
        self.connected_at: list[float] = []
        self._open: list[socket.socket] = []
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._open.append(client)
            self.connected_at.append(time.time())

    @property
    def connections(self) -> int:
        return len(self.connected_at)

    def close(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=5)
        for client in self._open:
            client.close()
        self._socket.close()
