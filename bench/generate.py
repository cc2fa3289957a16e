"""Generate a large help desk for benchmarks: N tickets with their threads, in bulk.

    .venv/bin/python -m bench.generate --tickets 1000000 --folder DIR [--postgres URL]

A desk in use: 50 queues of very different sizes, 100 staff (5 administrators,
15 supervisors, 80 agents, each entitled to a few queues), 50,000 customer
accounts with about two named contacts each, and tickets spread over a year.
Threads are mostly short (1 to 20 messages, about 4 on average, a few of 20),
messages mostly a few hundred bytes with a tail of a few KB, a tenth of the
tickets German, Russian, Chinese or Japanese (bench/corpus.py). Each ticket has
its history (opened, each reply, assignment, closing) and some messages carry
attachments, so every page has what it reads.

The rows are written straight into the tables, not through tickets/actions:
this is benchmark data, and a million tickets must take minutes. SQLite loads
with ``executemany`` and the pragmas of a bulk load (no sync, no journal: a
crash leaves a database to throw away, which is why the marker file is
written last); PostgreSQL with ``COPY``, foreign-key triggers off. On both the
big tables' secondary indexes are dropped for the load and built again after
it. Used by bench/foundation.py (``generate``) and bench/http.py (the command).
"""

from __future__ import annotations

import argparse
import bisect
import io
import json
import os
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.corpus import (
    ABSENT_WORD,
    COMMON_WORD,
    OTHER_LANGUAGES,
    RARE_WORD,
    Corpus,
    ascii_letters,
    company_name,
    person_name,
    queue_names,
)

# A desk in use: most tickets are done; the working lists are a small part.
STATUS_WEIGHTS = {
    "closed": 80,
    "resolved": 5,
    "open": 7,
    "on_hold": 2,
    "new": 4,
    "reopened": 2,
}
DONE = ("closed", "resolved")
TYPE_WEIGHTS = {"email": 70, "portal": 20, "staff": 8, "api": 2}
SOURCE_OF_TYPE = {"email": "email", "portal": "portal", "staff": "web", "api": "api"}

#: Messages per thread, 1 to 20: mostly short, a mean of about 4, a few of 20.
THREAD_SIZES = list(range(1, 21))
THREAD_WEIGHTS = [
    22,
    22,
    15,
    10,
    7,
    5,
    4,
    3,
    2.5,
    2,
    1.2,
    1,
    0.8,
    0.7,
    0.6,
    0.5,
    0.4,
    0.4,
    0.4,
    1.5,
]

