"""kill -9 of the worker in the middle of sending mail: every mail still goes out.

A slow SMTP server (DELAY seconds before it answers a message) lets the test
kill `frontdesk worker` with SIGKILL while it waits for the server's 250 to a
message the server already has. The outbox holds each claimed mail for MAIL_OUTBOX_LEASE
seconds (LEASE here instead of 300); the worker, started again at once, sends
the rest from its queue and, once the lease ran out, what the dead one held
(the outbox sweep runs every SWEEP_EVERY seconds here instead of every minute).
What the outbox promises (mail/outbox.py, README) is at least once: a mail
that the server took before the kill, but that the worker could not mark sent,
arrives a second time after the lease, never a third; every other mail once.

The pass decides the deployment: PostgreSQL and a Redis queue, or SQLite with
its SQLite queue.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.faults.deployment import (
    Node,
    Processes,
    database_of_this_pass,
    node_env,
    smtp_sink,
    wait_until,
)
from tests.fixtures_mail import make_mail

pytestmark = pytest.mark.faults

SUPPORT = "support@frontdesk.example"
MAILS = 8
DELAY = 1.0
LEASE = 3
SWEEP_EVERY = 2


def test_a_worker_killed_while_sending_loses_no_mail_and_repeats_only_what_the_server_took(
    processes: Processes, tmp_path
):
    data = tmp_path / "data"
    database, env = processes.use(database_of_this_pass(data))
    sink = processes.use(smtp_sink(delay=DELAY))
    node = Node(
        "node",
        node_env(
            FRONTDESK_DATA_DIR=str(data),
            MEDIA_ROOT=str(data / "media"),
            EMAIL_PORT=str(sink.port),
            MAIL_OUTBOX_LEASE=str(LEASE),
            HUEY_WORKERS="2",
            JOB_INTERVALS=f"outbox-sweep={SWEEP_EVERY}",
            **env,
        ),
        processes,
    )
    node.command("migrate", "--no-input")
    node.setup(f"setup_data.helpdesk({SUPPORT!r}, 'We have your message.')")
    # Eight new tickets while no worker runs: eight confirmations wait in the outbox.
    mails = [
        make_mail(sender=f"c{index}@a.example", to=SUPPORT, message_id=f"m{index}@a.example")
        for index in range(MAILS)
    ]
    with ThreadPoolExecutor(4) as pool:
        assert [done.returncode for done in pool.map(node.mailgate, mails)] == [0] * MAILS
    queued = {row[0] for row in database.query("SELECT message_id FROM mail_outgoingmail")}
    assert len(queued) == MAILS

    first = node.worker("worker-1")

    def in_the_middle_of_a_send() -> bool:
        delivered, answered = sink.snapshot()
        return sum(answered.values()) >= 2 and sum((delivered - answered).values()) >= 1

    wait_until(in_the_middle_of_a_send, 60, first.output)
    processes.kill(first)
    delivered_before, answered_before = sink.snapshot()
    sent_before = {
        message_id
        for (message_id,) in database.query(
            "SELECT message_id FROM mail_outgoingmail WHERE state = 'sent'"
        )
    }
    # The kill came mid-send: some mail sent, one waiting for its 250, some not begun.
    assert sent_before and delivered_before - answered_before and queued - set(delivered_before)

    # Started again at once, as a supervisor does; what the dead worker had
    # claimed is due when its lease ends, and the next outbox sweep sends it.
    second = node.worker("worker-2")
    wait_until(
        lambda: database.query(
            "SELECT count(*) FROM mail_outgoingmail WHERE state = 'sent'"
        ) == [(MAILS,)],
        60,
        second.output,
    )  # fmt: skip
    # Each mail once, but those the server had when the worker died and that it
    # had not marked sent: those exactly twice (at least once, never more).
    unconfirmed = set(delivered_before) - sent_before
    assert sink.counts() == {
        message_id: 2 if message_id in unconfirmed else 1 for message_id in queued
    }
