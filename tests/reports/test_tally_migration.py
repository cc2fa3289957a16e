"""reports 0003 and 0004: the monthly backlog filled from the daily counts, and a
tally row per measure and bucket becoming a row with a column for each."""

from __future__ import annotations

import importlib
from datetime import date

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

BACKLOG = [("reports", "0003_monthly_backlog")]
COLUMNS = [("reports", "0004_tally_columns")]
JAN, FEB = date(2026, 1, 5), date(2026, 2, 9)
#: (day, queue, assignee, type, measure, bucket, count) as 0003 kept them.
ROWS = [
    (JAN, 1, 0, "email", "received", 0, 3),
    (JAN, 1, 0, "email", "first_response", 2, 2),
    (JAN, 1, 0, "email", "sla_first_response", 1, 2),
    (JAN, 1, 7, "portal", "received", 0, 1),
    (FEB, 1, 0, "email", "closed", 0, 2),
    (FEB, 1, 0, "email", "resolution", 10, 1),
    (FEB, 1, 0, "email", "resolution", 0, 1),
    (FEB, 1, 0, "email", "sla_resolution", 0, 1),
    (FEB, 2, 7, "api", "sla_next_response", 0, 4),
    (FEB, 2, 7, "api", "sla_next_response", 1, 1),
]


def test_the_rows_of_each_measure_become_columns_and_go_back(migrate):
    old = migrate(BACKLOG)
    key = ("day", "queue", "assignee", "type", "measure", "bucket", "count")
    old.get_model("reports", "Tally").objects.bulk_create(
        old.get_model("reports", "Tally")(**dict(zip(key, row, strict=True))) for row in ROWS
    )
    # 0003's monthly backlog: received less closed, per month, queue and assignee.
    importlib.import_module("reports.migrations.0003_monthly_backlog").fill(old, None)
    backlog = old.get_model("reports", "MonthlyBacklog").objects
    assert sorted(backlog.values_list("month", "queue", "assignee", "count")) == [
        (date(2026, 1, 1), 1, 0, 3),
        (date(2026, 1, 1), 1, 7, 1),
        (date(2026, 2, 1), 1, 0, -2),
    ]

    new = migrate(COLUMNS)
    rows = new.get_model("reports", "Tally").objects.order_by("day", "queue", "assignee")
    assert list(
        rows.values_list(
            "day",
            "queue",
            "assignee",
            "type",
            "received",
            "closed",
            "first_response_2",
            "first_response_breached",
            "resolution_0",
            "resolution_10",
            "resolution_met",
            "next_response_met",
            "next_response_breached",
        )
    ) == [
        (JAN, 1, 0, "email", 3, 0, 2, 2, 0, 0, 0, 0, 0),
        (JAN, 1, 7, "portal", 1, 0, 0, 0, 0, 0, 0, 0, 0),
        (FEB, 1, 0, "email", 0, 2, 0, 0, 1, 1, 1, 0, 0),
        (FEB, 2, 7, "api", 0, 0, 0, 0, 0, 0, 0, 4, 1),
    ]

    back = migrate(BACKLOG)
    again = back.get_model("reports", "Tally").objects.values_list(*key)
    assert sorted(again) == sorted(ROWS)
