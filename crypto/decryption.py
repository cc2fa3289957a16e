"""Decrypting one armored block on request, through this process's decrypting worker.

``decrypt(armored)`` never raises for bad input: a block over ``MAX_BLOCK_CHARS``
is refused before any decryption; the worker (crypto/worker.py) holds the
unlocked keys, stops a compression bomb at ``MAX_OUTPUT_BYTES`` and is killed
after ``TIMEOUT`` seconds. The outcome carries the plain text or a problem in
words a person can act on, never the library's own error. The unlocked keys
live as long as the worker; a new, retired or removed key (``keys.generation``)
hands it the keys again.

The plain text exists only in the value returned: nothing here logs, caches
or stores it.
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import selectors
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from crypto import keys as stored_keys

#: Armored blocks longer than this are refused before decrypting (5 MB of armor
#: is about 3.7 MB of message: a PGP/MIME mail with its attachments).
MAX_BLOCK_CHARS = 5_000_000
#: What a decryption may produce; a compression bomb stops here.
MAX_OUTPUT_BYTES = 8 * 1024 * 1024
#: The worker's address space: unlocking, decrypting and Python itself fit easily.
MAX_WORKER_MEMORY = 1024 * 1024 * 1024
TIMEOUT = 10.0
_HEADER = struct.Struct(">I")  # the frames of crypto/worker.py

BEGIN = "-----BEGIN PGP MESSAGE-----"
END = "-----END PGP MESSAGE-----"

TOO_LARGE = gettext_lazy(
    "This encrypted block is too large to decrypt here (more than 5 MB). "
    "Ask the customer to send the information in smaller parts."
)
MALFORMED = gettext_lazy(
    "This is not a readable PGP message: the encrypted block is damaged or incomplete."
)
NO_KEY = gettext_lazy(
    "This was encrypted for a key this help desk does not have (another key, "
    "or one an administrator removed)."
)
NO_KEYS = gettext_lazy(
    "No decryption key is installed. An administrator can add one under Settings."
)
LOCKED = gettext_lazy(
    "The stored key cannot be unlocked. An administrator must paste the key and its "
    "passphrase again under Settings."
)
OUTPUT_TOO_LARGE = gettext_lazy("The decrypted information is larger than 8 MB and is not shown.")
FAILED = gettext_lazy("Decrypting took too long and was stopped. Try again later.")


@dataclass(frozen=True)
class Outcome:
    data: bytes = b""
    problem: str | Promise = ""
    key_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problem

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")


@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    generation: tuple[tuple[int, str], ...] = ()
    unlocked: bool = False
    failed: list[str] = field(default_factory=list)


_lock = threading.Lock()
_worker: _Worker | None = None


def looks_armored(block: str) -> bool:
    stripped = block.strip()
    return stripped.startswith(BEGIN) and stripped.endswith(END)


@sensitive_variables()
def decrypt(armored: str) -> Outcome:
    """One armored block (``-----BEGIN PGP MESSAGE-----`` ... ``END``)."""
    if len(armored) > MAX_BLOCK_CHARS:
        return Outcome(problem=TOO_LARGE)
    if not looks_armored(armored):
        return Outcome(problem=MALFORMED)
    return _locked({"op": "decrypt", "message": armored.strip()})


@sensitive_variables()
def decrypt_file(data: bytes) -> Outcome:
    """An encrypted file (an attachment ``report.pdf.pgp``), binary or armored."""
    if len(data) > MAX_BLOCK_CHARS:
        return Outcome(problem=TOO_LARGE)
    return _locked({"op": "decrypt", "binary": base64.b64encode(data).decode("ascii")})


@sensitive_variables()
def _locked(request: dict[str, str]) -> Outcome:
    generation = stored_keys.generation()
    if not generation:
        return Outcome(problem=NO_KEYS)
    with _lock:
        try:
            return _decrypt(request, generation)
        except (OSError, ValueError, _Stopped):
            _stop()
            return Outcome(problem=FAILED)


def forget_keys() -> None:
    """Stop this process's worker: its unlocked keys go with it."""
    with _lock:
        _stop()


class _Stopped(Exception):
    pass


@sensitive_variables()
def _decrypt(request: dict[str, str], generation: tuple[tuple[int, str], ...]) -> Outcome:
    global _worker
    if _worker is None or _worker.process.poll() is not None:
        _stop()
        _worker = _Worker(_start())
    worker = _worker
    if worker.generation != generation:
        entries = stored_keys.unsealed()
        reply = _ask(worker, {"op": "keys", "keys": entries})
        worker.failed = [str(name) for name in reply.get("failed", [])]
        worker.unlocked = len(worker.failed) < len(entries)
        worker.generation = generation
    if not worker.unlocked:
        return Outcome(problem=LOCKED)
    reply = _ask(worker, request)
    if reply.get("ok"):
        key = str(reply.get("key", ""))
        return Outcome(
            data=base64.b64decode(str(reply.get("data", ""))),
            key_id=int(key) if key.isdigit() else None,
        )
    error = reply.get("error")
    if error == "too_large":
        return Outcome(problem=OUTPUT_TOO_LARGE)
    if error == "no_key":
        return Outcome(problem=LOCKED if worker.failed else NO_KEY)
    return Outcome(problem=MALFORMED)


def _start() -> subprocess.Popen[bytes]:
    script = Path(__file__).with_name("worker.py")
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "RUST_BACKTRACE": "0",
        "LANG": "C.UTF-8",
    }
    return subprocess.Popen(  # noqa: S603 - our own script, no shell, nothing from input
        [sys.executable, "-I", str(script), str(MAX_OUTPUT_BYTES), str(MAX_WORKER_MEMORY)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=environment,
        close_fds=True,
    )


def _stop() -> None:
    global _worker
    worker, _worker = _worker, None
    if worker is None:
        return
    process = worker.process
    if process.poll() is None:
        process.kill()
    process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            stream.close()


@sensitive_variables()
def _ask(worker: _Worker, request: dict[str, Any]) -> dict[str, Any]:
    process = worker.process
    assert process.stdin is not None and process.stdout is not None
    data = json.dumps(request).encode("utf-8")
    deadline = time.monotonic() + TIMEOUT
    process.stdin.write(_HEADER.pack(len(data)) + data)
    process.stdin.flush()
    (length,) = _HEADER.unpack(_read(process.stdout, _HEADER.size, deadline))
    reply = json.loads(_read(process.stdout, length, deadline))
    if not isinstance(reply, dict):
        raise _Stopped
    return reply


@sensitive_variables()
def _read(stream: IO[bytes], size: int, deadline: float) -> bytes:
    """Exactly ``size`` bytes before the deadline, else ``_Stopped``."""
    chunks: list[bytes] = []
    wanted = size
    descriptor = stream.fileno()
    with selectors.DefaultSelector() as selector:
        selector.register(descriptor, selectors.EVENT_READ)
        while wanted:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                raise _Stopped
            chunk = os.read(descriptor, min(wanted, 1 << 20))
            if not chunk:
                raise _Stopped  # the worker died (its memory limit, a crash)
            chunks.append(chunk)
            wanted -= len(chunk)
    return b"".join(chunks)


def _forget_in_child() -> None:
    """A forked process (a server's worker) starts a decrypting worker of its own."""
    global _worker, _lock
    _worker, _lock = None, threading.Lock()


atexit.register(forget_keys)
os.register_at_fork(after_in_child=_forget_in_child)
