"""The periodic jobs' locks expire, and only their holder renews or releases them,
in both stores a worker queue can have: Redis and the SQLite queue file."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from huey.storage import BaseStorage, RedisStorage

from frontdesk import locks
from frontdesk.sqlite.queue import LazySqliteStorage
from tests.faults.worker_processes import REDIS_URL


@pytest.fixture(params=["redis", "sqlite"])
def storage(request, tmp_path: Path) -> Iterator[BaseStorage]:
    if request.param == "sqlite":
        yield LazySqliteStorage(name="frontdesk", filename=str(tmp_path / "queue.sqlite3"))
        return
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: {error} (make test starts it)")
    name = f"locktest{uuid.uuid4().hex[:8]}"
    yield RedisStorage(name=name, url=REDIS_URL)
    for key in client.scan_iter(f"*{name}*"):
        client.delete(key)


def lock(storage: BaseStorage, ttl: float = 60, owner: str | None = None) -> locks.ExpiringLock:
    return locks.ExpiringLock("mail-fetch", ttl=ttl, storage=storage, owner=owner)


def gone_pid() -> int:
    """The id of a process of this machine that has ended."""
    process = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(process.stdout)


def test_a_held_lock_is_refused_to_everybody_else(storage):
    first, second = lock(storage), lock(storage)
    assert first.acquire()
    assert not second.acquire()
    assert second.holder() == first.owner


def test_a_lock_nobody_renews_expires(storage):
    assert lock(storage, ttl=0.3).acquire()
    assert not lock(storage).acquire()
    time.sleep(0.5)
    assert lock(storage).acquire()


def test_only_the_holder_renews_or_releases_a_lock(storage):
    holder, other = lock(storage, ttl=0.5), lock(storage, ttl=60)
    assert holder.acquire()
    assert not other.renew()
    assert not other.release()
    time.sleep(0.3)
    assert holder.renew()
    time.sleep(0.3)  # past the first expiry: the renewal counts
    assert not other.acquire()
    assert holder.release()
    assert other.acquire()


def test_a_run_that_outlived_its_lock_cannot_release_the_next_runs(storage):
    late = lock(storage, ttl=0.2)
    assert late.acquire()
    time.sleep(0.3)
    next_run = lock(storage)
    assert next_run.acquire()
    assert not late.release()
    assert next_run.holder() == next_run.owner


def test_a_worker_starting_frees_the_locks_of_processes_of_this_machine_that_are_gone(storage):
    dead = f"{locks.MACHINE}:{gone_pid()}:abcd"
    assert lock(storage, owner=dead).acquire()

    assert locks.clear_abandoned(["mail-fetch", "escalation"], storage) == {
        "mail-fetch": int(dead.split(":")[-2])
    }
    assert lock(storage).acquire()


@pytest.mark.parametrize(
    "owner",
    [
        pytest.param(lambda: locks.make_owner(), id="this process"),
        pytest.param(lambda: f"{locks.MACHINE}:1:abcd", id="a live process"),
        pytest.param(lambda: f"elsewhere.example/1:{gone_pid()}:abcd", id="another machine"),
    ],
)
def test_locks_of_live_processes_and_of_other_machines_are_left_to_expire(storage, owner):
    held = lock(storage, owner=owner())
    assert held.acquire()
    assert locks.clear_abandoned(["mail-fetch"], storage) == {}
    assert lock(storage).holder() == held.owner
