"""Mail nobody here wrote: CPython's email test messages, parsed and ingested (issue 12).

The files are in tests/mail/public/cpython/ (see the README there for their
source and licence). Each parses without an exception, and what a reader of
the mail sees is what the ticket shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mail.parse import parse

PUBLIC = Path(__file__).parent / "mail" / "public" / "cpython"


def read(name: str) -> bytes:
    return (PUBLIC / name).read_bytes()


def test_the_public_corpus_is_there_with_its_source_noted():
    assert len(list(PUBLIC.glob("msg_*.txt"))) >= 10
    assert "Python Software Foundation License" in (PUBLIC.parent / "README.md").read_text()


@pytest.mark.parametrize("name", sorted(path.name for path in PUBLIC.glob("msg_*.txt")))
def test_each_public_message_parses_with_a_sender_and_a_subject(name):
    message = parse(read(name))

    assert message.from_address and "@" in message.from_address
    assert message.subject
    assert not any("cannot be parsed" in problem for problem in message.problems)


def test_every_body_part_is_shown_in_order_whatever_its_transfer_encoding():
    text = parse(read("msg_10.txt")).text

    assert text.split("\n\n") == [
        "This is a 7bit encoded message.",
        "¡This is a Quoted Printable encoded message!",
        "This is a Base64 encoded message.",
        "This is a Base64 encoded message.",
        "This has no Content-Transfer-Encoding: header.",
    ]


def test_text_parts_with_only_a_name_are_shown_and_kept():
    message = parse(read("msg_44.txt"))

    assert message.text == ("a simple kind of mirror\nto reflect upon our own\n\n" * 2).strip()
    assert [attachment.filename for attachment in message.attachments] == ["msg.txt", "msg.txt"]


def test_headers_without_a_blank_line_after_them_are_read_and_the_body_is_kept():
    message = parse(read("msg_35.txt"))

    assert message.subject == "here's something interesting"
    assert message.text == "counter to RFC 5322, there's no separating newline here"


def test_an_impossible_date_is_none_and_the_rest_is_read():
    message = parse(read("msg_47.txt"))

    assert message.date is None
    assert (message.from_address, message.from_name) == ("123@example.com", "123@abuse.net")
    assert message.text == "### PHARRMACY ON1INE 24/7 ###"


def test_a_signed_message_shows_its_text_and_keeps_the_signature():
    message = parse(read("msg_48.txt"))

    assert message.text == "This is the signed contents."
    assert [attachment.filename for attachment in message.attachments] == ["signature.asc"]
    assert message.in_reply_to == [
        "somelonglonglonglonglongunwrappablemessageidtoreplyto@mail.foo.bar"
    ]


def test_a_digest_keeps_each_post_as_a_message_of_its_own():
    message = parse(read("msg_02.txt"))

    assert "Send Ppp mailing list submissions to" in message.text
    assert [attachment.filename for attachment in message.attachments] == [
        "[Ppp] testing #1.eml",
        "message.eml",
        "[Ppp] testing #3.eml",
        "[Ppp] testing #4.eml",
        "[Ppp] testing #5.eml",
    ]
