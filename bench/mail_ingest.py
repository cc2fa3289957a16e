"""Messages per second through mail.ingest.ingest, against parsing alone.

    python bench/mail_ingest.py                 # 10,000 messages, SQLite and PostgreSQL
    python bench/mail_ingest.py --count 2000 --database sqlite

Each database runs in a child process of its own (settings are read from the
environment at start-up) on a throwaway database: SQLite in a temporary
directory, PostgreSQL as test_<name> of BENCH_POSTGRES_URL. The same generated
messages are first parsed alone with email.message_from_bytes, then ingested
one by one, each in its own transaction as a transport would: about 70 % open
tickets, 30 % are replies found by a stored Message-ID, a tenth carry an
attachment, a fifth have an HTML part. Not part of the test run.
"""

from __future__ import annotations

import argparse
import email
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://postgres:postgres@127.0.0.1:5432/frontdesk_bench"


def generate(count: int, seed: int = 1042) -> list[bytes]:
    rng = random.Random(seed)
    words = [
        "printer",
        "invoice",
        "login",
        "password",
        "server",
        "mail",
        "domain",
        "backup",
        "refund",
        "error",
    ]
    sent: list[tuple[str, str]] = []
    messages = []
    for number in range(count):
        message = EmailMessage()
        sender = f"customer{rng.randrange(2000)}@example{rng.randrange(50)}.test"
        parent = ""
        if sent and rng.random() < 0.3:
            # A reply comes from whoever wrote the message it answers.
            parent, sender = rng.choice(sent)
        message["From"] = f"Customer {number} <{sender}>"
        message["To"] = "support@frontdesk.example"
        message["Date"] = "Thu, 26 Nov 2026 08:00:00 +0000"
        message_id = f"bench-{number}@example.test"
        message["Message-ID"] = f"<{message_id}>"
        title = " ".join(rng.choice(words) for _ in range(5))
        if parent:
            message["Subject"] = f"Re: {title}"
            message["In-Reply-To"] = f"<{parent}>"
            message["References"] = f"<{parent}>"
        else:
            message["Subject"] = title
        body = "\n".join(" ".join(rng.choice(words) for _ in range(12)) for _ in range(8))
        message.set_content(body)
        if rng.random() < 0.2:
            message.add_alternative(f"<p>{body}</p>", subtype="html")
        if rng.random() < 0.1:
            message.add_attachment(
                rng.randbytes(20_000), maintype="application", subtype="pdf", filename="a.pdf"
            )
        sent.append((message_id, sender))
        messages.append(message.as_bytes())
    return messages


def run_child(count: int) -> dict:
    """Runs inside the child: set Django up on a throwaway database and measure."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from mail.ingest import ingest
    from mail.models import InboundMessage
    from tickets.models import Queue, Ticket

    settings.MEDIA_ROOT = os.path.join(os.environ["FRONTDESK_DATA_DIR"], "media")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        # Migrations made the default queue already.
        Queue.objects.get_or_create(is_default=True, defaults={"name": "Support"})
        messages = generate(count)

        start = time.perf_counter()
        for raw in messages:
            email.message_from_bytes(raw, policy=default_policy)
        parse_seconds = time.perf_counter() - start

        start = time.perf_counter()
        for raw in messages:
            ingest(raw, "bench")
        ingest_seconds = time.perf_counter() - start

        assert InboundMessage.objects.count() == count
        return {
            "database": connection.vendor,
            "messages": count,
            "tickets": Ticket.objects.count(),
            "parse_per_second": count / parse_seconds,
            "ingest_per_second": count / ingest_seconds,
        }
    finally:
        connection.creation.destroy_test_db(
            connection.settings_dict["NAME"], verbosity=0, keepdb=False
        )


def run_database(name: str, count: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-") as workdir:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "frontdesk.settings"}
        env["FRONTDESK_DATA_DIR"] = workdir
        # Settings make no key (`frontdesk run` does): a throwaway one.
        env.setdefault("SECRET_KEY", "bench-only-key")
        if name == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
            env["TEST_SQLITE_NAME"] = f"{workdir}/test-bench.sqlite3"
        else:
            env["DATABASE_URL"] = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
        done = subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--child", "--count", str(count)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontdesk.settings")
        print(json.dumps(run_child(args.count)))
        return
    names = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    print(f"{'database':<12}{'messages':>9}{'parse/s':>11}{'ingest/s':>11}{'parse:ingest':>14}")
    for name in names:
        result = run_database(name, args.count)
        ratio = result["parse_per_second"] / result["ingest_per_second"]
        print(
            f"{result['database']:<12}{result['messages']:>9}"
            f"{result['parse_per_second']:>11.0f}{result['ingest_per_second']:>11.0f}"
            f"{ratio:>13.1f}x"
        )


if __name__ == "__main__":
    main()
