"""PGP benchmark: decryptions per second, as "Show encrypted information" pays them.

    .venv/bin/python -m bench.pgp [--repeat 2000] [--size 2000]

With the test key of tests/crypto/data (Ed25519/Curve25519, made by gpg), a
message of ``--size`` bytes encrypted to it, it times:

- the library alone: ``pysequoia.decrypt`` with a key unlocked once, in this process;
- ``crypto.decryption.decrypt``: the worker process of crypto/worker.py, its
  framing and limits (what a request pays besides the page; the one small query
  for the key rows is left out: they are given here);
- the first decryption of a process: starting the worker and unlocking the key;
- unlocking a key, which is why the worker keeps it;
- a compression bomb (tests/crypto/data/bomb.asc: 20 MB of zeros) stopped at the cap.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import warnings
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "tests" / "crypto" / "data"
PASSPHRASE = "correct horse desk"  # noqa: S105 - the test key's, published


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2000)
    parser.add_argument("--size", type=int, default=2000)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontdesk.settings")
    import django

    django.setup()
    import pysequoia

    from crypto import decryption
    from crypto import keys as stored_keys

    warnings.simplefilter("ignore")
    armored_key = (DATA / "desk.sec.asc").read_text()
    secret = pysequoia.Tsk.from_bytes(armored_key.encode())
    text = ("Password: hunter2. " * (options.size // 19 + 1))[: options.size]
    message = bytes(
        pysequoia.encrypt(text.encode(), recipients=[secret.extract_certificate()])
    ).decode()

    started = time.perf_counter()
    unlocked = secret.decryptor(PASSPHRASE)
    unlock = time.perf_counter() - started

    started = time.perf_counter()
    for _ in range(options.repeat):
        pysequoia.decrypt(message.encode(), decryptor=unlocked)
    library = options.repeat / (time.perf_counter() - started)

    # The key rows, given: the one small query a request makes for them is left out.
    rows = ((1, "bench"),)
    given: Any = stored_keys
    given.generation = lambda: rows
    given.unsealed = lambda: [{"id": "1", "key": armored_key, "passphrase": PASSPHRASE}]
    started = time.perf_counter()
    first = decryption.decrypt(message)
    first_time = time.perf_counter() - started
    assert first.text == text, first.problem

    runs = []
    for _ in range(options.repeat):
        started = time.perf_counter()
        outcome = decryption.decrypt(message)
        runs.append(time.perf_counter() - started)
        assert outcome.ok
    bomb = (DATA / "bomb.asc").read_text()
    started = time.perf_counter()
    stopped = decryption.decrypt(bomb)
    bomb_time = time.perf_counter() - started
    assert stopped.problem == decryption.OUTPUT_TOO_LARGE
    decryption.forget_keys()

    print(f"message: {options.size} bytes of text, {len(message)} bytes armored")
    print(f"unlocking the key:                        {unlock * 1000:8.1f} ms")
    print(f"first decryption of a process (worker):   {first_time * 1000:8.1f} ms")
    print(f"compression bomb stopped at the cap:      {bomb_time * 1000:8.1f} ms")
    print(f"library alone, key unlocked:              {library:8.0f} decryptions/s")
    print(
        f"through the worker:                       {len(runs) / sum(runs):8.0f} decryptions/s"
        f"  (median {statistics.median(runs) * 1000:.2f} ms,"
        f" p95 {sorted(runs)[int(0.95 * (len(runs) - 1))] * 1000:.2f} ms)"
    )


if __name__ == "__main__":
    main()
