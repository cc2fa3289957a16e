"""Failed sign-ins are limited per e-mail address and per client address, at
/login/ and /admin/login/ alike, in the cache that every web process shares."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
import redis
import time_machine
from django.db import connection, connections
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from accounts import throttle
from accounts.throttle import Limit, Throttled
from frontdesk.sign_in import account_limit

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
WRONG = "not-the-password"


def sign_in(client: Client, email: str, password: str, *, path: str = "/login/", **extra: Any):
    return client.post(path, {"username": email, "password": password}, **extra)


def refusal(response) -> str:
    page = response.content.decode()
    assert "Too many failed sign-ins" in page, page
    return page


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_sixth_guess_for_an_address_is_refused_even_with_the_right_password(client, world):
    for _ in range(5):
        response = sign_in(client, world.agent.email, WRONG)
        assert "Too many" not in response.content.decode()
    page = refusal(sign_in(client, world.agent.email, "secret"))
    assert "Too many failed sign-ins with this e-mail address. Try again in 15 minutes." in page
    assert not signed_in(client)


def test_a_refused_guess_costs_no_password_check(client, world):
    for _ in range(5):
        sign_in(client, world.agent.email, WRONG)
    with mock.patch("django.contrib.auth.forms.authenticate") as authenticate:
        refusal(sign_in(client, world.agent.email, WRONG))
    authenticate.assert_not_called()


def test_the_e_mail_address_counts_in_any_case(client, world):
    for typed in ("agent@frontdesk.example", "AGENT@frontdesk.example", " Agent@Frontdesk.Example"):
        sign_in(client, typed, WRONG)
        sign_in(client, typed.upper(), WRONG)
    refusal(sign_in(client, "agent@FRONTDESK.example", "secret"))


def test_after_the_cooldown_the_right_password_signs_in(client, world):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(5):
            sign_in(client, world.agent.email, WRONG)
        clock.shift(timedelta(minutes=14))
        assert "Try again in a minute." in refusal(sign_in(client, world.agent.email, "secret"))
        clock.shift(timedelta(minutes=1, seconds=1))
        response = sign_in(client, world.agent.email, "secret")
    assert response.status_code == 302
    assert signed_in(client)


def test_failures_spread_over_the_window_still_start_a_whole_cooldown(client, world):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(5):
            sign_in(client, world.agent.email, WRONG)
            clock.shift(timedelta(minutes=3))
        # The first failure is 15 minutes old: the cooldown counts from the fifth.
        assert "Try again in 12 minutes." in refusal(sign_in(client, world.agent.email, "secret"))


def test_signing_in_forgives_the_owners_typos(client, world):
    for _ in range(4):
        sign_in(client, world.agent.email, WRONG)
    assert sign_in(client, world.agent.email, "secret").status_code == 302
    client.post("/logout/")
    for _ in range(4):
        sign_in(client, world.agent.email, WRONG)
    assert sign_in(client, world.agent.email, "secret").status_code == 302


def test_one_client_guessing_many_addresses_is_stopped(client, world):
    for number in range(20):
        sign_in(client, f"nobody{number}@example.com", WRONG, REMOTE_ADDR="203.0.113.9")
    page = refusal(sign_in(client, world.agent.email, "secret", REMOTE_ADDR="203.0.113.9"))
    assert "Too many failed sign-ins from your network. Try again in 15 minutes." in page
    # Another client is not held up, and the refused one did not count against the account.
    assert (
        sign_in(client, world.agent.email, "secret", REMOTE_ADDR="198.51.100.4").status_code == 302
    )


def test_a_forged_x_forwarded_for_does_not_escape_the_limit(client, world):
    for number in range(20):
        sign_in(
            client,
            f"nobody{number}@example.com",
            WRONG,
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}",
        )
    refusal(
        sign_in(
            client,
            world.agent.email,
            "secret",
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR="10.9.9.9",
        )
    )


def test_the_admin_sign_in_shares_the_limit(client, world):
    for _ in range(3):
        sign_in(client, world.admin.email, WRONG)
    for _ in range(2):
        sign_in(client, world.admin.email, WRONG, path="/admin/login/")
    page = refusal(sign_in(client, world.admin.email, "secret", path="/admin/login/"))
    assert "Try again in 15 minutes." in page
    assert not signed_in(client)


def test_the_admin_sign_in_still_works(client, world):
    response = sign_in(client, world.admin.email.upper(), "secret", path="/admin/login/")
    assert response.status_code == 302
    assert signed_in(client)


def test_a_form_without_a_password_is_not_counted(client, world):
    for _ in range(10):
        client.post("/login/", {"username": world.agent.email, "password": ""})
    assert sign_in(client, world.agent.email, "secret").status_code == 302


# The client address


def address_of(remote: str, forwarded: str | None = None) -> str:
    extra: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return throttle.client_address(RequestFactory().post("/login/", **extra))


def test_the_client_address_is_the_connection_unless_proxies_are_trusted():
    assert address_of("203.0.113.9", "10.1.1.1") == "203.0.113.9"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        # The load balancer appended what it saw; what the client wrote is further left.
        assert address_of("192.0.2.1", "10.1.1.1, 198.51.100.4") == "198.51.100.4"
        assert address_of("192.0.2.1") == "192.0.2.1"
    with override_settings(TRUSTED_PROXY_COUNT=2):
        assert address_of("192.0.2.1", "10.1.1.1, 198.51.100.4, 192.0.2.7") == "198.51.100.4"


def test_an_ipv6_client_counts_by_its_network():
    assert (
        address_of("2001:db8:1:2::5") == address_of("2001:db8:1:2:ffff::1") == "2001:db8:1:2::/64"
    )
    assert address_of("::ffff:203.0.113.9") == "203.0.113.9"


# The mechanism, on each cache a deployment may use


@pytest.fixture(params=["database", "redis"])
def shared_cache(request, db) -> Iterator[None]:
    if request.param == "database":
        yield
        return
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError as error:
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: {error} (make test starts it)")
    backend = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"test-throttle-{uuid.uuid4().hex}",
    }
    with override_settings(CACHES={"default": backend}):
        yield


def test_attempts_beyond_the_limit_are_refused_until_the_cooldown_ends(shared_cache):
    limit = Limit("test", attempts=3, window=60)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(3):
            throttle.failed(throttle.attempt(limit, "key"))
        with pytest.raises(Throttled) as refused:
            throttle.attempt(limit, "key")
        assert refused.value.retry_after == 60
        assert throttle.attempt(limit, "another key")
        clock.shift(timedelta(seconds=61))
        assert throttle.wait_for(limit, "key") == 0
        throttle.attempt(limit, "key")
    throttle.reset(limit, "key")
    throttle.reset(limit, "another key")


def test_attempts_given_back_do_not_count(shared_cache):
    limit = Limit("test", attempts=2, window=60)
    for _ in range(5):
        throttle.release(throttle.attempt(limit, "key"))
    throttle.failed(throttle.attempt(limit, "key"))
    throttle.failed(throttle.attempt(limit, "key"))
    assert throttle.wait_for(limit, "key") > 0
    throttle.reset(limit, "key")
    assert throttle.wait_for(limit, "key") == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_guesses_get_no_more_attempts_than_the_limit():
    """All guesses arrive at once: each takes an attempt before its password is
    checked, so only the limit's number of them are checked at all."""
    limit, guesses = Limit("test-race", attempts=5, window=60), 12
    barrier = threading.Barrier(guesses)
    granted: list[throttle.Attempt] = []

    def guess() -> None:
        try:
            barrier.wait()
            granted.append(throttle.attempt(limit, "agent@frontdesk.example"))
        except Throttled:
            pass
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess) for _ in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    throttle.reset(limit, "agent@frontdesk.example")
    assert len(granted) == 5


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


@pytest.mark.django_db(transaction=True)
def test_the_limit_is_shared_by_every_web_process(world):
    """Failures counted by another process (another gunicorn worker) hold here too."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "frontdesk.settings",
    }
    script = (
        "import django; django.setup()\n"
        "from accounts import throttle\n"
        "from frontdesk.sign_in import account_limit\n"
        "for _ in range(5):\n"
        "    throttle.failed(throttle.attempt(account_limit(), 'agent@frontdesk.example'))\n"
    )
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=60)  # noqa: S603
    try:
        refusal(sign_in(Client(), world.agent.email, "secret"))
    finally:
        throttle.reset(account_limit(), "agent@frontdesk.example")
