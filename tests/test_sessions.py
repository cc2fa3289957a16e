"""A sign-in lasts until SESSION_IDLE_TIMEOUT passes without a request, and never
longer than SESSION_COOKIE_AGE; keeping it alive does not write every request."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_defaults_are_eight_idle_hours_and_seven_days(settings):
    assert settings.SESSION_IDLE_TIMEOUT == 8 * 3600
    assert settings.SESSION_COOKIE_AGE == 7 * 24 * 3600


def test_a_session_left_idle_too_long_is_signed_out_on_the_next_request(client, world, clock):
    client.force_login(world.agent)
    assert client.get("/panel/").status_code == 200
    clock.shift(timedelta(hours=8, seconds=1))
    response = client.get("/panel/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/panel/")
    assert not signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 8 hours without activity." in page


def test_an_htmx_request_after_the_idle_timeout_loads_the_sign_in_page(client, world, clock):
    client.force_login(world.agent)
    clock.shift(timedelta(hours=9))
    response = client.get("/panel/tickets/mine/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith("/login/")
    assert not signed_in(client)


def test_a_customer_is_signed_out_too(client, world, clock):
    client.force_login(world.customer_a)
    assert client.get("/portal/").status_code == 200
    clock.shift(timedelta(hours=8, minutes=1))
    assert client.get("/portal/")["Location"].startswith("/login/")


def test_working_keeps_the_session(client, world, clock):
    client.force_login(world.agent)
    for _ in range(4):
        clock.shift(timedelta(hours=7))
        assert client.get("/panel/").status_code == 200
    assert signed_in(client)


def test_the_session_ends_seven_days_after_signing_in_however_busy(client, world, clock):
    client.force_login(world.agent)
    for _ in range(23):
        clock.shift(timedelta(hours=7))
        assert client.get("/panel/").status_code == 200
    clock.shift(timedelta(hours=7, minutes=1))
    response = client.get("/panel/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_session_cookie_ends_with_the_session(client, world, clock):
    response = client.post("/login/", {"username": world.agent.email, "password": "secret"})
    assert response.cookies["sessionid"]["max-age"] == 7 * 24 * 3600
    clock.shift(timedelta(hours=7))
    # The stamp is written now; the cookie keeps the end fixed at signing in.
    response = client.get("/panel/")
    assert response.cookies["sessionid"]["max-age"] == 7 * 24 * 3600 - 7 * 3600


def test_requests_within_a_minute_write_nothing_to_the_session(client, world, clock):
    client.force_login(world.agent)
    client.get("/panel/")
    clock.shift(timedelta(seconds=30))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/panel/")
    assert "sessionid" not in response.cookies
    assert not [q for q in queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]
    clock.shift(timedelta(minutes=1))
    with CaptureQueriesContext(connection) as queries:
        client.get("/panel/")
    assert [q for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]


def test_an_idle_timeout_of_zero_turns_it_off(client, world, clock, settings):
    settings.SESSION_IDLE_TIMEOUT = 0
    client.force_login(world.agent)
    clock.shift(timedelta(hours=30))
    assert client.get("/panel/").status_code == 200
