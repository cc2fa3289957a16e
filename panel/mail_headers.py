"""The headers of a stored raw message, read for people to look at, never trusted.

A quarantined message is whatever a stranger sent, and it is there because
something about it broke the parser or ingest. So this reads only the header
block (a message may carry a 20 MB attachment), through the lenient compat32
parser that records defects instead of raising, decodes what it can and falls
back to the undecoded text for what it cannot. The values are plain text for
the templates to escape, never markup.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32

from django.db.models.fields.files import FieldFile

_CHUNK = 8192
HEAD_LIMIT = 256 * 1024
MAX_HEADERS = 500
VALUE_LIMIT = 4000

_HEADER_END = re.compile(rb"\r?\n\r?\n")
# Control characters would break the layout; bidirectional overrides can make
# a sender's text read as something else ("gpj.exe" shown as "exe.jpg").
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class RawHeaders:
    lines: list[tuple[str, str]] = field(default_factory=list)
    #: False when the raw file could not be read at all.
    readable: bool = True

    def first(self, name: str) -> str:
        wanted = name.lower()
        return next((value for key, value in self.lines if key.lower() == wanted), "")

    @property
    def sender(self) -> str:
        return self.first("from")

    @property
    def subject(self) -> str:
        return self.first("subject")


def read_headers(raw: FieldFile) -> RawHeaders:
    try:
        with raw.open("rb") as handle:
            head = _header_block(handle)
    except (OSError, ValueError):
        return RawHeaders(readable=False)
    message = BytesHeaderParser(policy=compat32).parsebytes(head + b"\n\n")
    lines = [
        (_clean(name, 200), _clean(_decoded(value), VALUE_LIMIT))
        for name, value in message.raw_items()
    ]
    return RawHeaders(lines=lines[:MAX_HEADERS])


def _header_block(handle: FieldFile) -> bytes:
    head = b""
    while len(head) < HEAD_LIMIT:
        chunk = handle.read(_CHUNK)
        if not chunk:
            break
        head += chunk
        end = _HEADER_END.search(head)
        if end is not None:
            return head[: end.start()]
    return head[:HEAD_LIMIT]


def _decoded(value: object) -> str:
    # compat32 keeps undecodable bytes as surrogates; most such headers are raw UTF-8 (RFC 6532).
    text = str(value)
    with contextlib.suppress(UnicodeEncodeError):
        text = text.encode("ascii", "surrogateescape").decode("utf-8", "replace")
    text = " ".join(text.split())
    try:
        return str(make_header(decode_header(text)))
    except Exception:
        # An unknown charset or a broken encoded word: the text as it came is still useful.
        return text


def _clean(text: str, limit: int) -> str:
    text = _UNSAFE.sub("\N{REPLACEMENT CHARACTER}", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
