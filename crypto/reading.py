"""What a decrypted block shows: its text, and for PGP/MIME the parts inside it.

A PGP/MIME message (RFC 3156) encrypts a whole MIME entity: its text and its
attachments. It is read with the mail parser (mail/parse.py, with its limits),
so its files can be offered for download; plain inline PGP is text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.views.decorators.debug import sensitive_variables

from crypto.decryption import Outcome

#: The dialog shows this much of a long text and says that the rest is left out.
MAX_SHOWN_CHARS = 200_000
_MIME_HEADER = re.compile(rb"\A(?:[!-9;-~]+:[^\n]*\r?\n(?:[ \t][^\n]*\r?\n)*)+\r?\n", re.ASCII)


@dataclass(frozen=True)
class File:
    name: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class Shown:
    text: str
    truncated: bool = False
    files: list[File] = field(default_factory=list)


def is_mime(data: bytes) -> bool:
    head = data[:8192]
    match = _MIME_HEADER.match(head)
    return match is not None and b"content-type:" in match.group(0).lower()


@sensitive_variables()
def shown(outcome: Outcome) -> Shown:
    data = outcome.data
    files: list[File] = []
    if is_mime(data):
        from mail.parse import parse

        parsed = parse(data)
        text = parsed.text
        files = [
            File(attachment.filename, attachment.content_type, attachment.content)
            for attachment in parsed.attachments
        ]
    else:
        text = outcome.text
    truncated = len(text) > MAX_SHOWN_CHARS
    return Shown(text[:MAX_SHOWN_CHARS] if truncated else text, truncated, files)