#: Every generated staff member signs in with it (a benchmark desk, never a real one).
PASSWORD = "bench"  # noqa: S105
ROLES = (("admin", 5), ("supervisor", 15), ("agent", 80))
BIG_TABLES = ("tickets_ticket", "tickets_message", "tickets_event", "tickets_attachment")
ATTACHMENT_SAMPLES = (
    ("invoice.pdf", "application/pdf", b"%PDF-1.4\n% bench sample\n" + b"0" * 40_000),
    ("screenshot.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"0" * 120_000),
    ("mail.log", "text/plain", b"Jan  1 00:00:00 mx postfix/smtp: bench sample\n" * 200),
)


@dataclass
class Desk:
    """The rows tickets point at, made first (small enough for the ORM)."""

    queue_ids: list[int]
    queue_names: dict[int, str]
    queue_weights: list[float]
    entitled: dict[int, list[int]]  # queue id -> ids of staff entitled to it
    staff_names: dict[int, str]
    people: dict[str, list[str]]  # role -> e-mail addresses, in order
    staff_ids: dict[str, list[int]]  # role -> user ids
    supervisor_queues: set[int]
    contacts: list[tuple[str, int]]  # (e-mail, account id)
    walk_ins: list[str]
    samples: list[tuple[str, str, str, int]]  # stored name, file name, type, size


@dataclass
class Counts:
    tickets: int = 0
    messages: int = 0
    events: int = 0
    attachments: int = 0
    language: dict[str, int] = field(default_factory=dict)


def generate(
    tickets: int,
    *,
    seed: int = 1,
    batch: int = 10_000,
    accounts: int = 50_000,
    queues: int = 50,
) -> dict[str, Any]:
    """Fill the (migrated, empty) database; return what the benchmarks need to know.

    Runs inside Django. The returned facts name the people to sign in as and
    tickets of known shape (a thread of 20 messages, the marker words).
    """
    from django.db import connection

    rng = random.Random(seed)
    started = time.perf_counter()
    desk = _make_desk(rng, accounts=accounts, queues=queues)
    corpus = Corpus(random.Random(seed + 1))
    facts: dict[str, Any] = {"seconds": {"people and accounts": time.perf_counter() - started}}
    loader = Loader(connection)
    counts = Counts()
    picks: dict[str, Any] = {}
    started = time.perf_counter()
    with loader.bulk_load():
        made = 0
        for chunk in _creation_times(rng, tickets, batch):
            rows = _Batch(rng, corpus, desk, loader, counts, picks, first=made)
            rows.fill(chunk)
            loader.write(rows)
            made += len(chunk)
    facts["seconds"]["tickets, messages, events"] = time.perf_counter() - started
    facts["seconds"]["indexes"] = loader.index_seconds
    facts.update(
        tickets=counts.tickets,
        messages=counts.messages,
        events=counts.events,
        attachments=counts.attachments,
        languages=counts.language,
        password=PASSWORD,
        people={role: emails[0] for role, emails in desk.people.items()},
        common_word=COMMON_WORD,
        rare_word=RARE_WORD,
        absent_word=ABSENT_WORD,
        **picks,
    )
    # bench/foundation.py's lists pick people by role from the database.
    facts["queues"] = len(desk.queue_ids)
    facts["staff"] = sum(len(ids) for ids in desk.staff_ids.values())
    return facts


# People, queues and accounts -------------------------------------------------------


def _make_desk(rng: random.Random, *, accounts: int, queues: int) -> Desk:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from accounts.models import Account, Contact, StaffProfile, User
    from tickets.models import Queue

    names = queue_names(queues)
    with transaction.atomic():
        default, _ = Queue.objects.update_or_create(is_default=True, defaults={"name": "General"})
        made_queues = [default, *Queue.objects.bulk_create(Queue(name=name) for name in names[1:])]
        # One hash for everybody: hashing 100 passwords would take half a minute.
        password = make_password(PASSWORD)
        users: dict[str, list[User]] = {}
        for role, count in ROLES:
            users[role] = User.objects.bulk_create(
                User(
                    email=f"{role}{n}@bench.example",
                    full_name=person_name(rng),
                    password=password,
                    is_staff=role == "admin",
                    is_superuser=role == "admin",
                )
                for n in range(count)
            )
        profiles = StaffProfile.objects.bulk_create(
            StaffProfile(user=user, role=role, full_name=user.full_name)
            for role, people in users.items()
            for user in people
        )
        # Entitlements: a supervisor leads 3-8 queues, an agent works in 2-5; the
        # first supervisor and agent have a big queue and a small one among theirs.
        entitled: dict[int, list[int]] = {queue.pk: [] for queue in made_queues}
        through = []
        for profile in profiles:
            if profile.role == "admin":
                continue
            wanted = rng.randint(3, 8) if profile.role == "supervisor" else rng.randint(2, 5)
            chosen = set(rng.sample(made_queues[1:], wanted))
            if profile.user.email in ("supervisor0@bench.example", "agent0@bench.example"):
                chosen |= {made_queues[1], made_queues[-1]}
            for queue in chosen:
                entitled[queue.pk].append(profile.user_id)
                through.append(Queue.staff.through(queue_id=queue.pk, staffprofile_id=profile.pk))
        Queue.staff.through.objects.bulk_create(through)
        made_accounts = Account.objects.bulk_create(
            (Account(name=company_name(rng, n), external_id=f"B-{n}") for n in range(accounts)),
            batch_size=5000,
        )
        contact_rows: list[Contact] = []
        for account in made_accounts:
            for _ in range(rng.choice((1, 1, 2, 2, 2, 3, 4))):
                name = person_name(rng)
                # Names keep their accents; addresses are plain ASCII, as most are.
                local = ascii_letters(name.lower()).replace(" ", ".")
                email = f"{local}.{len(contact_rows)}@customer{account.pk % 997}.example"
                contact_rows.append(Contact(account=account, email=email, name=name))
        Contact.objects.bulk_create(contact_rows, batch_size=5000)
    supervisor = users["supervisor"][0]
    supervisor_queues = {default.pk} | {
        queue for queue, staff in entitled.items() if supervisor.pk in staff
    }
    # Big queues and small ones, as at any desk (the default queue catches little).
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(made_queues))]
    weights[0] = 0.3
    return Desk(
        queue_ids=[queue.pk for queue in made_queues],
        queue_names={queue.pk: queue.name for queue in made_queues},
        queue_weights=list(_cumulative(weights)),
        entitled=entitled,
        staff_names={user.pk: user.full_name for people in users.values() for user in people},
        people={role: [user.email for user in people] for role, people in users.items()},
        staff_ids={role: [user.pk for user in people] for role, people in users.items()},
        supervisor_queues=supervisor_queues,
        contacts=[(contact.email, contact.account_id) for contact in contact_rows],
        walk_ins=[
            f"{person_name(rng).split()[0].lower()}{n}@mail{n % 50}.example" for n in range(20_000)
        ],
        samples=_store_samples(),
    )


