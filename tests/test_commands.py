"""The `frontdesk` subcommands: createadmin, demo and run."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from accounts.models import Account, Contact, Role, StaffProfile, User
from tickets.models import Message, Queue, Status, Ticket


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_createadmin_creates_an_administrator_and_prints_how_to_sign_in():
    output = run("createadmin")
    admin = User.objects.get(email="admin@localhost")
    assert admin.staff is not None and admin.staff.role == Role.ADMIN
    assert admin.is_staff and admin.is_superuser
    password = output.split("password:")[1].split()[0]
    assert authenticate(username="admin@localhost", password=password) == admin
    assert "/login/" in output


@pytest.mark.django_db
def test_createadmin_does_nothing_when_an_administrator_exists():
    run("createadmin", "--email", "boss@example.com", "--password", "long-secret-1")
    assert "nothing to do" in run("createadmin")
    assert StaffProfile.objects.filter(role=Role.ADMIN).count() == 1


@pytest.mark.django_db
def test_createadmin_refuses_an_address_that_is_not_one():
    with pytest.raises(CommandError, match="not an e-mail address"):
        run("createadmin", "--email", "boss")


@pytest.mark.django_db
def test_demo_data_has_every_role_status_and_threads():
    run("demo")
    assert Queue.objects.count() >= 3
    assert Account.objects.count() >= 10
    assert Contact.objects.count() >= 10
    assert set(StaffProfile.objects.values_list("role", flat=True)) == set(Role.values)
    assert 190 <= Ticket.objects.count() <= 210
    by_status = dict(Ticket.objects.values_list("status").annotate(n=Count("pk")))
    assert set(by_status) == set(Status.values), by_status
    assert Message.objects.count() / Ticket.objects.count() >= 2
    # Every statistic of the panel counts something: tickets arrived today too.
    assert Ticket.objects.filter(created_at__date=timezone.localdate()).exists()


@pytest.mark.django_db
def test_demo_sign_ins_work_with_the_documented_password():
    run("demo")
    for email in ("admin@demo.example", "supervisor@demo.example", "agent@demo.example"):
        assert authenticate(username=email, password="demo") is not None, email
    customer = authenticate(username="customer@demo.example", password="demo")
    assert customer is not None and customer.contact is not None


@pytest.mark.django_db
def test_demo_refuses_to_load_twice():
    run("demo", "--tickets", "5")
    with pytest.raises(CommandError, match="already loaded"):
        run("demo")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_run_migrates_loads_the_demo_and_serves_a_sign_in_page(tmp_path):
    """`frontdesk run --demo` on an empty data folder, as a newcomer runs it."""
    port = free_port()
    env = {
        **os.environ,
        "FRONTDESK_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'frontdesk.sqlite3'}",
        "WEB_CONCURRENCY": "1",
    }
    env.pop("REDIS_URL", None)
    # No key: run makes one in the data folder, and the server and worker it starts read it.
    env.pop("SECRET_KEY", None)
    env.pop("SECRET_KEY_FILE", None)
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "frontdesk.cli", "run", "--demo", "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        page = _wait_for(f"http://127.0.0.1:{port}/login/", server)
        assert "Sign in" in page and 'name="username"' in page
    finally:
        server.send_signal(signal.SIGTERM)
        output = server.communicate(timeout=60)[0].decode()
    assert server.returncode == 0, output
    assert "admin@demo.example" in output and "Loaded 3 queues" in output
    assert "Huey consumer started" in output, output
    # No SMTP server on a fresh machine: the demo's mail goes to the local sink.
    assert "Outgoing mail goes to the local sink" in output
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def _wait_for(url: str, server: subprocess.Popen) -> str:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(server.communicate()[0].decode())
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                return response.read().decode()
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in time")


@pytest.mark.django_db
def test_people_sign_in_with_their_address_in_any_case():
    run("createadmin", "--email", "boss@example.com", "--password", "long-secret-1")
    assert authenticate(username="  Boss@Example.COM", password="long-secret-1") is not None


@pytest.mark.django_db
def test_the_newest_demo_tickets_arrive_today_even_just_after_midnight(world):
    from datetime import datetime, timedelta
    from random import Random

    from frontdesk import demo

    just_after_midnight = timezone.make_aware(datetime(2026, 3, 2, 0, 5))
    for seed in range(20):
        ticket = world.ticket()
        demo._move_back_in_time(ticket, 199, Random(seed), just_after_midnight)
        created = Ticket.objects.get(pk=ticket.pk).created_at
        assert timezone.localdate(created) == just_after_midnight.date(), seed
        assert just_after_midnight - timedelta(minutes=5) <= created <= just_after_midnight
