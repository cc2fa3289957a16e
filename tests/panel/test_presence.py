"""Who else has the ticket open, and who is typing (S42)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from notifications import presence
from tests.conftest import SETUP
from tickets import actions


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ticket(world):
    ticket = world.ticket(world.billing)
    return actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_ticket_page_polls_for_presence(world, ticket):
    page = client_of(world.agent).get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert f'hx-post="/panel/tickets/{ticket.number}/presence/"' in page


def test_two_people_on_one_ticket_see_each_other(world, ticket):
    agent, supervisor = client_of(world.agent), client_of(world.supervisor)
    url = f"/panel/tickets/{ticket.number}/presence/"
    assert agent.post(url).content.decode().strip() == ""
    seen = supervisor.post(url).content.decode()
    assert f"{world.agent.staff.display_name} is here" in seen
    assert world.supervisor.staff.display_name not in seen
    seen = agent.post(url, {"typing": "1"}).content.decode()
    assert f"{world.supervisor.staff.display_name} is here" in seen
    seen = supervisor.post(url).content.decode()
    assert f"{world.agent.staff.display_name} is typing an answer" in seen


def test_who_stopped_reporting_drops_out(world, ticket):
    url = f"/panel/tickets/{ticket.number}/presence/"
    name = world.agent.staff.display_name
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        client_of(world.agent).post(url)
    with time_machine.travel(start + timedelta(seconds=10), tick=False):
        assert name in client_of(world.supervisor).post(url).content.decode()
    with time_machine.travel(start + timedelta(seconds=presence.GONE_AFTER + 1), tick=False):
        assert name not in client_of(world.supervisor).post(url).content.decode()


def test_only_staff_who_see_the_ticket_report(world, ticket):
    url = f"/panel/tickets/{ticket.number}/presence/"
    assert client_of(world.other_agent).post(url).status_code == 404
    assert client_of(world.other_supervisor).post(url).status_code == 404
    # Nobody who was refused shows up.
    assert client_of(world.agent).post(url).content.decode().strip() == ""


def test_a_poll_writes_nothing_to_the_database(world, ticket, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["TEST_REDIS_URL"],
            "KEY_PREFIX": "presence-test",
        }
    }
    agent = client_of(world.agent)
    url = f"/panel/tickets/{ticket.number}/presence/"
    agent.post(url)
    with CaptureQueriesContext(connection) as context:
        agent.post(url, {"typing": "1"})
    written = [
        q["sql"]
        for q in context.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert written == []
