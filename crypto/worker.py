"""The decrypting process: one per web process, started by crypto/decryption.py.

It holds the unlocked keys (unlocking costs about 0.2 s, a decryption about a
millisecond) and decrypts under limits of its own, so hostile input costs the
web process nothing: the plain text is written to a file in a private directory
(in memory where /dev/shm exists) under ``RLIMIT_FSIZE``, so a compression bomb
stops at the output cap with EFBIG; ``RLIMIT_AS`` bounds its memory; the caller
kills it when it takes too long. It imports no Django and logs nothing; the
library's errors (which may carry backtraces) are reduced to a code here.

Frames on stdin and stdout: 4 bytes of length (big-endian), then JSON.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import resource
import signal
import struct
import sys
import tempfile
import warnings
from typing import Any, BinaryIO

warnings.simplefilter("ignore")  # pysequoia's deprecation notes must not reach stderr

import pysequoia  # noqa: E402

_HEADER = struct.Struct(">I")
MAX_FRAME = 64 * 1024 * 1024


def read_frame(stream: BinaryIO) -> dict[str, Any] | None:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (length,) = _HEADER.unpack(header)
    if length > MAX_FRAME:
        return None
    data = stream.read(length)
    if len(data) < length:
        return None
    value = json.loads(data)
    return value if isinstance(value, dict) else None


def write_frame(stream: BinaryIO, value: dict[str, Any]) -> None:
    data = json.dumps(value).encode("ascii")
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def classify(error: BaseException) -> str:
    """A stable code for a library error; its text never leaves this process."""
    text = str(error).split("\n", 1)[0].lower()
    if "file too large" in text or "os error 27" in text:
        return "too_large"
    if "no key to decrypt" in text:
        return "no_key"
    return "malformed"


class Worker:
    def __init__(self, workdir: str) -> None:
        self.workdir = workdir
        self.decryptors: list[tuple[str, Any]] = []

    def keys(self, request: dict[str, Any]) -> dict[str, Any]:
        self.decryptors = []
        failed: list[str] = []
        for entry in request.get("keys", []):
            name = str(entry["id"])
            try:
                secret = pysequoia.Tsk.from_bytes(str(entry["key"]).encode("utf-8"))
                self.decryptors.append((name, secret.decryptor(str(entry["passphrase"]) or None)))
            except Exception:
                failed.append(name)
        return {"ok": True, "failed": failed}

    def decrypt(self, request: dict[str, Any]) -> dict[str, Any]:
        if "binary" in request:  # a file: armored or not (an attachment's .pgp)
            message = base64.b64decode(str(request["binary"]))
        else:
            message = str(request.get("message", "")).encode("utf-8")
        source = os.path.join(self.workdir, "in.pgp")
        target = os.path.join(self.workdir, "out")
        with open(source, "wb") as handle:
            handle.write(message)
        error = "no_key" if not self.decryptors else ""
        try:
            for name, decryptor in self.decryptors:
                try:
                    pysequoia.decrypt_file(source, target, decryptor)
                except Exception as problem:
                    error = classify(problem)
                    if error == "no_key":
                        continue  # perhaps a retired key's message
                    return {"ok": False, "error": error}
                with open(target, "rb") as handle:
                    plain = handle.read()
                return {"ok": True, "key": name, "data": base64.b64encode(plain).decode("ascii")}
            return {"ok": False, "error": error}
        finally:
            for path in (source, target):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)


def _private_directory() -> str:
    # In memory where the system has it; mkdtemp makes the directory private (0700).
    shared_memory = "/dev/shm"  # noqa: S108
    base = shared_memory if os.access(shared_memory, os.W_OK) else None
    return tempfile.mkdtemp(prefix="frontdesk-pgp-", dir=base)


def main() -> int:
    output_cap, memory_cap = int(sys.argv[1]), int(sys.argv[2])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
    resource.setrlimit(resource.RLIMIT_FSIZE, (output_cap, output_cap))
    if memory_cap:
        resource.setrlimit(resource.RLIMIT_AS, (memory_cap, memory_cap))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # never a core file with keys in it
    workdir = _private_directory()
    worker = Worker(workdir)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    try:
        while (request := read_frame(stdin)) is not None:
            operation = request.get("op")
            if operation == "keys":
                write_frame(stdout, worker.keys(request))
            elif operation == "decrypt":
                write_frame(stdout, worker.decrypt(request))
            else:
                write_frame(stdout, {"ok": False, "error": "unknown"})
    finally:
        with contextlib.suppress(OSError):
            os.rmdir(workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
