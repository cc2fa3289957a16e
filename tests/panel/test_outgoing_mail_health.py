"""The Mail page and banner when sending fails: mail waiting and retrying, the last
error, and a banner once nothing has been sent for minutes (issue 10)."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from mail import outbox
from mail.models import OutgoingMail, OutgoingState
from tests.panel.helpers import failed_mail
from tickets import actions

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def refusing_server(settings):
    """Django set to send over SMTP to a port where nothing listens: connection refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 2


def answered_tickets(world, count: int) -> None:
    for index in range(count):
        ticket = world.ticket(title=f"Printer {index}")
        actions.answer(actor=world.supervisor, ticket=ticket, text="We are on it.")


def test_mail_retrying_after_connection_refused_shows_on_the_mail_page(
    world, as_user, refusing_server
):
    with at(START):
        answered_tickets(world, 3)
        outbox.sweep()
    assert OutgoingMail.objects.filter(state=OutgoingState.QUEUED).exclude(last_error="").exists()
    with at(START + timedelta(minutes=1)):
        page = as_user(world.admin).get("/panel/mail/").content.decode()
    waiting = OutgoingMail.objects.filter(state=OutgoingState.QUEUED).count()
    assert waiting >= 3
    assert f'id="waiting-mail-count">{waiting}<' in page
    assert f'id="retrying-mail-count">{waiting}<' in page
    assert 'id="failed-mail-count">0<' in page
    assert "Connection refused" in page.split('id="sending-last-error"', 1)[1].split("</pre>")[0]
    assert 'id="sending-fine"' not in page


def test_the_banner_rises_once_nothing_has_been_sent_for_minutes(world, as_user, refusing_server):
    with at(START):
        answered_tickets(world, 2)
        outbox.sweep()
    client = as_user(world.admin)
    with at(START + timedelta(minutes=5)):
        assert 'id="outbox-alert"' not in client.get("/panel/queues/").content.decode()
    with at(START + timedelta(minutes=11)):
        page = client.get("/panel/queues/").content.decode()
    assert 'id="outbox-alert"' in page
    assert "Mail is not being sent." in page
    assert "Connection refused" in page.split('id="outbox-alert-error"', 1)[1].split("</span>")[0]


def test_the_banner_is_for_administrators_only(world, as_user):
    with at(START):
        failed_mail(world.ticket(), state=OutgoingState.QUEUED, error="ConnectionRefusedError")
    with at(START + timedelta(hours=1)):
        for person in (world.agent, world.supervisor):
            page = as_user(person).get("/panel/queues/").content.decode()
            assert 'id="outbox-alert"' not in page
        assert 'id="outbox-alert"' in as_user(world.admin).get("/panel/queues/").content.decode()


def test_one_bad_address_among_mail_that_goes_out_raises_no_banner(world, as_user):
    with at(START):
        failed_mail(world.ticket(), state=OutgoingState.QUEUED, error="SMTPRecipientsRefused")
    with at(START + timedelta(minutes=30)):
        sent = failed_mail(world.ticket(), state=OutgoingState.SENT, error="")
        OutgoingMail.objects.filter(pk=sent.pk).update(sent_at=START + timedelta(minutes=29))
        page = as_user(world.admin).get("/panel/queues/").content.decode()
    assert 'id="outbox-alert"' not in page


def test_the_page_says_so_when_nothing_is_retrying(world, as_user):
    page = as_user(world.admin).get("/panel/mail/").content.decode()
    assert 'id="sending-fine"' in page
    assert 'id="waiting-mail-count">0<' in page