def _cumulative(weights: Iterable[float]) -> Iterator[float]:
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def _store_samples() -> list[tuple[str, str, str, int]]:
    """A few real files that every generated attachment row points at, so downloads work."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    samples = []
    for filename, content_type, content in ATTACHMENT_SAMPLES:
        name = f"attachments/bench/{filename}"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(content))
        samples.append((name, filename, content_type, len(content)))
    return samples


# Tickets, threads, history ---------------------------------------------------------


def _creation_times(rng: random.Random, tickets: int, batch: int) -> Iterator[list[float]]:
    """Seconds since the epoch for each ticket, oldest first (numbers grow with time),
    spread over the last year, in chunks of ``batch``."""
    now = time.time()
    year = 365 * 24 * 3600
    times = sorted(now - rng.random() * year for _ in range(tickets))
    for start in range(0, tickets, batch):
        yield times[start : start + batch]


class _Batch:
    """The rows of one chunk of tickets, as tuples in the loader's column order."""

    def __init__(
        self,
        rng: random.Random,
        corpus: Corpus,
        desk: Desk,
        loader: Loader,
        counts: Counts,
        picks: dict[str, Any],
        *,
        first: int,
    ) -> None:
        self.rng, self.corpus, self.desk, self.loader = rng, corpus, desk, loader
        self.counts, self.picks, self.first = counts, picks, first
        self.tickets: list[tuple[Any, ...]] = []
        self.messages: list[tuple[Any, ...]] = []
        self.events: list[tuple[Any, ...]] = []
        self.attachments: list[tuple[Any, ...]] = []
        self.statuses = list(STATUS_WEIGHTS)
        self.status_weights = list(_cumulative(STATUS_WEIGHTS.values()))
        self.types = list(TYPE_WEIGHTS)
        self.type_weights = list(_cumulative(TYPE_WEIGHTS.values()))
        self.thread_weights = list(_cumulative(THREAD_WEIGHTS))
        self.now = time.time()

    def _pick(self, items: Sequence[Any], cumulative: Sequence[float]) -> Any:
        return items[bisect.bisect(cumulative, self.rng.random() * cumulative[-1])]

    def fill(self, chunk: list[float]) -> None:
        for offset, created in enumerate(chunk):
            self._ticket(self.first + offset, created)

    def _ticket(self, index: int, created: float) -> None:
        rng, desk, counts, ts = self.rng, self.desk, self.counts, self.loader.timestamp
        number = self.loader.next_id("tickets_ticket")
        queue = self._pick(desk.queue_ids, desk.queue_weights)
        status = self._pick(self.statuses, self.status_weights)
        kind = self._pick(self.types, self.type_weights)
        if rng.random() < 0.92:
            requester, account = rng.choice(desk.contacts)
        else:
            requester, account = rng.choice(desk.walk_ins), None
        # New and reopened tickets wait unassigned; a few others never had anybody.
        unassigned = status in ("new", "reopened") or rng.random() < 0.03
        entitled = desk.entitled[queue]
        if unassigned:
            assignee = None
        elif entitled and rng.random() < 0.95:
            assignee = rng.choice(entitled)
        else:
            assignee = rng.choice(desk.staff_ids["supervisor"] + desk.staff_ids["admin"])
        language = "en" if rng.random() < 0.9 else rng.choice(OTHER_LANGUAGES)
        counts.language[language] = counts.language.get(language, 0) + 1
        marker = ""
        if index % 100 == 37:
            marker = COMMON_WORD
        elif index % 50_000 == 1_234 or index in (3, 7):
            marker = RARE_WORD
        size = self._pick(THREAD_SIZES, self.thread_weights)
        thread = self._thread(number, created, size, requester, assignee, kind, language, marker)
        last = thread[-1]
        answered = last[0] == "answer"
        done = status in DONE
        modified = last[1]
        events = self._history(number, created, queue, thread, assignee, status, modified)
        self.tickets.append(
            (
                number,
                self.corpus.title(language, marker),
                queue,
                requester,
                account,
                status,
                kind,
                rng.randint(1, 99),
                assignee,
                rng.random() < 0.02,
                answered or (done and rng.random() < 0.9),
                "[]",
                ts(created),
                ts(modified),
                ts(last[1]) if answered else None,
                None if answered or done else ts(last[1]),
                None,
                ts(modified) if done else None,
                events,
            )
        )
        counts.tickets += 1
        self._remember(number, queue, len(thread))

    def _thread(
        self,
        number: int,
        created: float,
        size: int,
        requester: str,
        assignee: int | None,
        kind: str,
        language: str,
        marker: str,
    ) -> list[tuple[str, float]]:
        """The messages of one ticket; returns (kind, time) of each."""
        rng, desk, ts = self.rng, self.desk, self.loader.timestamp
        staff = assignee or rng.choice(desk.staff_ids["agent"])
        moment = created
        made: list[tuple[str, float]] = []
        previous = "answer"
        for position in range(size):
            if position:
                # Replies come minutes to days apart; none in the future.
                moment += min(rng.expovariate(1 / 14_400), 5 * 86_400)
                if moment > self.now:
                    break
            if position == 0:
                message_kind = "staff" if kind == "staff" else "customer"
            elif rng.random() < 0.08:
                message_kind = "note"
            elif rng.random() < 0.01:
                message_kind = "system"
            else:
                message_kind = "customer" if previous == "answer" else "answer"
            if message_kind == "staff":
                # A ticket staff opened starts with their words to the customer.
                message_kind = "answer"
            if message_kind in ("customer", "answer"):
                previous = message_kind
            sentences = max(1, min(80, round(rng.lognormvariate(1.6, 0.8))))
            text = self.corpus.text(language, sentences, marker if position == 0 else "")
            from_customer = message_kind == "customer"
            source = SOURCE_OF_TYPE[kind] if from_customer else "web"
            if message_kind == "system":
                source = "system"
            message_id = self.loader.next_id("tickets_message")
            self.messages.append(
                (
                    message_id,
                    number,
                    message_kind,
                    text,
                    "",
                    None if from_customer or message_kind == "system" else staff,
                    requester if from_customer else "",
                    source,
                    f"{message_id}.{number}@mail.bench.example" if source == "email" else "",
                    "[]",
                    ts(moment),
                )
            )
            self.counts.messages += 1
            if rng.random() < 0.035:
                self._attach(message_id, rng.choice((1, 1, 1, 2, 3)))
            made.append((message_kind, moment))
        return made

    def _attach(self, message_id: int, count: int) -> None:
        for _ in range(count):
            stored, filename, content_type, size = self.rng.choice(self.desk.samples)
            self.attachments.append(
                (
                    self.loader.next_id("tickets_attachment"),
                    message_id,
                    stored,
                    filename,
                    content_type,
                    size,
                    "",
                )
            )
            self.counts.attachments += 1
            self.picks.setdefault("_attachment_messages", []).append(message_id)

    def _history(
        self,
        number: int,
        created: float,
        queue: int,
        thread: list[tuple[str, float]],
        assignee: int | None,
        status: str,
        modified: float,
    ) -> int:
        """The events of one ticket; returns its version (the number of events)."""
        ts, desk = self.loader.timestamp, self.desk
        lines: list[tuple[int | None, str, str, str, str, int | None, int | None, float]] = [
            (None, "mail", "created", "", desk.queue_names[queue], None, queue, created)
        ]
        for position, (message_kind, moment) in enumerate(thread[1:], start=1):
            if position == 1 and assignee is not None:
                lines.append(
                    (
                        assignee,
                        "",
                        "assignee",
                        "",
                        desk.staff_names[assignee],
                        None,
                        assignee,
                        moment,
                    )
                )
            code = {"customer": "customer_message", "answer": "answer", "note": "note"}.get(
                message_kind
            )
            if code:
                actor = None if message_kind == "customer" else assignee
                system = "mail" if actor is None else ""
                lines.append((actor, system, code, "", "", None, None, moment))
        if assignee is not None and len(thread) == 1:
            lines.append(
                (assignee, "", "assignee", "", desk.staff_names[assignee], None, assignee, created)
            )
        if status in DONE:
            actor = assignee
            lines.append(
                (
                    actor,
                    "" if actor else "lifecycle:auto-close",
                    "status",
                    "open",
                    status,
                    None,
                    None,
                    modified,
                )
            )
        for version, (actor, system, code, old, new, old_ref, new_ref, moment) in enumerate(
            lines, 1
        ):
            self.events.append(
                (
                    self.loader.next_id("tickets_event"),
                    number,
                    actor,
                    system,
                    code,
                    old,
                    new,
                    old_ref,
                    new_ref,
                    version,
                    ts(moment),
                )
            )
        self.counts.events += len(lines)
        return len(lines)

    def _remember(self, number: int, queue: int, size: int) -> None:
        """Tickets of known shape the supervisor may open, for the page benchmarks."""
        picks = self.picks
        if queue not in self.desk.supervisor_queues:
            picks.pop("_attachment_messages", None)
            return
        if size in (3, 20):
            picks.setdefault(f"ticket_{size}_messages", number)
        attached = picks.pop("_attachment_messages", None)
        if attached and "attachment" not in picks:
            picks["attachment"] = next(row[0] for row in self.attachments if row[1] in attached)
        picks.setdefault("requester", self.tickets[-1][3])
        picks["ticket_number"] = number


