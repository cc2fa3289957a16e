"""The query plans of the panel's lists, home page and ticket page on a generated desk.

    .venv/bin/python -m bench.plans --folder DIR [--postgres URL]

DIR holds a desk made by ``bench.generate`` (or ``bench.http``). Each query is the
one the page sends (``tickets/queries.py``, through ``panel/lists.py`` where a
list is paged), as the supervisor and the administrator of the desk, with its
plan: ``EXPLAIN QUERY PLAN`` on SQLite, ``EXPLAIN (ANALYZE, BUFFERS)`` on
PostgreSQL, and the median time of a few runs. docs/benchmarks.md shows them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def captured(run: Callable[[], object]) -> list[tuple[str, Any]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        run()
    return [(query["sql"], None) for query in context.captured_queries]


def explain(sql: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return [row[-1] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
        return [row[0] for row in cursor.fetchall()]


def timed(run: Callable[[], object], repeat: int = 7) -> float:
    run()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def cases(facts: dict[str, Any]) -> dict[str, Callable[[], object]]:
    from django.test import RequestFactory

    from accounts.models import User
    from panel import lists
    from tickets import queries
    from tickets.visibility import get_ticket_for

    people = {role: User.objects.get(email=email) for role, email in facts["people"].items()}
    supervisor, admin = people["supervisor"], people["admin"]
    requests = RequestFactory()

    def page(ticket_list: lists.TicketList, query: str) -> Callable[[], object]:
        request = requests.get("/", data=dict(pair.split("=") for pair in query.split("&")))
        return lambda: queries.list_page(
            ticket_list.tickets,
            request.GET.get("sort", ""),
            offset=(lists.page_number(request) - 1) * lists.PAGE_SIZE,
            size=lists.PAGE_SIZE,
        )

    ticket = get_ticket_for(supervisor, facts["ticket_20_messages"])
    return {
        "statistics, supervisor (one query)": lambda: queries.statistics(supervisor),
        "statistics, administrator (one query)": lambda: queries.statistics(admin),
        "my highest priority, supervisor, page 1": page(
            lists.mine_list(supervisor), "sort=-priority&page=1"
        ),
        "newest unassigned, supervisor, page 1": page(
            lists.unassigned_list(supervisor), "sort=-created&page=1"
        ),
        "unassigned by title, supervisor, page 200": page(
            lists.unassigned_list(supervisor), "sort=title&page=200"
        ),
        "unassigned by title, administrator, page 200": page(
            lists.unassigned_list(admin), "sort=title&page=200"
        ),
        "unassigned, capped count, supervisor": lambda: queries.count_up_to(
            queries.unassigned(supervisor), queries.COUNT_CAP
        ),
        "received this month, administrator, page 1": page(
            lists.received_list(admin, "month"), "sort=-created&page=1"
        ),
        "received this month by title, administrator, page 200": page(
            lists.received_list(admin, "month"), "sort=title&page=200"
        ),
        "ticket page: the thread of 20 messages": lambda: list(queries.thread(supervisor, ticket)),
        "attachment download: the attachment, if visible": lambda: queries.visible_attachment(
            supervisor, facts["attachment"]
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--folder", required=True, type=Path)
    parser.add_argument("--postgres", help="the PostgreSQL URL the desk was generated into")
    options = parser.parse_args()
    facts = json.loads((options.folder / "generated.json").read_text())
    from bench.foundation import setup

    setup(options.postgres or facts["database_url"], str(options.folder))
    from django.db import connection

    print(f"# {connection.vendor}, {facts['tickets']:,} tickets\n")
    for name, run in cases(facts).items():
        seconds = timed(run)
        print(f"## {name}: {seconds * 1000:.2f} ms\n\n```")
        for sql, _ in captured(run):
            if sql.lstrip().upper().startswith(("SELECT", "WITH")):
                print("\n".join(explain(sql)))
        print("```\n")


if __name__ == "__main__":
    main()
