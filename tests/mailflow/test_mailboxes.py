"""Polling real IMAP and POP3 mailboxes (Dovecot): stored before removed, once (S27, S32)."""

from __future__ import annotations

import socket
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connections

from mail import fetch
from mail import ingest as ingest_module
from mail.fetch import failing_mailboxes, poll
from mail.models import InboundMessage, Mailbox, Protocol, QuarantinedMessage, Security
from mail.tasks import fetch_mail
from tests.fixtures_mail import PASSWORD, make_mail
from tickets.models import Ticket


def _mailbox(dovecot, protocol=Protocol.IMAP, **fields) -> Mailbox:
    user = fields.pop("username", None) or dovecot.new_user()
    port = dovecot.imap_port if protocol == Protocol.IMAP else dovecot.pop3_port
    return Mailbox.objects.create(
        name=fields.pop("name", user),
        protocol=protocol,
        host="127.0.0.1",
        port=port,
        security=Security.NONE,
        username=user,
        password=fields.pop("password", PASSWORD),
        **fields,
    )


def _fill(dovecot, mailbox: Mailbox, count: int) -> None:
    for number in range(count):
        dovecot.append(mailbox.username, make_mail(subject=f"Message {number}"))


@pytest.mark.parametrize("protocol", [Protocol.IMAP, Protocol.POP3])
def test_polling_stores_every_message_then_deletes_it(mail_world, dovecot, protocol):
    mailbox = _mailbox(dovecot, protocol)
    _fill(dovecot, mailbox, 3)

    result = poll(mailbox)

    assert (result.stored, result.duplicates, result.error) == (3, 0, "")
    assert sorted(Ticket.objects.values_list("title", flat=True)) == [
        "Message 0",
        "Message 1",
        "Message 2",
    ]
    assert dovecot.inbox(mailbox.username) == []
    assert InboundMessage.objects.filter(source=f"{protocol}:{mailbox.name}").count() == 3


def test_a_queues_mailbox_puts_its_mail_in_that_queue(mail_world, dovecot):
    mailbox = _mailbox(dovecot, queue=mail_world.sales)
    _fill(dovecot, mailbox, 1)

    poll(mailbox)

    assert Ticket.objects.get().queue == mail_world.sales


def test_a_mailbox_that_keeps_mail_flags_it_and_fetches_only_new_uids(mail_world, dovecot):
    mailbox = _mailbox(dovecot, keep_messages=True)
    _fill(dovecot, mailbox, 2)

    first = poll(mailbox)
    dovecot.append(mailbox.username, make_mail(subject="Later"))
    second = poll(mailbox)

    assert (first.stored, second.stored, second.duplicates) == (2, 1, 0)
    inbox = dovecot.inbox(mailbox.username)
    assert len(inbox) == 3 and all("\\Seen" in flags for _, flags in inbox)
    mailbox.refresh_from_db()
    assert mailbox.last_uid == max(uid for uid, _ in inbox)
    assert mailbox.uidvalidity is not None


def test_a_new_uidvalidity_starts_over_without_doubling(mail_world, dovecot):
    mailbox = _mailbox(dovecot, keep_messages=True)
    _fill(dovecot, mailbox, 2)
    poll(mailbox)
    Mailbox.objects.filter(pk=mailbox.pk).update(uidvalidity=1, last_uid=10_000)
    mailbox.refresh_from_db()

    result = poll(mailbox)

    assert (result.stored, result.duplicates) == (0, 2)
    assert Ticket.objects.count() == 2


@pytest.mark.parametrize(
    ("protocol", "removal"), [(Protocol.IMAP, "_remove_imap"), (Protocol.POP3, "_remove_pop3")]
)
def test_a_crash_after_the_commit_and_before_the_delete_makes_no_duplicate(
    mail_world, dovecot, monkeypatch, protocol, removal
):
    mailbox = _mailbox(dovecot, protocol)
    _fill(dovecot, mailbox, 2)

    def die(*args, **kwargs):
        # Like the process being killed: nothing after this line runs.
        raise SystemExit("killed")

    with monkeypatch.context() as patched:
        patched.setattr(fetch, removal, die)
        with pytest.raises(SystemExit):
            poll(mailbox)
    assert Ticket.objects.count() == 1
    assert len(dovecot.inbox(mailbox.username)) == 2

    result = poll(Mailbox.objects.get(pk=mailbox.pk))

    assert (result.stored, result.duplicates) == (1, 1)
    assert Ticket.objects.count() == 2
    assert dovecot.inbox(mailbox.username) == []


