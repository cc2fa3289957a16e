"""Real mail read right end to end: the ticket a corpus message opens (issue 12).

Each message of tests/mail/ named here goes through ``ingest``; the ticket's
title, requester, the text of its first message and its attachments are what
a reader of the mail would expect. Nothing is quarantined.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from mail.ingest import ingest, unmatched_automatic
from mail.models import QuarantinedMessage
from tickets.models import Ticket

CORPUS = Path(__file__).resolve().parent.parent / "mail"


class Shown(NamedTuple):
    title: str
    requester: str
    text: str  # the first message's text, or a fragment of it
    attachments: tuple[str, ...] = ()


SHOWN: dict[str, Shown] = {
    # Structure and text (class 1)
    "outlook_unquoted_boundary.eml": Shown(
        "Printer prints blank pages",
        "jordan.lee@corp.example",
        "The printer on floor 3 prints blank pages since Monday.",
    ),
    "multipart_boundary_never_met.eml": Shown(
        "Boundary never met",
        "sender@test.example",
        "The boundary never comes, and this text must still be read.",
    ),
    "multipart_without_parts.eml": Shown(
        "Multipart without parts",
        "sender@test.example",
        "A preamble holds the only text of this message.",
    ),
    "inline_text_with_filename.eml": Shown(
        "Log inline",
        "sender@test.example",
        "The error log is below.\n\nERROR 42: disk full on /var\n\nThanks for looking.",
        ("error.log",),
    ),
    "mixed_plain_and_html_parts.eml": Shown(
        "Text then HTML",
        "sender@test.example",
        "First, plain text.\n\nThen an HTML part.\n\nAnd a plain footer.",
    ),
    "x_uuencode_text_body.eml": Shown(
        "x-uuencode text body", "sender@test.example", "Grüße, the whole body was uuencoded."
    ),
    "base64_impossible_length.eml": Shown(
        "Base64 of impossible length",
        "sender@test.example",
        "Decoded as far as it goes, then one stray character.",
    ),
    "header_continuation_without_space.eml": Shown(
        "A subject that a broken gateway folded without a leading space",
        "customer@test.example",
        "The headers above were folded wrongly.",
    ),
    "header_first_line_junk.eml": Shown(
        "First line is no header", "customer@test.example", "A mailbox escaped the envelope line."
    ),
    # Charsets without labels (class 3)
    "iso2022jp_unlabelled.eml": Shown(
        "ログインできません",
        "sender@test.example",
        "お世話になっております。昨日からログインできません。",
    ),
    "iso2022jp_cp50220_extensions.eml": Shown(
        "注文①の件", "sender@test.example", "注文番号①の件、㈱テストの№3、Ⅲ型です。"
    ),
    "gb2312_unlabelled_short.eml": Shown(
        "Short GB2312 without a label", "sender@test.example", "无法登录邮箱"
    ),
    "raw_subject_cp1251_latin1_body.eml": Shown(
        "Проблема с доступом", "ivan@test.example", "Réunion à Paris, café à 10 h."
    ),
    "raw_subject_gbk_utf8_body.eml": Shown(
        "无法登录邮箱", "li@test.example", "Hello, the subject says it."
    ),
    "raw_subject_koi8r_cp1252_body.eml": Shown(
        "Не работает почта", "olga@test.example", "Grüße – bitte um Rückruf."
    ),
}


@pytest.mark.parametrize("name", sorted(SHOWN))
def test_each_message_opens_the_ticket_a_reader_expects(mail_world, name):
    expected = SHOWN[name]

    result = ingest((CORPUS / name).read_bytes(), "test")

    assert result.quarantined is None
    assert QuarantinedMessage.objects.count() == 0
    ticket = Ticket.objects.get()
    assert (ticket.title, ticket.requester_email) == (expected.title, expected.requester)
    message = ticket.messages.get()
    assert expected.text in message.text
    assert "NextPart" not in message.text
    names = [attachment.filename for attachment in message.attachments.all()]
    assert names == list(expected.attachments)


def test_a_recovered_header_block_keeps_the_message_id_for_threading(mail_world):
    ingest((CORPUS / "header_continuation_without_space.eml").read_bytes(), "test")

    message = Ticket.objects.get().messages.get()
    assert message.message_id == "broken-fold@test.example"
    assert "Message-ID" not in message.text


def test_the_public_corpus_through_ingest_opens_tickets_and_sets_the_bounce_aside(
    mail_world, settings
):
    settings.MAIL_NEW_TICKETS_PER_SENDER = 1000
    outcomes = {}
    for path in sorted((CORPUS / "public" / "cpython").glob("msg_*.txt")):
        result = ingest(path.read_bytes(), "test")
        assert result.quarantined is None, (path.name, result.quarantined)
        assert result.inbound is not None
        outcomes[path.name] = result.inbound.outcome

    assert outcomes.pop("msg_16.txt") == "ignored"
    assert set(outcomes.values()) == {"new_ticket"}
    # The bounce answers no ticket here: set aside, and listed for an administrator.
    assert [row.message_id for row in unmatched_automatic()] == [
        "0GK500B04D0B8X@cougar.noc.ucla.edu"
    ]
    mirror = Ticket.objects.get(title="a simple multipart").messages.get()
    assert mirror.text.count("a simple kind of mirror") == 2
