"""Senders as real clients write them become requesters (issue 12, class 2).

The messages are tests/mail/sender_*.eml. Each opens a ticket for its one
sender, with the display name read right; none is quarantined.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from mail.ingest import ingest
from mail.models import OutgoingKind, OutgoingMail, OutgoingState, QuarantinedMessage
from tests.fixtures_mail import free_port, make_mail
from tickets import actions
from tickets.models import Ticket

CORPUS = Path(__file__).resolve().parent.parent / "mail"

SENDERS = [
    ("sender_quoted_encoded_word.eml", "ivan@test.example", "Quoted encoded word"),
    ("sender_encoded_comma.eml", "juergen.mueller@corp.example", "Encoded comma"),
    ("sender_quoted_encoded_comma.eml", "jordan.lee@corp.example", "Quoted encoded comma"),
    ("sender_eai_utf8.eml", "jörg@bücher.example", "Internationalised address"),
    ("sender_eai_cjk.eml", "山田@例え.テスト", "EAI in Japanese"),
]


@pytest.mark.parametrize(("name", "requester", "title"), SENDERS)
def test_each_sender_shape_opens_a_ticket_for_its_sender(mail_world, name, requester, title):
    result = ingest((CORPUS / name).read_bytes(), "test")

    assert result.quarantined is None
    assert QuarantinedMessage.objects.count() == 0
    ticket = Ticket.objects.get()
    assert (ticket.requester_email, ticket.title) == (requester, title)
    assert ticket.queue == mail_world.support


def test_an_internationalised_requester_can_reply_to_the_ticket(mail_world):
    ingest((CORPUS / "sender_eai_utf8.eml").read_bytes(), "test")
    ticket = Ticket.objects.get()

    raw = (
        "From: Jörg <JÖRG@bücher.example>\n"
        "To: support@frontdesk.example\n"
        "Subject: Re: Internationalised address\n"
        "Message-ID: <sender-4-reply@bücher.example>\n"
        "In-Reply-To: <sender-4@bücher.example>\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        "Danke!\n"
    ).encode()
    result = ingest(raw, "test")

    assert result.inbound is not None and result.inbound.ticket == ticket

    assert Ticket.objects.count() == 1
    assert ticket.messages.count() == 2


def test_an_internationalised_cc_is_kept(mail_world):
    ingest(make_mail(headers={"Cc": "Zoë <zoë@bücher.example>"}), "test")

    assert Ticket.objects.get().cc == ["zoë@bücher.example"]


class _Utf8Sink:
    def __init__(self) -> None:
        self.received: list[Envelope] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.received.append(envelope)
        return "250 OK"


@pytest.fixture
def utf8_smtp(settings) -> Iterator[_Utf8Sink]:
    """An SMTP server that offers SMTPUTF8, and Django's SMTP backend set to send to it."""
    sink = _Utf8Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, enable_SMTPUTF8=True)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    try:
        yield sink
    finally:
        controller.stop()


def test_an_answer_reaches_an_internationalised_requester_over_smtputf8(
    mail_world, utf8_smtp, django_capture_on_commit_callbacks
):
    ingest((CORPUS / "sender_eai_utf8.eml").read_bytes(), "test")
    ticket = Ticket.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        actions.answer(actor=mail_world.admin, ticket=ticket, text="Gern geschehen.")

    assert OutgoingMail.objects.get(kind=OutgoingKind.ANSWER).state == OutgoingState.SENT
    envelope = utf8_smtp.received[-1]
    assert envelope.rcpt_tos == ["jörg@bücher.example"]
    assert "SMTPUTF8" in envelope.mail_options
    content = bytes(envelope.original_content or b"")
    assert "To: jörg@bücher.example".encode() in content
    assert b"Gern geschehen." in content


def test_mail_to_ascii_addresses_goes_out_as_before(
    mail_world, utf8_smtp, django_capture_on_commit_callbacks
):
    ingest(make_mail(), "test")
    ticket = Ticket.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        actions.answer(actor=mail_world.admin, ticket=ticket, text="Done.")

    envelope = utf8_smtp.received[-1]
    assert envelope.rcpt_tos == ["alice@a.example"]
    assert "SMTPUTF8" not in envelope.mail_options
