"""Searches and saved views on a generated desk, through the whole Django stack.

    .venv/bin/python -m bench.views --folder DIR [--postgres URL] [--requests 30]

DIR holds a desk made by ``bench.generate`` (SQLite; with ``--postgres`` the
database of that URL, made by ``bench.generate --postgres``). Each page is
asked for by a signed-in supervisor through Django's test client (no HTTP
server: bench/http.py measures through ``frontdesk serve``), interleaved with
the floor, a signed-in trivial page (My Profile), so every figure is also a
ratio to a baseline of the same run. Prints the median and p95 of each, the
ratio of the medians, and the queries each page ran.

The navigation shows ten views (the installation's team views and the
supervisor's own); those it makes are removed at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path
from typing import Any


def measure(
    client: Any, urls: dict[str, str], requests: int
) -> list[tuple[str, float, float, int]]:
    """(name, median ms, p95 ms, queries) for each URL, the floor's requests between
    every other page's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times: dict[str, list[float]] = {name: [] for name in urls}
    queries: dict[str, int] = {}
    for name, url in urls.items():  # warm up, and count the queries once
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        queries[name] = len(captured.captured_queries)
    for _ in range(requests):
        for name, url in urls.items():
            started = time.perf_counter()
            client.get(url)
            times[name].append((time.perf_counter() - started) * 1000)
    rows = []
    for name, values in times.items():
        values.sort()
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        rows.append((name, statistics.median(values), p95, queries[name]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folder", required=True)
    parser.add_argument("--postgres")
    parser.add_argument("--requests", type=int, default=30)
    options = parser.parse_args()
    folder = Path(options.folder)
    url = options.postgres or f"sqlite:///{folder / 'frontdesk.sqlite3'}"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    from bench.foundation import setup

    setup(url, str(folder))
    from django.test import Client

    from accounts.models import Role, User
    from bench.corpus import COMMON_WORD, RARE_WORD
    from panel import saved_views
    from panel.models import SavedView
    from tickets.models import Queue, Ticket

    supervisor = (
        User.objects.filter(staff_profile__role=Role.SUPERVISOR, is_active=True)
        .order_by("pk")
        .first()
    )
    assert supervisor is not None and supervisor.staff is not None
    queue = Queue.objects.filter(staff=supervisor.staff).order_by("pk").first()
    assert queue is not None
    sample = Ticket.objects.filter(queue=queue).order_by("-number").first()
    assert sample is not None
    address = sample.requester_email
    domain = address.split("@", 1)[1]
    searches = [
        "answered=no",
        "answered=yes",
        "status=on_hold",
        f"queue={queue.pk}",
        f"queue={queue.pk}&assignee=nobody",
        "assignee=me",
        "priority_min=80",
        f"text={COMMON_WORD}",
        f"text={RARE_WORD}&closed=1",
        f"email=%40{domain}",
    ]
    # Ten views in the navigation: the installation's team views and enough of the
    # supervisor's own (the word search among them).
    already = saved_views.views_for(supervisor).count()
    made = [
        saved_views.save_view(user=supervisor, name=f"Bench {n}", query=query, shared=n % 2 == 0)
        for n, query in enumerate(searches[-max(1, 10 - already) :])
    ]
    word_view = next(view for view in made if view.query == f"text={COMMON_WORD}")
    client = Client()
    client.force_login(supervisor)
    urls = {
        "floor: My Profile": "/panel/profile/",
        "navigation, 10 views": "/panel/views/nav/",
        "views page, 10 views": "/panel/views/",
        "advanced: 3 filters + sort": (
            f"/panel/search/advanced/?queue={queue.pk}&status=open&status=new"
            "&priority_min=40&sort=-priority"
        ),
        "advanced: page 20": "/panel/search/advanced/?closed=1&page=20",
        f"advanced: text={COMMON_WORD}": f"/panel/search/advanced/?text={COMMON_WORD}",
        f"quick: @{domain}": f"/panel/search/?q=%40{domain}",
        "quick: an address (requester or CC)": f"/panel/search/?q={address}",
        f"a view: text={COMMON_WORD}": f"/panel/views/{word_view.pk}/",
    }
    try:
        rows = measure(client, urls, options.requests)
    finally:
        SavedView.objects.filter(pk__in=[view.pk for view in made]).delete()
    floor = rows[0][1]
    tickets = Ticket.objects.count()
    print(f"{tickets:,} tickets, {options.requests} requests each, as a supervisor")
    print("| page | median ms | p95 ms | x floor | queries |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, median, p95, count in rows:
        print(f"| {name} | {median:.1f} | {p95:.1f} | {median / floor:.1f} | {count} |")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontdesk.settings")
    main()
