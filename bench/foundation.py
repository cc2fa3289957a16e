"""Foundation benchmarks: the panel's list queries and the write path.

    .venv/bin/python -m bench.foundation --tickets 100000 [--postgres URL]

Every number is a ratio against a baseline measured in the same run, because
these machines are shared and noisy:

- the panel's list queries (tickets/queries.py: S15 statistics, S17 lists, S16
  requester lookup) with
  their indexes, against the same queries with the ticket table's indexes
  dropped (in a transaction that is rolled back);
- the write path (``open_ticket`` + ``answer`` through tickets/actions,
  with locking, permission checks, events and signals) against bare ORM
  inserts of the same ticket and messages.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any


def setup(database_url: str, data_dir: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["FRONTDESK_DATA_DIR"] = data_dir
    # Settings make no key (`frontdesk run` does): a throwaway one.
    os.environ.setdefault("SECRET_KEY", "bench-only-key")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontdesk.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(function: Callable[[], Any], repeat: int) -> float:
    """Median seconds of ``repeat`` runs after one warm-up run."""
    function()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def list_queries(supervisor: Any, agent: Any, email: str) -> dict[str, Callable[[], Any]]:
    """The queries the panel's home page and quick search run (tickets/queries.py)."""
    from tickets import queries as lists

    return {
        "S15 statistics, supervisor": lambda: lists.statistics(supervisor),
        "S15 statistics, agent": lambda: lists.statistics(agent),
        "S17 my highest priority (25)": lambda: list(lists.mine(agent).order_by("-priority")[:25]),
        "S17 newest unassigned (25)": lambda: list(
            lists.unassigned(supervisor).order_by("-created_at")[:25]
        ),
        "S16 tickets of a requester (25)": lambda: list(
            lists.by_requester(supervisor, email).order_by("-created_at")[:25]
        ),
    }


class _Rollback(Exception):
    pass


def timed_without_indexes(function: Callable[[], Any], repeat: int) -> float:
    """Time ``function`` with the ticket table's indexes dropped, then restore them.

    DDL is transactional on SQLite and PostgreSQL: the indexes come back when
    the transaction rolls back.
    """
    from django.db import connection, transaction

    result = 0.0
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, "tickets_ticket")
            for name, info in constraints.items():
                if info["index"] and not info["primary_key"] and not info["unique"]:
                    cursor.execute(f'DROP INDEX "{name}"')
            result = timed(function, repeat)
            raise _Rollback
    except _Rollback:
        pass
    return result


def bench_lists(repeat: int) -> list[tuple[str, float, float]]:
    from accounts.models import Role, User
    from tickets.models import Ticket

    supervisor = User.objects.filter(staff_profile__role=Role.SUPERVISOR).first()
    agent = User.objects.filter(staff_profile__role=Role.AGENT).first()
    email = Ticket.objects.values_list("requester_email", flat=True).first() or ""
    rows = []
    for name, query in list_queries(supervisor, agent, email).items():
        indexed = timed(query, repeat)
        scanned = timed_without_indexes(query, max(3, repeat // 5))
        rows.append((name, indexed, scanned))
    return rows


def bench_writes(count: int) -> tuple[float, float]:
    from accounts.actors import MAIL_GATEWAY
    from accounts.models import Role, User
    from tickets import actions
    from tickets.models import Message, Queue, Ticket, TicketType

    queue = Queue.objects.get(is_default=True)
    admin = User.objects.create(email="bench-admin@bench.example")
    from accounts.models import StaffProfile

    StaffProfile.objects.create(user=admin, role=Role.ADMIN)

    def through_actions() -> None:
        for n in range(count):
            ticket = actions.open_ticket(
                actor=MAIL_GATEWAY,
                title=f"Write path {n}",
                requester_email="writer@bench.example",
                text="Please help.",
                type=TicketType.EMAIL,
                queue=queue,
            )
            actions.answer(actor=admin, ticket=ticket, text="Done.")

    def bare_inserts() -> None:
        for n in range(count):
            ticket = Ticket.objects.create(
                title=f"Bare {n}",
                queue=queue,
                requester_email="writer@bench.example",
                type=TicketType.EMAIL,
            )
            Message.objects.create(
                ticket=ticket, kind="customer", text="Please help.", source="email"
            )
            Message.objects.create(ticket=ticket, kind="answer", text="Done.", source="web")

    return timed(through_actions, 3) / count, timed(bare_inserts, 3) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=25)
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument(
        "--postgres", help="an empty PostgreSQL database URL (dropped and re-created)"
    )
    options = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="frontdesk-bench-")
    if options.postgres:
        _recreate_postgres(options.postgres)
        url = options.postgres
    else:
        url = f"sqlite:///{data_dir}/bench.sqlite3"
    setup(url, data_dir)
    from django.db import connection

    from bench.generate import generate

    start = time.perf_counter()
    generate(options.tickets)
    with connection.cursor() as cursor:
        # As on a database in use: statistics gathered and, on PostgreSQL, the
        # visibility map set by (auto)vacuum, without which no scan is index-only.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(
        f"# {connection.vendor}, {options.tickets} tickets generated in "
        f"{time.perf_counter() - start:.1f} s\n"
    )
    print("| query | indexed (ms) | indexes off (ms) | ratio |")
    print("| --- | ---: | ---: | ---: |")
    for name, indexed, scanned in bench_lists(options.repeat):
        print(
            f"| {name} | {indexed * 1000:.2f} | {scanned * 1000:.1f} | {scanned / indexed:.0f}x |"
        )
    per_action, per_insert = bench_writes(options.writes)
    print(
        f"\nwrite path: open_ticket + answer {per_action * 1000:.2f} ms per ticket, "
        f"bare inserts {per_insert * 1000:.2f} ms: {per_action / per_insert:.1f}x the bare cost"
    )


def _recreate_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