def test_polling_resumes_after_the_connection_drops(mail_world, dovecot, monkeypatch):
    mailbox = _mailbox(dovecot)
    _fill(dovecot, mailbox, 3)
    real_remove = fetch._remove_imap
    dropped: list[int] = []

    def remove_then_drop(connection, mailbox, uid):
        real_remove(connection, mailbox, uid)
        if not dropped:
            dropped.append(uid)
            connection.sock.shutdown(socket.SHUT_RDWR)

    monkeypatch.setattr(fetch, "_remove_imap", remove_then_drop)

    result = poll(mailbox)

    assert dropped and result.error == ""
    assert Ticket.objects.count() == 3
    assert dovecot.inbox(mailbox.username) == []


@pytest.mark.django_db(transaction=True)
def test_two_pollers_on_one_mailbox_make_one_ticket_per_message(mail_world, dovecot):
    mailbox = _mailbox(dovecot)
    _fill(dovecot, mailbox, 6)
    start = threading.Barrier(2)
    results = []

    def run() -> None:
        try:
            start.wait()
            results.append(poll(Mailbox.objects.get(pk=mailbox.pk)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [result.error for result in results] == ["", ""]
    assert Ticket.objects.count() == 6
    assert InboundMessage.objects.count() == 6
    assert dovecot.inbox(mailbox.username) == []


def test_a_mailbox_that_keeps_failing_raises_an_alert_until_it_works(mail_world, dovecot, settings):
    settings.MAIL_MAILBOX_ALERT_AFTER = 3
    mailbox = _mailbox(dovecot, password="wrong")

    for _ in range(3):
        result = poll(mailbox)
        assert result.error

    mailbox.refresh_from_db()
    assert mailbox.consecutive_failures == 3 and mailbox.is_alerting
    assert "AUTHENTICATIONFAILED" in mailbox.last_error or "failed" in mailbox.last_error.lower()
    assert list(failing_mailboxes()) == [mailbox]

    Mailbox.objects.filter(pk=mailbox.pk).update(password=PASSWORD)
    poll(Mailbox.objects.get(pk=mailbox.pk))

    mailbox.refresh_from_db()
    assert (mailbox.consecutive_failures, mailbox.last_error) == (0, "")
    assert list(failing_mailboxes()) == []


def test_an_unreachable_server_counts_as_a_failure(mail_world, dovecot):
    mailbox = _mailbox(dovecot)
    Mailbox.objects.filter(pk=mailbox.pk).update(port=1)
    mailbox.refresh_from_db()

    result = poll(mailbox)

    assert "ConnectionRefusedError" in result.error
    assert Mailbox.objects.get(pk=mailbox.pk).consecutive_failures == 1


def test_the_fetchmail_command_polls_every_active_mailbox(mail_world, dovecot, capsys):
    first, second = _mailbox(dovecot), _mailbox(dovecot, Protocol.POP3)
    _mailbox(dovecot, is_active=False)
    _fill(dovecot, first, 1)
    _fill(dovecot, second, 2)

    call_command("fetchmail")

    output = capsys.readouterr().out
    assert f"{first.name}: 1 stored" in output and f"{second.name}: 2 stored" in output
    assert Ticket.objects.count() == 3


def test_the_fetchmail_command_fails_when_a_mailbox_fails(mail_world, dovecot):
    mailbox = _mailbox(dovecot, password="wrong")

    with pytest.raises(CommandError, match=mailbox.name):
        call_command("fetchmail", mailbox=[mailbox.name])


def test_the_periodic_task_polls_the_mailboxes(mail_world, dovecot):
    mailbox = _mailbox(dovecot)
    _fill(dovecot, mailbox, 2)

    assert fetch_mail.call_local() == 2
    assert Ticket.objects.count() == 2


def test_a_message_that_fails_is_quarantined_and_leaves_the_mailbox(
    mail_world, dovecot, monkeypatch
):
    monkeypatch.setattr(ingest_module.route, "locate", lambda parsed: 1 / 0)
    mailbox = _mailbox(dovecot, Protocol.POP3)
    _fill(dovecot, mailbox, 1)

    result = poll(mailbox)

    assert (result.quarantined, result.error) == (1, "")
    assert QuarantinedMessage.objects.get().source == f"pop3:{mailbox.name}"
    assert dovecot.inbox(mailbox.username) == []


@pytest.mark.parametrize("protocol", [Protocol.IMAP, Protocol.POP3])
def test_an_unavailable_database_leaves_the_mail_in_the_mailbox(
    mail_world, dovecot, monkeypatch, protocol
):
    def database_gone(*args, **kwargs):
        raise OperationalError("database is locked")

    mailbox = _mailbox(dovecot, protocol)
    _fill(dovecot, mailbox, 2)
    monkeypatch.setattr(fetch, "ingest", database_gone)

    result = poll(mailbox)

    assert "OperationalError" in result.error
    assert len(dovecot.inbox(mailbox.username)) == 2
    assert not Ticket.objects.exists()
