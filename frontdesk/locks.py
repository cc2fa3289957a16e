"""Locks that expire, kept where the worker queue is: Redis, or the queue's SQLite file.

huey's ``lock_task`` keeps a lock until the run that took it releases it, so
a worker killed inside a locked job (kill -9, the OOM killer, a power cut)
left that job locked for good. Its TTL needs Redis 7.4 (HEXPIRE) and is not
there for SQLite at all. These locks expire after a time the caller chooses,
longer than the run they guard may take, and name their holder (machine and
process): a worker starting on the same machine frees the locks of processes
that are gone at once (`clear_abandoned`); for holders elsewhere, which
nobody here can check, the expiry does.
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
import time
from pathlib import Path
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
from huey.storage import BaseStorage, MemoryStorage, RedisStorage, SqliteStorage


def _this_machine() -> str:
    """The host name, and the PID namespace: two containers with one name are apart."""
    try:
        namespace = os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        namespace = 0
    return f"{socket.gethostname()}/{namespace}"


MACHINE = _this_machine()


def make_owner() -> str:
    """``machine:pid:token``; the token tells apart two holders in one process."""
    return f"{MACHINE}:{os.getpid()}:{secrets.token_hex(4)}"


def _process_of(owner: str) -> tuple[str, int] | None:
    machine, _, rest = owner.rpartition(":")
    machine, _, pid = machine.rpartition(":")
    return (machine, int(pid)) if pid.isdigit() and rest else None


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    try:
        # A killed child its parent has not reaped yet is a zombie: gone all the same.
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


class _Store(Protocol):
    def acquire(self, name: str, owner: str, ttl: float) -> bool: ...
    def renew(self, name: str, owner: str, ttl: float) -> bool: ...
    def release(self, name: str, owner: str) -> bool: ...
    def owner(self, name: str) -> str | None: ...


_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
return 0"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0"""


class _RedisStore:
    def __init__(self, storage: RedisStorage) -> None:
        self.conn = storage.conn
        # Beside huey's own keys (huey.redis.<name>, ...), so whatever cleans those finds these.
        self.prefix = f"huey.lock.{storage.name}."

    def acquire(self, name: str, owner: str, ttl: float) -> bool:
        return bool(self.conn.set(self.prefix + name, owner, nx=True, px=int(ttl * 1000)))

    def renew(self, name: str, owner: str, ttl: float) -> bool:
        return bool(self.conn.eval(_RENEW, 1, self.prefix + name, owner, int(ttl * 1000)))

    def release(self, name: str, owner: str) -> bool:
        return bool(self.conn.eval(_RELEASE, 1, self.prefix + name, owner))

    def owner(self, name: str) -> str | None:
        value = self.conn.get(self.prefix + name)
        return value.decode() if value is not None else None


class _SqliteStore:
    """Rows with an expiry (table ``frontdesk_lock``, made with the queue's own in
    frontdesk/sqlite/queue.py); only processes of one machine share the file: one clock."""

    def __init__(self, storage: SqliteStorage) -> None:
        self.storage = storage

    def acquire(self, name: str, owner: str, ttl: float) -> bool:
        now = time.time()
        with self.storage.db(commit=True) as cursor:
            cursor.execute(
                "delete from frontdesk_lock where queue = ? and name = ? and expires_at <= ?",
                (self.storage.name, name, now),
            )
            cursor.execute(
                "insert or ignore into frontdesk_lock (queue, name, owner, expires_at) "
                "values (?, ?, ?, ?)",
                (self.storage.name, name, owner, now + ttl),
            )
            return cursor.rowcount == 1

    def renew(self, name: str, owner: str, ttl: float) -> bool:
        now = time.time()
        with self.storage.db(commit=True) as cursor:
            cursor.execute(
                "update frontdesk_lock set expires_at = ? "
                "where queue = ? and name = ? and owner = ? and expires_at > ?",
                (now + ttl, self.storage.name, name, owner, now),
            )
            return cursor.rowcount == 1

    def release(self, name: str, owner: str) -> bool:
        with self.storage.db(commit=True) as cursor:
            cursor.execute(
                "delete from frontdesk_lock where queue = ? and name = ? and owner = ?",
                (self.storage.name, name, owner),
            )
            return cursor.rowcount == 1

    def owner(self, name: str) -> str | None:
        rows = self.storage.sql(
            "select owner from frontdesk_lock where queue = ? and name = ? and expires_at > ?",
            (self.storage.name, name, time.time()),
            results=True,
        )
        return rows[0][0] if rows else None


class _MemoryStore:
    """huey's immediate mode (the tests): tasks run inline, in this process only."""

    _locks: dict[str, tuple[str, float]] = {}
    _mutex = threading.Lock()

    def _current(self, name: str) -> str | None:
        owner, expires_at = self._locks.get(name, ("", 0.0))
        return owner if expires_at > time.monotonic() else None

    def acquire(self, name: str, owner: str, ttl: float) -> bool:
        with self._mutex:
            if self._current(name) is not None:
                return False
            self._locks[name] = (owner, time.monotonic() + ttl)
            return True

    def renew(self, name: str, owner: str, ttl: float) -> bool:
        with self._mutex:
            if self._current(name) != owner:
                return False
            self._locks[name] = (owner, time.monotonic() + ttl)
            return True

    def release(self, name: str, owner: str) -> bool:
        with self._mutex:
            if self._current(name) != owner:
                return False
            del self._locks[name]
            return True

    def owner(self, name: str) -> str | None:
        with self._mutex:
            return self._current(name)


def _store(storage: BaseStorage | None) -> _Store:
    if storage is None:
        from huey.contrib.djhuey import HUEY

        # Read at call time: the tests switch the queue to immediate (memory) mode.
        storage = HUEY.storage
    if isinstance(storage, RedisStorage):
        return _RedisStore(storage)
    if isinstance(storage, SqliteStorage):
        return _SqliteStore(storage)
    if isinstance(storage, MemoryStorage):
        return _MemoryStore()
    raise ImproperlyConfigured(f"No expiring locks for a {type(storage).__name__} queue.")


class ExpiringLock:
    """A named lock held for at most ``ttl`` seconds unless renewed; only its owner
    renews or releases it, so a run that outlived its lock cannot free the next one's."""

    def __init__(
        self,
        name: str,
        *,
        ttl: float,
        storage: BaseStorage | None = None,
        owner: str | None = None,
    ) -> None:
        self.name = name
        self.ttl = ttl
        self.owner = owner or make_owner()
        self._storage = storage

    def acquire(self) -> bool:
        return _store(self._storage).acquire(self.name, self.owner, self.ttl)

    def renew(self) -> bool:
        return _store(self._storage).renew(self.name, self.owner, self.ttl)

    def release(self) -> bool:
        return _store(self._storage).release(self.name, self.owner)

    def holder(self) -> str | None:
        return _store(self._storage).owner(self.name)


def clear_abandoned(names: list[str], storage: BaseStorage | None = None) -> dict[str, int]:
    """Free the locks held by processes of this machine that are gone; {name: their pid}.

    Only a holder on this machine can be checked; a process id that is in use
    again keeps its lock until it expires, which costs a wait, never a second run.
    """
    store = _store(storage)
    cleared = {}
    for name in names:
        owner = store.owner(name)
        holder = _process_of(owner) if owner else None
        if owner is None or holder is None:
            continue
        machine, pid = holder
        gone = machine == MACHINE and pid != os.getpid() and not is_running(pid)
        if gone and store.release(name, owner):
            cleared[name] = pid
    return cleared
