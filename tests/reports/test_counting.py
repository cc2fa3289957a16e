"""reports/counting.py: many counters moved in one statement, on both databases."""

from __future__ import annotations

from datetime import date

from reports import counting
from reports.models import AccountTally, Tally

KEY = ("day", "queue", "account", "measure", "bucket")
TALLY_KEY = ("day", "queue", "assignee", "type")
D1, D2 = date(2026, 3, 2), date(2026, 3, 3)


def counts() -> dict[tuple[object, ...], int]:
    return {row[:-1]: row[-1] for row in AccountTally.objects.values_list(*KEY, "count")}


def test_missing_counters_are_made_and_existing_ones_added_to(db, django_assert_num_queries):
    AccountTally.objects.create(day=D1, queue=1, account=3, measure="received", count=5)
    moved = {
        (D1, 1, 3, "received", 0): 2,
        (D1, 1, 3, "closed", 0): 1,
        (D2, 2, 7, "first_response", 3): -1,
        (D2, 2, 7, "received", 0): 0,
    }
    with django_assert_num_queries(1):
        counting.add(AccountTally, KEY, moved)
    assert counts() == {
        (D1, 1, 3, "received", 0): 7,
        (D1, 1, 3, "closed", 0): 1,
        (D2, 2, 7, "first_response", 3): -1,
    }


def test_more_keys_than_one_statement_takes_are_all_counted(db, monkeypatch):
    monkeypatch.setattr(counting, "CHUNK", 3)
    moved = {(D1, queue, 0, "received", 0): queue for queue in range(1, 11)}
    counting.add(AccountTally, KEY, moved)
    counting.add(AccountTally, KEY, moved)
    assert counts() == {key: 2 * n for key, n in moved.items()}


def test_nothing_moved_asks_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        counting.add(AccountTally, KEY, {(D1, 1, 0, "received", 0): 0})
        counting.add_columns(Tally, TALLY_KEY, {(D1, 1, 0, "email"): {"received": 0}})


def test_each_column_of_a_row_is_added_to_and_the_others_are_left(db, django_assert_num_queries):
    Tally.objects.create(day=D1, queue=1, assignee=0, type="email", received=5, closed=2)
    moved = {
        (D1, 1, 0, "email"): {"received": 1, "first_response_3": 1},
        (D2, 2, 7, "portal"): {"resolution_met": -1, "received": 0},
    }
    with django_assert_num_queries(1):
        counting.add_columns(Tally, TALLY_KEY, moved)
    rows = Tally.objects.order_by("day").values(
        "day", "received", "closed", "first_response_3", "resolution_met"
    )
    assert list(rows) == [
        {"day": D1, "received": 6, "closed": 2, "first_response_3": 1, "resolution_met": 0},
        {"day": D2, "received": 0, "closed": 0, "first_response_3": 0, "resolution_met": -1},
    ]
