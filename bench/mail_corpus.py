"""The public and stored mail corpora through mail.ingest: tickets, quarantine, text lost, speed.

    python bench/mail_corpus.py                    # SQLite and PostgreSQL
    python bench/mail_corpus.py --database sqlite --rounds 20

For each corpus (the stored corpus of tests/mail/, and the public test mails
of tests/mail/public/) every message is ingested once on a throwaway database
and its outcome counted: a ticket (new or reply), set aside (automatic mail
that answers no ticket, loops), or quarantined, with the error. "Text lost"
counts messages whose text parts (text/plain and text/html that are not
attachments, read with the bare email package) have a line that is found
neither in the ticket message's text nor among its attachments' names. Then
each message is ingested ``--rounds`` times more (a round number added to the
end, so each is new) to time ingest against a bare
``email.message_from_bytes`` of the same bytes. Each database runs in a child
process of its own, as bench/mail_ingest.py does. Not part of the test run.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, bench/ comes first on the path, and bench/http.py would hide
# the standard library's http package from Django.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).parent]

import argparse  # noqa: E402
import email  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from email.message import Message  # noqa: E402
from email.policy import default as default_policy  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://postgres:postgres@127.0.0.1:5432/frontdesk_bench"
CORPORA = {
    "stored (tests/mail)": ("tests/mail", "*.eml"),
    "CPython test_email (tests/mail/public/cpython)": ("tests/mail/public/cpython", "*.txt"),
}
_WORDS = re.compile(r"\w+")
# What the bare email package cannot read is no text of the message: lines with
# replacement characters or escape sequences (a charset it misread or does not
# know) and base64 it did not decode.
_UNREAD = re.compile(r"[\ufffd\x1b]|^[A-Za-z0-9+/=]{40,}$")


def corpus_files(name: str) -> list[Path]:
    folder, pattern = CORPORA[name]
    return sorted((ROOT / folder).glob(pattern))


def _text_lines(raw: bytes) -> list[str]:
    """Lines of the message's text parts as the bare email package reads them."""
    from mail.html import html_to_text

    message = email.message_from_bytes(raw, policy=default_policy)
    lines: list[str] = []
    for part in message.walk():
        if part.is_multipart() or part.get_content_maintype() == "message":
            continue
        if part.get_content_type() not in ("text/plain", "text/html"):
            continue
        if part.get_content_disposition() == "attachment" or _inside_forwarded(message, part):
            continue
        try:
            content = part.get_content()
        except Exception:
            content = None  # unreadable to the bare package: nothing to compare with
        if not isinstance(content, str):
            continue
        if part.get_content_type() == "text/html":
            content = html_to_text(content)
        lines += [line.strip() for line in content.splitlines() if len(line.strip()) > 3]
    return lines


def _inside_forwarded(message: Message, wanted: Message) -> bool:
    """Whether a part belongs to a message/rfc822 (kept whole as an .eml attachment)."""

    def search(part: Message, inside: bool) -> bool | None:
        if part is wanted:
            return inside
        children = part.get_payload() if part.is_multipart() or _is_message(part) else []
        for child in children if isinstance(children, list) else []:
            if not isinstance(child, Message):
                continue
            found = search(child, inside or _is_message(part))
            if found is not None:
                return found
        return None

    return bool(search(message, False))


def _is_message(part: Message) -> bool:
    return part.get_content_maintype() == "message"


def _words(text: str) -> set[str]:
    return set(_WORDS.findall(text.lower()))


def run_child(rounds: int) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from mail.ingest import ingest
    from mail.models import InboundMessage, QuarantinedMessage
    from tickets.models import Queue, Ticket

    settings.MEDIA_ROOT = os.path.join(os.environ["FRONTDESK_DATA_DIR"], "media")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False, serialize=False)
    results = []
    try:
        Queue.objects.get_or_create(is_default=True, defaults={"name": "Support"})
        for corpus in CORPORA:
            InboundMessage.objects.all().delete()
            QuarantinedMessage.objects.all().delete()
            Ticket.objects.all().delete()
            files = corpus_files(corpus)
            outcomes: dict[str, int] = {}
            quarantined: list[str] = []
            lost: list[str] = []
            for path in files:
                raw = path.read_bytes()
                result = ingest(raw, "bench")
                if result.quarantined is not None:
                    quarantined.append(f"{path.name}: {result.quarantined.error[:100]}")
                    outcomes["quarantined"] = outcomes.get("quarantined", 0) + 1
                    continue
                inbound = result.inbound
                assert inbound is not None
                outcomes[inbound.outcome] = outcomes.get(inbound.outcome, 0) + 1
                shown = ""
                if inbound.ticket_message is not None:
                    message = inbound.ticket_message
                    shown = (
                        message.ticket.title
                        + " "
                        + message.text
                        + " "
                        + " ".join(attachment.filename for attachment in message.attachments.all())
                    )
                elif inbound.outcome != "ignored":
                    shown = ""
                else:
                    continue  # set aside on purpose: listed in the panel, nothing shown
                have = _words(shown)
                missing = [
                    line
                    for line in _text_lines(raw)
                    if not _UNREAD.search(line) and not _words(line) <= have
                ]
                if missing:
                    lost.append(f"{path.name}: {missing[0][:60]!r}")

            messages = [path.read_bytes() for path in files]
            variants = [
                raw + f"\n\n[bench round {number}]\n".encode()
                for number in range(1, rounds + 1)
                for raw in messages
            ]
            start = time.perf_counter()
            for raw in variants:
                email.message_from_bytes(raw, policy=default_policy)
            bare = len(variants) / (time.perf_counter() - start)
            start = time.perf_counter()
            for raw in variants:
                ingest(raw, "bench")
            through_ingest = len(variants) / (time.perf_counter() - start)
            results.append(
                {
                    "corpus": corpus,
                    "messages": len(files),
                    "outcomes": outcomes,
                    "quarantined": quarantined,
                    "lost": lost,
                    "bare_per_second": bare,
                    "ingest_per_second": through_ingest,
                    "timed": len(variants),
                }
            )
        return {"database": connection.vendor, "results": results}
    finally:
        connection.creation.destroy_test_db(
            connection.settings_dict["NAME"], verbosity=0, keepdb=False
        )


def run_database(name: str, rounds: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-") as workdir:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "frontdesk.settings"}
        env["FRONTDESK_DATA_DIR"] = workdir
        env.setdefault("SECRET_KEY", "bench-only-key")
        # One sender writes most of the stored corpus: no new-ticket limit here.
        env["MAIL_NEW_TICKETS_PER_SENDER"] = "1000000"
        if name == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
            env["TEST_SQLITE_NAME"] = f"{workdir}/test-bench.sqlite3"
        else:
            env["DATABASE_URL"] = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
        done = subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--child", "--rounds", str(rounds)],
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
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontdesk.settings")
        print(json.dumps(run_child(args.rounds)))
        return
    names = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    for name in names:
        report = run_database(name, args.rounds)
        for result in report["results"]:
            print(f"== {report['database']}: {result['corpus']}")
            print(f"messages {result['messages']}, outcomes {result['outcomes']}")
            for line in result["quarantined"]:
                print(f"  quarantined {line}")
            print(f"text lost in {len(result['lost'])} messages")
            for line in result["lost"]:
                print(f"  lost {line}")
            ratio = result["bare_per_second"] / result["ingest_per_second"]
            print(
                f"{result['timed']} timed: bare {result['bare_per_second']:.0f}/s, "
                f"ingest {result['ingest_per_second']:.0f}/s ({ratio:.1f}x)"
            )


if __name__ == "__main__":
    main()
