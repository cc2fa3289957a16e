"""reports/counting.py: many counters moved in one statement, on both databases."""

from __future__ import annotations

from datetime import date

from reports import counting
from reports.models import Tally

KEY = ("day", "queue", "assignee", "type", "measure", "bucket")
D1, D2 = date(2026, 3, 2), date(2026, 3, 3)


def counts() -> dict[tuple[object, ...], int]:
    return {row[:-1]: row[-1] for row in Tally.objects.values_list(*KEY, "count")}


def test_missing_counters_are_made_and_existing_ones_added_to(db, django_assert_num_queries):
    Tally.objects.create(day=D1, queue=1, assignee=0, type="email", measure="received", count=5)
    moved = {
        (D1, 1, 0, "email", "received", 0): 2,
        (D1, 1, 0, "email", "closed", 0): 1,
        (D2, 2, 7, "portal", "resolution", 3): -1,
        (D2, 2, 7, "portal", "received", 0): 0,
    }
    with django_assert_num_queries(1):
        counting.add(Tally, KEY, moved)
    assert counts() == {
        (D1, 1, 0, "email", "received", 0): 7,
        (D1, 1, 0, "email", "closed", 0): 1,
        (D2, 2, 7, "portal", "resolution", 3): -1,
    }


def test_more_keys_than_one_statement_takes_are_all_counted(db, monkeypatch):
    monkeypatch.setattr(counting, "CHUNK", 3)
    moved = {(D1, queue, 0, "email", "received", 0): queue for queue in range(1, 11)}
    counting.add(Tally, KEY, moved)
    counting.add(Tally, KEY, moved)
    assert counts() == {key: 2 * n for key, n in moved.items()}


def test_nothing_moved_asks_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        counting.add(Tally, KEY, {(D1, 1, 0, "email", "received", 0): 0})
