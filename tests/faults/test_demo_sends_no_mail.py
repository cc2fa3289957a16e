"""The demo's made-up history never becomes mail: loading it beside a running
worker sends nothing to the SMTP server, while real mail still goes out."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from mail.models import OutgoingKind, OutgoingMail
from tests.faults.worker_processes import (
    COMMAND,
    Process,
    queue_storage,
    redis_environment,
    wait_until,
)
from tests.fixtures_mail import SmtpSink
from tickets.models import Message, MessageKind, Status, Ticket

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def test_loading_the_demo_beside_a_worker_sends_no_mail(tmp_path: Path):
    sink = SmtpSink()
    sink.start()
    try:
        with redis_environment(tmp_path) as queue_env:
            env = {
                **queue_env,
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(sink.port),
                "JOB_INTERVALS": "outbox-sweep=1",
            }
            worker = Process(["worker"], env, tmp_path / "worker.log")
            try:
                worker.wait_for_output("Huey consumer started")
                subprocess.run(  # noqa: S603
                    [*COMMAND, "demo", "--tickets", "30"], env=env, check=True, timeout=60
                )
                # Mail that is real goes out through the same worker and server.
                OutgoingMail.objects.create(
                    kind=OutgoingKind.ANSWER,
                    from_address="support@demo.example",
                    to=["someone@a.example"],
                    recipient="someone@a.example",
                    subject="A real answer",
                    text="Sent after the demo was loaded.",
                    message_id="after-the-demo@frontdesk.example",
                )
                queue = queue_storage(env)
                wait_until(lambda: sink.received and queue.queue_size() == 0, 30, worker.output)
                time.sleep(1)  # a task taken just before the queue was empty finishes
            finally:
                worker.stop()
    finally:
        sink.stop()

    # The demo has answers and closed tickets, whose mail would have gone to customers.
    assert Message.objects.filter(kind=MessageKind.ANSWER).exists()
    assert Ticket.objects.filter(status=Status.CLOSED).exists()
    assert [envelope.rcpt_tos for envelope in sink.received] == [["someone@a.example"]]
