"""The outbox against a real SMTP server (aiosmtpd): down, back, delivered once (S32)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from mail import outbox
from mail.models import OutgoingMail, OutgoingState
from tickets import actions


def test_an_answer_reaches_the_smtp_server(
    mail_world, smtp_sink, django_capture_on_commit_callbacks
):
    ticket = mail_world.ticket(cc=["carol@a.example"])

    with django_capture_on_commit_callbacks(execute=True):
        actions.answer(actor=mail_world.admin, ticket=ticket, text="Here you go.")

    [envelope] = smtp_sink.received
    assert sorted(envelope.rcpt_tos) == ["alice@a.example", "carol@a.example"]
    assert b"Here you go." in envelope.original_content
    assert f"[#{ticket.number}]".encode() in envelope.original_content
    assert OutgoingMail.objects.get().state == OutgoingState.SENT


def test_mail_written_while_the_server_is_down_goes_out_once_it_is_back(
    mail_world, smtp_sink, django_capture_on_commit_callbacks
):
    smtp_sink.stop()
    ticket = mail_world.ticket()

    with django_capture_on_commit_callbacks(execute=True):
        actions.answer(actor=mail_world.admin, ticket=ticket, text="Written while down.")

    row = OutgoingMail.objects.get()
    assert (row.state, row.attempts) == (OutgoingState.QUEUED, 1)
    assert row.last_error
    assert list(outbox.failed_mail_for(ticket)) == [row]

    smtp_sink.start()
    later = timezone.now() + timedelta(minutes=5)
    assert outbox.sweep(now=later) == 1
    assert outbox.sweep(now=later + timedelta(hours=1)) == 0
    assert outbox.sweep(now=later + timedelta(days=1)) == 0

    assert len(smtp_sink.received) == 1
    assert b"Written while down." in smtp_sink.received[0].original_content
    row.refresh_from_db()
    assert row.state == OutgoingState.SENT
    assert list(outbox.failed_mail_for(ticket)) == []


@pytest.mark.django_db(transaction=True)
def test_two_consumers_sweeping_at_once_send_each_mail_once(mail_world, smtp_sink):
    ticket = mail_world.ticket()
    for number in range(12):
        actions.answer(actor=mail_world.admin, ticket=ticket, text=f"Answer {number}")
    # The tasks ran inline at each commit; queue the mails again for the race.
    smtp_sink.received.clear()
    OutgoingMail.objects.update(state=OutgoingState.QUEUED, sent_at=None)
    start = threading.Barrier(2)
    errors = []

    def sweep() -> None:
        try:
            start.wait()
            outbox.sweep()
        except Exception as error:  # pragma: no cover - shown by the assertion
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    bodies = sorted(envelope.original_content for envelope in smtp_sink.received)
    assert len(bodies) == 12
    assert len(set(bodies)) == 12
    assert not OutgoingMail.objects.exclude(state=OutgoingState.SENT).exists()
