"""Raw mail bytes to a ParsedMessage (SPEC S31). The contract other modules use.

``parse(raw)`` never raises for anything a sender can put in a message: what it
had to repair or drop is listed in ``problems``, and the raw bytes are always
kept by the caller, so nothing is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str
    content_type: str
    content: bytes
    content_id: str = ""  # without angle brackets; set for inline (cid:) images
    is_inline: bool = False


@dataclass(frozen=True)
class ParsedMessage:
    message_id: str  # without angle brackets; "" when the message has none
    in_reply_to: list[str]  # Message-IDs, without angle brackets
    references: list[str]
    subject: str  # decoded, whitespace-folded, complete (callers shorten it)
    from_address: str  # lower-cased; "" when missing or ambiguous (several From)
    from_name: str
    to: list[str]
    cc: list[str]
    reply_to: list[str]
    delivered_to: list[str]  # Delivered-To and X-Original-To
    date: datetime | None
    text: str  # the body as text: text/plain, or derived from the HTML
    html: str  # sanitised with nh3; "" when the message has no HTML part
    attachments: list[ParsedAttachment]
    headers: list[tuple[str, str]]  # every header as decoded text, in order
    content_hash: str  # sha256 hex of the raw bytes
    problems: list[str] = field(default_factory=list)  # repairs, fallbacks, limits hit

    def header(self, name: str) -> list[str]:
        """Every value of a header, case-insensitive, in order."""
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]


def parse(raw: bytes) -> ParsedMessage:
    raise NotImplementedError("mail parsing arrives with the mail issue")