# Writing rows ----------------------------------------------------------------------

TICKET_COLUMNS = (
    "number",
    "title",
    "queue_id",
    "requester_email",
    "account_id",
    "status",
    "type",
    "priority",
    "assignee_id",
    "is_sticky",
    "is_answered",
    "cc",
    "created_at",
    "modified_at",
    "answered_at",
    "waiting_since",
    "escalated_at",
    "closed_at",
    "version",
)
MESSAGE_COLUMNS = (
    "id",
    "ticket_id",
    "kind",
    "text",
    "html",
    "author_id",
    "author_email",
    "source",
    "message_id",
    "cc",
    "created_at",
)
EVENT_COLUMNS = (
    "id",
    "ticket_id",
    "actor_id",
    "system",
    "code",
    "old",
    "new",
    "old_ref",
    "new_ref",
    "version",
    "created_at",
)
ATTACHMENT_COLUMNS = ("id", "message_id", "file", "filename", "content_type", "size", "content_id")
COLUMNS = {
    "tickets_ticket": TICKET_COLUMNS,
    "tickets_message": MESSAGE_COLUMNS,
    "tickets_event": EVENT_COLUMNS,
    "tickets_attachment": ATTACHMENT_COLUMNS,
}


class Loader:
    """Bulk inserts for SQLite (executemany) and PostgreSQL (COPY).

    Columns another part of the code base adds later get their model default,
    so the generator keeps working while the models grow.
    """

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.vendor = connection.vendor
        self.ids: dict[str, int] = {}
        self.extra: dict[str, tuple[tuple[str, ...], tuple[Any, ...]]] = {}
        self.index_seconds = 0.0
        self._indexes: list[str] = []
        offset = "+00:00" if self.vendor == "postgresql" else ""
        self._offset = offset
        self._plan_extra_columns()

    def timestamp(self, seconds: float) -> str:
        """A UTC time as the backend stores it (Django keeps naive UTC text in SQLite)."""
        return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S.%f") + self._offset

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def _plan_extra_columns(self) -> None:
        from django.apps import apps

        for table, columns in COLUMNS.items():
            model = next(m for m in apps.get_models() if m._meta.db_table == table)
            extra_names, extra_values = [], []
            for model_field in model._meta.concrete_fields:
                if model_field.column in columns or getattr(model_field, "generated", False):
                    continue
                default = model_field.get_db_prep_save(
                    model_field.get_default(), connection=self.connection
                )
                extra_names.append(model_field.column)
                extra_values.append(default)
            self.extra[table] = (tuple(extra_names), tuple(extra_values))

    def bulk_load(self) -> _BulkLoad:
        return _BulkLoad(self)

    def write(self, rows: _Batch) -> None:
        batches = {
            "tickets_ticket": rows.tickets,
            "tickets_message": rows.messages,
            "tickets_event": rows.events,
            "tickets_attachment": rows.attachments,
        }
        with self.connection.cursor() as cursor:
            for table, table_rows in batches.items():
                if table_rows:
                    self._insert(cursor, table, table_rows)
        if self.vendor == "sqlite":
            self.connection.connection.commit()

    def _insert(self, cursor: Any, table: str, rows: list[tuple[Any, ...]]) -> None:
        extra_names, extra_values = self.extra[table]
        columns = COLUMNS[table] + extra_names
        if extra_values:
            rows = [row + extra_values for row in rows]
        quoted = ", ".join(f'"{column}"' for column in columns)
        if self.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            # Table and column names are this module's own; the values are parameters.
            insert = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608
            cursor.cursor.executemany(insert, rows)


