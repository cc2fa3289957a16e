"""Search benchmarks: the quick search's queries against baselines of the same run.

    .venv/bin/python -m bench.generate --tickets 100000 --folder DIR [--postgres URL]
    .venv/bin/python -m bench.search --folder DIR [--postgres URL] [--repeat 40]

On a desk made by bench/generate.py (its marker words: one in 1 % of the
tickets, one in a few, one in none), as its first supervisor and an
administrator, this times what a quick search reads: the first page of 25 by
rank, the capped count ("10,000+") and the page's snippets, through
``search.api``. Baselines, interleaved with it: a signed-in trivial page
(``/panel/profile/``, through Django's test client, so middleware, session and
template but no network) and the title-``LIKE`` scan the index replaced.
Median and 95th percentile of each. It also times ``index.rebuild`` per
ticket, the write path with and without the index's receivers, and prints the
query plans.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def timings(function: Callable[[], Any], repeat: int) -> list[float]:
    function()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append(time.perf_counter() - started)
    return runs


def p95(runs: list[float]) -> float:
    ordered = sorted(runs)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def quick_search(user: Any, words: str, notes: bool) -> Callable[[], Any]:
    from search import api
    from tickets.visibility import visible_tickets

    def run() -> Any:
        query = api.parse(words)
        tickets = api.matching(visible_tickets(user), query, notes=notes)
        page = list(tickets.order_by("-search_rank", "-number")[:25])
        api.count_capped(tickets, 10_000)
        api.snippets([ticket.number for ticket in page], query, notes=notes)
        return page

    return run


def title_like(user: Any, word: str) -> Callable[[], Any]:
    """The interim stand-in the index replaced: every title scanned with LIKE."""
    from frontdesk.db import UnicodeLower
    from tickets.visibility import visible_tickets

    def run() -> Any:
        tickets = (
            visible_tickets(user)
            .annotate(title_lower=UnicodeLower("title"))
            .filter(title_lower__contains=word)
        )
        page = list(tickets.order_by("-created_at")[:25])
        tickets[:10_001].count()
        return page

    return run


def trivial_page(user: Any) -> Callable[[], Any]:
    from django.test import Client

    client = Client()
    client.force_login(user)

    def run() -> Any:
        response = client.get("/panel/profile/")
        assert response.status_code == 200, response.status_code
        return response

    return run


def plan(user: Any, words: str) -> str:
    from django.db import connection

    from search import api
    from tickets.visibility import visible_tickets

    tickets = api.matching(visible_tickets(user), api.parse(words), notes=True)
    sql, params = tickets.order_by("-search_rank", "-number")[:25].query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def write_path(count: int) -> tuple[float, float]:
    """Seconds per ticket of open_ticket + answer, with and without the index's receivers."""
    from accounts.actors import MAIL_GATEWAY
    from accounts.models import Role, StaffProfile, User
    from search import receivers
    from tickets import actions, signals
    from tickets.models import Queue, TicketType

    queue = Queue.objects.get(is_default=True)
    admin, _ = User.objects.get_or_create(email="bench-writer@bench.example")
    StaffProfile.objects.get_or_create(user=admin, defaults={"role": Role.ADMIN})

    def write() -> None:
        for n in range(count):
            ticket = actions.open_ticket(
                actor=MAIL_GATEWAY,
                title=f"Write path {n}: the scanner is offline",
                requester_email="writer@bench.example",
                # None of bench/corpus.py's marker words: the searches above stay as generated.
                text="The scanner on the second floor is offline since this morning.",
                type=TicketType.EMAIL,
                queue=queue,
            )
            actions.answer(actor=admin, ticket=ticket, text="Restart it, please.")

    with_index, without_index = [], []
    # Interleaved rounds, each write a fresh ticket: the machine's noise falls on both.
    for _ in range(6):
        with_index.append(min(timings(write, 1)) / count)
        for signal in signals.ALL:
            signal.disconnect(dispatch_uid=f"search.{signal.kind}")
        without_index.append(min(timings(write, 1)) / count)
        receivers.connect()
    return statistics.median(with_index), statistics.median(without_index)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folder", required=True, help="bench/generate.py's folder")
    parser.add_argument("--postgres", help="the PostgreSQL URL it generated into")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--writes", type=int, default=100)
    parser.add_argument("--rebuild", action="store_true", help="also time a full rebuild")
    parser.add_argument("--only-writes", action="store_true", help="only the write path")
    options = parser.parse_args()
    folder = Path(options.folder)
    facts = json.loads((folder / "generated.json").read_text())
    url = options.postgres or f"sqlite:///{folder / 'frontdesk.sqlite3'}"
    from bench.foundation import setup

    setup(url, str(folder))
    from django.conf import settings
    from django.db import connection

    from accounts.models import User
    from search import index

    settings.ALLOWED_HOSTS = ["testserver"]
    supervisor = User.objects.get(email=facts["people"]["supervisor"])
    admin = User.objects.get(email=facts["people"]["admin"])
    print(f"{connection.vendor}, {facts['tickets']:,} tickets, {facts['messages']:,} messages")
    if options.only_writes:
        _print_write_path(options.writes)
        return
    if options.rebuild:
        started = time.perf_counter()
        done = index.rebuild()
        seconds = time.perf_counter() - started
        print(f"rebuild: {done:,} tickets in {seconds:.1f} s ({done / seconds:,.0f} a second)")
    words = {
        "a word in 1 %": facts["common_word"],
        "a rare word": facts["rare_word"],
        "a word in none": facts["absent_word"],
    }
    workloads: dict[str, Callable[[], Any]] = {"trivial page (baseline)": trivial_page(supervisor)}
    for label, word in words.items():
        workloads[f"supervisor, {label}"] = quick_search(supervisor, word, True)
        workloads[f"admin, {label}"] = quick_search(admin, word, True)
    workloads["title LIKE, 1 % word (old stand-in)"] = title_like(supervisor, facts["common_word"])
    # Interleaved rounds: noise of the shared machine falls on every workload alike.
    runs: dict[str, list[float]] = {name: [] for name in workloads}
    for function in workloads.values():
        function()
    for _ in range(options.repeat):
        for name, function in workloads.items():
            runs[name].extend(timings(function, 1))
    base_median = statistics.median(runs["trivial page (baseline)"])
    base_p95 = p95(runs["trivial page (baseline)"])
    print("| workload | median | p95 | median ratio | p95 ratio |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, values in runs.items():
        median, high = statistics.median(values), p95(values)
        print(
            f"| {name} | {median * 1000:.2f} ms | {high * 1000:.2f} ms "
            f"| {median / base_median:.1f}x | {high / base_p95:.1f}x |"
        )
    for label, word in words.items():
        print(f"\nplan, supervisor, {label} ({word}):\n{plan(supervisor, word)}")
    _print_write_path(options.writes)


def _print_write_path(count: int) -> None:
    with_index, without_index = write_path(count)
    print(
        f"\nwrite path (open_ticket + answer): {with_index * 1000:.2f} ms with the index, "
        f"{without_index * 1000:.2f} ms without ({with_index / without_index:.2f}x)"
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontdesk.settings")
    main()
