"""Non-ASCII subjects go out as encoded words with no visible leading space (issue 12).

The email package folds a long non-ASCII Subject so that its first line is
empty ("Subject: " and the words on the lines below): readers that keep the
folding whitespace show the subject with a leading space.
"""

from __future__ import annotations

import re
from email import message_from_bytes, policy

import pytest

from mail.models import OutgoingKind, OutgoingMail
from mail.outbox import build_email
from mail.parse import parse

SUBJECTS = [
    "[#1042] Не работает почта, помогите пожалуйста разобраться с проблемой входа в систему",
    "[#12] 日本語の件名がとても長い場合にどうなるかを確認するためのテストです。これは長いです。",
    "Re: [#7] Ärger",
    "[#9] " + "😀" * 40,
]


def _raw(subject: str) -> bytes:
    row = OutgoingMail.objects.create(
        kind=OutgoingKind.ANSWER,
        from_address="Support <support@frontdesk.example>",
        to=["alice@a.example"],
        subject=subject,
        text="Hello.",
        message_id="out-1@frontdesk.example",
        recipient="alice@a.example",
    )
    return build_email(row).message().as_bytes()


@pytest.mark.django_db
@pytest.mark.parametrize("subject", SUBJECTS)
def test_a_non_ascii_subject_starts_on_the_subject_line_and_reads_back_whole(subject):
    raw = _raw(subject)

    header = re.search(rb"^Subject:(.*(?:\r?\n[ \t].*)*)", raw, re.MULTILINE)
    assert header is not None
    lines = header.group(1).split(b"\n")
    assert lines[0].startswith(b" =?utf-8?"), lines[0]
    assert all(len(line.rstrip(b"\r")) <= 78 for line in lines[1:])
    # Every encoded word decodes on its own: no character is split between two.
    for word in re.findall(rb"=\?utf-8\?b\?([^?]*)\?=", header.group(1)):
        __import__("base64").b64decode(word).decode("utf-8")
    assert str(message_from_bytes(raw, policy=policy.default)["subject"]) == subject
    assert parse(raw).subject == subject


@pytest.mark.django_db
def test_an_ascii_subject_is_left_as_it_is():
    raw = _raw("[#1] Printer on fire")

    assert b"Subject: [#1] Printer on fire" in raw
