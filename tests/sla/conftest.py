"""A desk with service levels: Berlin office hours, Monday to Friday 09:00–17:00.

Support: priorities 1–69 answer within 60 business minutes, again within 120
after a customer's reply, resolve within 480; 70–99 within 15, 30 and 120.
Billing (no calendar: every minute counts) answers within 30 and resolves within 240.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from sla.models import Calendar, Policy
from tests.conftest import set_helpdesk

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    """Stand still at ``moment``: timestamps written there are exact."""
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture
def levels(world):
    # Answers leave tickets open (auto-close after a week).
    set_helpdesk(auto_close_days=7)
    office = Calendar.objects.create(name="Berlin office", time_zone="Europe/Berlin")
    Policy.objects.create(
        queue=world.support,
        lowest_priority=1,
        highest_priority=69,
        calendar=office,
        first_response_minutes=60,
        next_response_minutes=120,
        resolution_minutes=480,
    )
    Policy.objects.create(
        queue=world.support,
        lowest_priority=70,
        highest_priority=99,
        calendar=office,
        first_response_minutes=15,
        next_response_minutes=30,
        resolution_minutes=120,
    )
    Policy.objects.create(queue=world.billing, first_response_minutes=30, resolution_minutes=240)
    world.office = office
    return world


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Each change's domain signals, sent as its transaction commits."""

    @contextmanager
    def committing() -> Iterator[None]:
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return committing