class _BulkLoad:
    """Prepare the database for a bulk load, and make it normal again afterwards."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader

    def __enter__(self) -> Loader:
        loader = self.loader
        connection = loader.connection
        connection.ensure_connection()
        with connection.cursor() as cursor:
            for table in COLUMNS:
                key = "number" if table == "tickets_ticket" else "id"
                cursor.execute(f"SELECT COALESCE(MAX({key}), 0) FROM {table}")  # noqa: S608
                loader.ids[table] = cursor.fetchone()[0]
            loader._indexes = self._drop_indexes(cursor)
            if loader.vendor == "postgresql":
                # No foreign-key trigger per row: the generator writes consistent rows.
                cursor.execute("SET session_replication_role = replica")
        if loader.vendor == "sqlite":
            raw = connection.connection
            raw.commit()
            for pragma in (
                "foreign_keys = OFF",
                "synchronous = OFF",
                "journal_mode = OFF",
                "cache_size = -1000000",
                "temp_store = MEMORY",
            ):
                raw.execute(f"PRAGMA {pragma}")
            raw.execute("BEGIN")
        else:
            connection.set_autocommit(False)
        return loader

    def __exit__(self, *exc: object) -> None:
        loader = self.loader
        connection = loader.connection
        if exc[0] is not None:
            return
        started = time.perf_counter()
        if loader.vendor == "sqlite":
            raw = connection.connection
            raw.commit()
            for statement in loader._indexes:
                raw.execute(statement)
            raw.commit()
            for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON"):
                raw.execute(f"PRAGMA {pragma}")
        else:
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '1GB'")
                for statement in loader._indexes:
                    cursor.execute(statement)
                cursor.execute("SET session_replication_role = DEFAULT")
                for table in COLUMNS:
                    key = "number" if table == "tickets_ticket" else "id"
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', '{key}'), "  # noqa: S608
                        f"GREATEST((SELECT MAX({key}) FROM {table}), 1))"
                    )
            connection.commit()
            connection.set_autocommit(True)
        loader.index_seconds = time.perf_counter() - started

    def _drop_indexes(self, cursor: Any) -> list[str]:
        """Drop the big tables' secondary indexes; return the statements that make them again."""
        tables = list(COLUMNS)
        if self.loader.vendor == "sqlite":
            marks = ", ".join("%s" for _ in tables)
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "  # noqa: S608
                f"AND sql IS NOT NULL AND tbl_name IN ({marks})",
                tables,
            )
        else:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                [tables],
            )
        found = [(name, sql) for name, sql in cursor.fetchall() if "UNIQUE" not in sql.upper()]
        for name, _ in found:
            cursor.execute(f'DROP INDEX "{name}"')
        return [sql for _, sql in found]


