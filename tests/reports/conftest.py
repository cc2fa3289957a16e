"""The reports' figures follow each change at once in these tests.

The receivers run after the commit, which a test's transaction never reaches:
here each change is counted inside it, right after the action, as the search
index is in tests/conftest.py. The browser test counts the real way.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from reports import facts, receivers
from reports.models import TALLY_COLUMNS, Tally
from tickets import signals
from tickets.models import Ticket

# A Monday; the desk counts days in UTC (TIME_ZONE's default).
DAY1 = datetime(2026, 3, 2, tzinfo=UTC)
DAY2 = DAY1 + timedelta(days=1)
DAY3 = DAY1 + timedelta(days=2)


def at(moment: datetime):
    """Stand still at ``moment``: timestamps written there are exact."""
    return time_machine.travel(moment, tick=False)


@pytest.fixture(autouse=True)
def _figures_follow_every_change(monkeypatch):
    send_on_commit = signals.send_on_commit

    def count_now_then_send_on_commit(signal, change):
        receivers.tickets_changed(sender=Ticket, changes=[(signal, change)])
        send_on_commit(signal, change)

    monkeypatch.setattr(signals, "send_on_commit", count_now_then_send_on_commit)


def tally_counts() -> list[tuple[date, int, int, str, str, int, int]]:
    """Every count of the tallies that is not zero, as (day, queue, assignee, type,
    measure, bucket, count), sorted: what the rebuild and the receivers must agree on."""
    found = []
    for row in Tally.objects.values_list(*facts.TALLY_KEY, *TALLY_COLUMNS):
        key, counts = row[: len(facts.TALLY_KEY)], row[len(facts.TALLY_KEY) :]
        for column, n in zip(TALLY_COLUMNS, counts, strict=True):
            if n:
                found.append((*key, *TALLY_COLUMNS[column], n))
    return sorted(found)
