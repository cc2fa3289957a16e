"""The background worker for real: a task queued in Redis by one process runs
in a `frontdesk worker` process and changes the database the test reads."""

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest
import redis
import time_machine
from django.db import connection
from django.utils import timezone

from tickets.models import Ticket

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


@pytest.fixture
def redis_env(tmp_path):
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: {error} (make test starts it)")
    env = {
        **os.environ,
        "REDIS_URL": REDIS_URL,
        "HUEY_NAME": f"frontdesk-test-{uuid.uuid4().hex[:8]}",
        "HUEY_IMMEDIATE": "false",
        "DATABASE_URL": database_url(),
        "FRONTDESK_DATA_DIR": str(tmp_path),
    }
    yield env
    for key in client.scan_iter(f"huey.*{env['HUEY_NAME']}*"):
        client.delete(key)


@pytest.mark.django_db(transaction=True)
def test_a_worker_escalates_a_ticket_queued_through_redis(world, redis_env):
    world.support.escalation_step = 10
    world.support.escalation_interval = timedelta(hours=1)
    world.support.save()
    with time_machine.travel(timezone.now() - timedelta(hours=2, minutes=5)):
        ticket = world.ticket(priority=50)

    worker = subprocess.Popen(
        [sys.executable, "-m", "frontdesk.cli", "worker"],
        env=redis_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "frontdesk.cli",
                "shell",
                "-c",
                "from tickets.tasks import escalate_tickets; escalate_tickets()",
            ],
            env=redis_env,
            check=True,
            timeout=60,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and worker.poll() is None:
            ticket.refresh_from_db()
            if ticket.priority != 50:
                break
            time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0].decode()
    assert ticket.priority == 70, output
    assert list(
        Ticket.objects.get(pk=ticket.pk).events.filter(code="escalation").values_list("old", "new")
    ) == [("50", "70")]