# The command -----------------------------------------------------------------------


def reindex_search() -> float | None:
    """Fill the full-text index with the search app's bulk rebuild, if there is one."""
    from django.core.management import call_command, get_commands

    if "search" not in get_commands():
        return None
    started = time.perf_counter()
    call_command("search", "reindex")
    return time.perf_counter() - started


def service_levels_and_reports() -> float | None:
    """A service level on every queue (office hours in Berlin; 4 business hours to a
    first answer, 8 to the next, 2 days to a resolution) and the reports' roll-ups
    counted from the tickets, as ``frontdesk reports rebuild`` does after an upgrade."""
    from django.core.management import call_command, get_commands

    if "reports" not in get_commands():
        return None
    from sla.models import Calendar, Policy
    from tickets.models import Queue

    started = time.perf_counter()
    office = Calendar.objects.create(name="Office (bench)", time_zone="Europe/Berlin")
    Policy.objects.bulk_create(
        Policy(
            queue_id=queue,
            calendar=office,
            first_response_minutes=4 * 60,
            next_response_minutes=8 * 60,
            resolution_minutes=16 * 60,
        )
        for queue in Queue.objects.values_list("pk", flat=True)
    )
    call_command("reports", "rebuild", stdout=io.StringIO())
    return time.perf_counter() - started


