"""Header values of an inbound message as text, addresses, ids and dates.

Every function takes the raw value the email package kept (folded, possibly
with raw 8-bit bytes as surrogate escapes) and never raises: the header
registry of ``email.policy`` raises on some malformed addresses (``alice@``
gives IndexError on Python 3.11), so each use of it is guarded.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import policy
from email.errors import InvalidHeaderDefect
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any

from mail.charsets import clean_text, decode_words, recover_header

# The email package's header parser takes time quadratic in a value's length
# (a Content-Type of 250 KB of parameters takes 12 s); structured parsing reads
# this much of a value, which holds hundreds of addresses or parameters.
MAX_PARSED_CHARS = 16 * 1024

_FOLD = re.compile(r"\r?\n(?=[ \t])|\r(?=[ \t])")
_LINE_BREAKS = re.compile(r"[\r\n]+")
_WHITESPACE = re.compile(r"\s+")
_BRACKETED_ID = re.compile(r"<\s*([^<>\s]{1,900})\s*>")
_ID_SEPARATORS = re.compile(r"[\s,;<>()\"]+")
_MAX_ID_CHARS = 900
# "for <billing@x>;" or Exim's "for billing@x;" in a Received header.
_RECEIVED_FOR = re.compile(r"\bfor\s+<?([^\s<>;@]{1,256}@[^\s<>;@]{1,256})>?\s*;", re.IGNORECASE)
_MAX_RECEIVED = 50
_MAX_DATE_CHARS = 200
# Defects of a From header that leave its one address unambiguous: an encoded
# word inside a quoted display name ("=?windows-1251?B?...?=" <a@b>), written
# by many mailers against RFC 2047, and the missing space after it that the
# closing quote makes. The second parser must still read the same address.
_HARMLESS_DEFECTS = {
    "encoded word inside quoted string",
    "missing trailing whitespace after encoded-word",
}


class BoundedHeaders(HeaderRegistry):
    """policy.default's header registry, parsing at most MAX_PARSED_CHARS of a value.

    With ``remember``, it also keeps what it parsed: the feed parser and Message
    parse Content-Type again on every access, about five times a part, and
    remembering makes a parse two to three times faster. Use a remembering
    registry for one message only.
    """

    def __init__(self, *, remember: bool = False) -> None:
        super().__init__()
        self._parsed: dict[tuple[str, str], BaseHeader] | None = {} if remember else None
        self._classes: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        # The registry builds a new class on every lookup; one per name will do.
        if self._parsed is None:
            return super().__getitem__(name)
        if name not in self._classes:
            self._classes[name] = super().__getitem__(name)
        return self._classes[name]

    def __call__(self, name: str, value: Any) -> BaseHeader:
        text = str(value)[:MAX_PARSED_CHARS]
        if self._parsed is None:
            return super().__call__(name, text)
        key = (name, text)
        if key not in self._parsed:
            self._parsed[key] = super().__call__(name, text)
        return self._parsed[key]


def message_policy() -> policy.EmailPolicy[EmailMessage]:
    """policy.default with a bounded, remembering registry: one per message parsed."""
    return policy.default.clone(header_factory=BoundedHeaders(remember=True))


# Only ever asked for "from" and "to": stateless apart from the email package's classes.
_ADDRESS_PARSER = BoundedHeaders()


def text(raw: str, *, hint: str | None = None) -> tuple[str, list[str]]:
    """A header as display text: unfolded, 8-bit bytes and RFC 2047 words decoded."""
    value = _LINE_BREAKS.sub(" ", _FOLD.sub("", raw)).strip()
    value, problem = recover_header(value, hint=hint)
    problems = [problem] if problem else []
    value, word_problems = decode_words(value, hint=hint)
    problems += word_problems
    value, changed = clean_text(value)
    if changed:
        problems.append("header: control characters removed")
    return value, problems


def subject(raw: str, *, hint: str | None = None) -> tuple[str, list[str]]:
    value, problems = text(raw, hint=hint)
    return _WHITESPACE.sub(" ", value).strip(), problems


def sender(raw_values: list[str], *, hint: str | None = None) -> tuple[str, str, list[str]]:
    """(address, display name, problems) of the one From header, strictly parsed.

    Anything but exactly one unambiguous mailbox yields no address: a sender
    we might misread must not be matched to a requester (SPEC S28).
    """
    if not raw_values:
        return "", "", ["no From header; sender unknown"]
    if len(raw_values) > 1:
        return "", "", [f"{len(raw_values)} From headers; sender unknown"]
    value = _unfolded(raw_values[0], hint)
    if len(value) > MAX_PARSED_CHARS:
        return "", "", ["From header too long; sender unknown"]
    try:
        header = _ADDRESS_PARSER("from", value)
        mailboxes = list(header.addresses)  # type: ignore[attr-defined]
        invalid = any(
            isinstance(defect, InvalidHeaderDefect) and str(defect) not in _HARMLESS_DEFECTS
            for defect in header.defects
        )
    except Exception:
        return "", "", ["From header cannot be parsed; sender unknown"]
    if len(mailboxes) != 1 or invalid:
        return "", "", ["From header is not one unambiguous address; sender unknown"]
    mailbox = mailboxes[0]
    if not mailbox.username or not mailbox.domain:
        return "", "", ["From header has no complete address; sender unknown"]
    # A second, older parser must read the same single address: mail that two
    # parsers read differently is the material of sender spoofing.
    try:
        others = [address for _name, address in getaddresses([value]) if address]
    except Exception:
        # It recurses into nested comments: "((((" a thousand deep exhausts the stack.
        others = []
    if len(others) != 1 or others[0].lower() != mailbox.addr_spec.lower():
        return "", "", ["From header reads differently to different parsers; sender unknown"]
    name, _changed = clean_text(_WHITESPACE.sub(" ", mailbox.display_name).strip())
    return mailbox.addr_spec.lower(), name, []


def addresses(raw_values: list[str], *, hint: str | None = None) -> list[str]:
    """Every address in address headers (To, Cc, Delivered-To...), lower-cased, once each."""
    found: dict[str, None] = {}
    for raw in raw_values:
        for spec in _address_specs(_unfolded(raw, hint)):
            address, _changed = clean_text(spec.lower())
            found.setdefault(address, None)
    return list(found)


def _address_specs(value: str) -> list[str]:
    try:
        mailboxes = list(_ADDRESS_PARSER("to", value).addresses)  # type: ignore[attr-defined]
    except Exception:
        # The registry raises on some malformed lists that the older parser reads.
        try:
            return [address for _name, address in getaddresses([value]) if "@" in address]
        except Exception:
            return []
    return [mailbox.addr_spec for mailbox in mailboxes if mailbox.username and mailbox.domain]


def received_for(raw_values: list[str]) -> list[str]:
    """The recipient of each Received header's "for" clause, newest first, once each."""
    found: dict[str, None] = {}
    for raw in raw_values[:_MAX_RECEIVED]:
        value = _LINE_BREAKS.sub(" ", raw)[:MAX_PARSED_CHARS]
        for address in _RECEIVED_FOR.findall(value):
            cleaned, _changed = clean_text(address.lower())
            found.setdefault(cleaned, None)
    return list(found)


def message_ids(raw: str) -> list[str]:
    """Message-IDs in a header, without angle brackets, in order, once each.

    Some mailers write ids without brackets, or add comments around them.
    """
    value = _LINE_BREAKS.sub(" ", raw)
    ids = _BRACKETED_ID.findall(value) or [
        token
        for token in _ID_SEPARATORS.split(value)
        if "@" in token and len(token) <= _MAX_ID_CHARS
    ]
    unique: dict[str, None] = {}
    for message_id in ids:
        cleaned, _changed = clean_text(message_id)
        if cleaned:
            unique.setdefault(cleaned, None)
    return list(unique)


def date(raw: str) -> datetime | None:
    value = _LINE_BREAKS.sub(" ", raw).strip()[:_MAX_DATE_CHARS]
    try:
        parsed = parsedate_to_datetime(value)
    except Exception:
        return None
    if parsed is None:
        return None
    # RFC 5322 3.3: "-0000" means UTC with the local zone unknown.
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _unfolded(raw: str, hint: str | None) -> str:
    value = _LINE_BREAKS.sub(" ", _FOLD.sub("", raw)).strip()
    recovered, _problem = recover_header(value, hint=hint)
    return recovered
