"""ingest(raw, source): a ticket once per message, the raw kept, failures quarantined."""

from __future__ import annotations

import threading
from email.message import EmailMessage

import pytest
from django.core.management import call_command
from django.db import connection, connections

from mail import ingest as ingest_module
from mail.ingest import content_hash, ingest, read_raw, reprocess
from mail.models import InboundMessage, Match, Outcome, QuarantinedMessage
from tests.conftest import SETUP
from tests.fixtures_mail import make_mail
from tickets import actions
from tickets.models import Ticket, TicketType


def test_it_opens_an_email_ticket_and_keeps_the_raw_message(mail_world):
    raw = make_mail(subject="Printer on fire", body="It is on fire.")

    result = ingest(raw, "test")

    ticket = Ticket.objects.get()
    assert (ticket.title, ticket.type, ticket.requester_email) == (
        "Printer on fire",
        TicketType.EMAIL,
        "alice@a.example",
    )
    assert ticket.account == mail_world.account_a
    assert ticket.messages.get().text.strip() == "It is on fire."
    inbound = result.inbound
    assert inbound is not None and inbound.ticket == ticket
    assert (inbound.outcome, inbound.match) == (Outcome.NEW_TICKET, Match.NEW_TICKET)
    assert read_raw(inbound.raw.name) == raw
    assert inbound.source == "test"


def test_the_same_message_twice_makes_one_entry(mail_world):
    raw = make_mail()

    first = ingest(raw, "test")
    second = ingest(raw, "test")

    assert not first.duplicate and second.duplicate
    assert second.inbound == first.inbound
    assert Ticket.objects.count() == 1
    assert InboundMessage.objects.count() == 1


def test_one_message_over_imap_crlf_and_over_a_pipe_lf_is_one_entry(mail_world):
    unix = make_mail(message_id="<same@a.example>")
    network = unix.replace(b"\n", b"\r\n")
    relayed = b"Received: from mx.a.example by mx.frontdesk.example\n" + unix

    ingest(unix, "mailgate")
    ingest(network, "imap:main")
    ingest(relayed, "pop3:main")

    assert content_hash(unix) == content_hash(network) == content_hash(relayed)
    assert Ticket.objects.count() == 1


def test_a_message_without_message_id_gets_one_from_its_hash(mail_world):
    raw = make_mail(message_id=None)

    first = ingest(raw, "test")
    second = ingest(raw, "test")

    assert first.inbound is not None
    assert first.inbound.message_id.endswith("@hash.frontdesk.invalid")
    assert first.inbound.message_id.startswith(content_hash(raw)[:40])
    assert second.duplicate
    assert Ticket.objects.count() == 1


def test_a_repeated_message_id_with_other_content_is_not_dropped(mail_world):
    ingest(make_mail(message_id="<reused@a.example>", subject="First"), "test")
    ingest(make_mail(message_id="<reused@a.example>", subject="Second"), "test")

    assert InboundMessage.objects.count() == 2
    assert Ticket.objects.get(title="Second")