def database_size() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
        else:
            cursor.execute(
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"
            )
        return int(cursor.fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--folder", required=True, help="the data folder (SQLite database, files)")
    parser.add_argument("--postgres", help="a PostgreSQL database URL (dropped and re-created)")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    from bench.foundation import _recreate_postgres, setup

    folder = Path(options.folder)
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / "generated.json"
    marker.unlink(missing_ok=True)
    if options.postgres:
        _recreate_postgres(options.postgres)
        url = options.postgres
    else:
        (folder / "frontdesk.sqlite3").unlink(missing_ok=True)
        url = f"sqlite:///{folder / 'frontdesk.sqlite3'}"
    started = time.perf_counter()
    setup(url, str(folder))
    migrated = time.perf_counter() - started
    facts = generate(options.tickets, seed=options.seed)
    facts["seconds"]["migrate"] = migrated
    facts["seconds"]["search reindex"] = reindex_search()
    facts["seconds"]["service levels, reports rebuild"] = service_levels_and_reports()
    from django.db import connection

    if connection.vendor == "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            # What autovacuum does on a database in use: statistics and the visibility map.
            cursor.execute("VACUUM ANALYZE")
        facts["seconds"]["vacuum analyze"] = time.perf_counter() - started
    facts.update(vendor=connection.vendor, database_url=url, bytes=database_size())
    marker.write_text(json.dumps(facts, indent=2))
    print(json.dumps(facts, indent=2))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontdesk.settings")
    main()