def test_a_message_that_raises_is_quarantined_with_its_raw_bytes_and_error(mail_world, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("the routing broke")

    monkeypatch.setattr(ingest_module.route, "locate", explode)
    raw = make_mail()

    result = ingest(raw, "mailgate")

    entry = result.quarantined
    assert entry is not None and result.inbound is None
    assert "RuntimeError: the routing broke" in entry.error
    assert "explode" in entry.traceback
    assert read_raw(entry.raw.name) == raw
    assert not InboundMessage.objects.exists()


def test_quarantine_survives_the_rollback_of_what_ingest_had_written(mail_world, monkeypatch):
    def fail_after_the_ticket(*args, **kwargs):
        raise ValueError("late failure")

    # The ticket is already written when this runs; the rollback must take it
    # back while the quarantine entry stays.
    monkeypatch.setattr(ingest_module, "_done", fail_after_the_ticket)

    result = ingest(make_mail(), "test")

    assert result.quarantined is not None
    assert not Ticket.objects.exists()
    assert not InboundMessage.objects.exists()
    assert QuarantinedMessage.objects.get().error == "ValueError: late failure"


def test_a_message_without_a_single_sender_is_quarantined(mail_world):
    raw = make_mail().replace(b"From: Alice <alice@a.example>\n", b"")

    result = ingest(raw, "test")

    assert result.quarantined is not None
    assert "no single sender" in result.quarantined.error
    assert not Ticket.objects.exists()


def test_the_same_failure_again_updates_the_one_quarantine_entry(mail_world, monkeypatch):
    monkeypatch.setattr(ingest_module.route, "locate", lambda parsed: 1 / 0)
    raw = make_mail()

    ingest(raw, "test")
    ingest(raw, "test")

    assert QuarantinedMessage.objects.get().attempts == 2


def test_reprocess_stores_a_quarantined_message_once_the_cause_is_gone(mail_world, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(ingest_module.route, "locate", lambda parsed: 1 / 0)
        entry = ingest(make_mail(subject="Was broken"), "test").quarantined
    assert entry is not None

    result = reprocess(entry)

    entry.refresh_from_db()
    assert entry.resolved and entry.inbound == result.inbound
    assert Ticket.objects.get().title == "Was broken"


def test_the_mail_reprocess_command_reruns_open_quarantine_entries(mail_world, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(ingest_module.route, "locate", lambda parsed: 1 / 0)
        ingest(make_mail(subject="One"), "test")
        ingest(make_mail(subject="Two"), "test")

    call_command("mail", "reprocess")

    assert sorted(Ticket.objects.values_list("title", flat=True)) == ["One", "Two"]
    assert not QuarantinedMessage.objects.filter(resolved=False).exists()


def test_an_attachment_over_the_limit_stays_in_the_raw_message(mail_world):
    from tickets.models import HelpdeskSettings

    helpdesk = HelpdeskSettings.load()
    helpdesk.max_attachment_size = 1000
    helpdesk.save()
    raw = make_mail(
        attachments=[
            ("small.txt", "text/plain", b"small"),
            ("big.bin", "application/octet-stream", b"x" * 5000),
        ]
    )

    ingest(raw, "test")

    message = Ticket.objects.get().messages.get()
    assert [item.filename for item in message.attachments.all()] == ["small.txt"]
    assert "big.bin (5000 bytes) is over the attachment limit" in message.text


def test_attachments_and_html_reach_the_ticket(mail_world):
    raw = make_mail(
        body="See the photo.",
        html="<p>See the <b>photo</b>.<script>alert(1)</script></p>",
        attachments=[("fire.png", "image/png", b"\x89PNG fake")],
    )

    ingest(raw, "test")

    message = Ticket.objects.get().messages.get()
    attachment = message.attachments.get()
    assert (attachment.filename, attachment.content_type) == ("fire.png", "image/png")
    assert attachment.file.read() == b"\x89PNG fake"
    assert "<b>photo</b>" in message.html and "<script>" not in message.html


def test_a_long_subject_is_shortened_to_a_title(mail_world):
    ingest(make_mail(subject="word " * 500), "test")

    title = Ticket.objects.get().title
    assert len(title) == 255 and title.endswith("…")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_ingests_of_one_message_make_one_ticket(mail_world):
    raw = make_mail()
    results = []
    errors = []
    start = threading.Barrier(2)

    def run() -> None:
        try:
            start.wait()
            results.append(ingest(raw, "race"))
        except Exception as error:  # pragma: no cover - shown by the assertion
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Ticket.objects.count() == 1
    assert sorted(result.duplicate for result in results) == [False, True]
    assert not QuarantinedMessage.objects.exists()


def test_ingest_inside_a_callers_transaction_still_quarantines(mail_world, monkeypatch):
    monkeypatch.setattr(ingest_module.route, "locate", lambda parsed: 1 / 0)

    assert connection.in_atomic_block  # the test's own transaction
    result = ingest(make_mail(), "test")

    assert result.quarantined is not None
    assert QuarantinedMessage.objects.count() == 1


def test_a_reply_from_the_requester_uses_the_customer_reply_action(mail_world):
    ticket = mail_world.ticket()
    actions.close(actor=SETUP, ticket=ticket)

    ingest(make_mail(subject=f"Re: Cannot log in [#{ticket.number}]", body="Again"), "test")

    ticket.refresh_from_db()
    assert ticket.status == "reopened"
    assert ticket.messages.last().text.strip() == "Again"


def test_an_inline_image_keeps_its_content_id_for_the_html_that_shows_it(mail_world):
    message = EmailMessage()
    message["From"] = "Alice <alice@a.example>"
    message["To"] = "support@frontdesk.example"
    message["Subject"] = "Screenshot"
    message["Message-ID"] = "<inline-1@a.example>"
    message.set_content("See the picture.")
    message.add_alternative('<p>See <img src="cid:shot@a.example"></p>', subtype="html")
    html = message.get_body(preferencelist=("html",))
    assert isinstance(html, EmailMessage)
    html.add_related(
        b"\x89PNG\r\n\x1a\n", "image", "png", cid="<shot@a.example>", filename="shot.png"
    )

    ingest(message.as_bytes(), "test")

    stored = Ticket.objects.get().messages.get().attachments.get()
    assert (stored.filename, stored.content_id) == ("shot.png", "shot@a.example")


def test_attachments_without_a_content_id_store_none(mail_world):
    ingest(make_mail(attachments=[("notes.txt", "text/plain", b"hello")]), "test")

    stored = Ticket.objects.get().messages.get().attachments.get()
    assert (stored.filename, stored.content_id) == ("notes.txt", "")
