"""Our signed Message-IDs, staff reply tokens and loop marks.

An outgoing Message-ID carries the ticket number and an HMAC of it keyed with
SECRET_KEY, so a reply's In-Reply-To/References leads back to the ticket and
nobody can forge one that points at a ticket they do not know (S28). Keys in
SECRET_KEY_FALLBACKS still verify, so rotating the key keeps old threads.

A From header proves nothing, so staff mail acts as staff only with a staff
reply token: ``fds-<ticket>-<user id>-<HMAC of both>``, which only mail sent
to that person about that ticket carries (in its Reply-To plus address
``support+<token>@...`` and in its Message-ID). The loop mark is an HMAC of
the Message-ID of the mail it is on: it cannot be moved to another message.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from mail import conf

_SALT = "frontdesk.mail.message-id"
_LOOP_SALT = "frontdesk.mail.loop"
_STAFF_SALT = "frontdesk.mail.staff-reply"
#: The header every mail we send carries; inbound copies of it mean a loop.
LOOP_HEADER = "X-Frontdesk-Loop"
#: Headers of this prefix are ours: inbound values are never trusted, and stripped.
INTERNAL_HEADER_PREFIX = "x-frontdesk-"

_TOKEN = re.compile(r"fd\.(\d{1,18})\.([0-9a-f]{16})\.([0-9a-f]{32})@[^\s<>]+", re.IGNORECASE)
# Letters, digits and hyphens only: it must survive as the tag of a plus address. Short
# (96 bits of HMAC, checked online only): a Message-ID that does not fit on one folded
# line is RFC 2047-encoded by some mail software, and no longer read as an id.
_STAFF_TOKEN = re.compile(r"fds-(\d{1,18})-(\d{1,18})-([0-9a-f]{24})", re.IGNORECASE)
_STAFF_MESSAGE_ID = re.compile(
    r"fds-(\d{1,18})-(\d{1,18})-([0-9a-f]{24})\.[0-9a-f]{12}@[^\s<>]+", re.IGNORECASE
)


def _signature(value: str, secret: str) -> str:
    return salted_hmac(_SALT, value, secret=secret, algorithm="sha256").hexdigest()[:32]


def make_message_id(ticket_number: int) -> str:
    """A fresh Message-ID (without angle brackets) that names the ticket."""
    nonce = secrets.token_hex(8)
    value = f"{ticket_number}.{nonce}"
    return f"fd.{value}.{_signature(value, settings.SECRET_KEY)}@{conf.message_id_domain()}"


def _secrets() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def ticket_from_message_id(message_id: str) -> int | None:
    """The ticket number of one of our Message-IDs; None when unsigned or forged."""
    message_id = message_id.strip().strip("<>")
    match = _TOKEN.fullmatch(message_id)
    if match is not None:
        return _verified(match)
    staff = _STAFF_MESSAGE_ID.fullmatch(message_id)
    if staff is not None:
        token = _verified_staff(staff)
        return token.ticket_number if token is not None else None
    return None


def _verified(match: re.Match[str]) -> int | None:
    number, nonce, signature = match.group(1), match.group(2).lower(), match.group(3).lower()
    value = f"{number}.{nonce}"
    for secret in _secrets():
        if constant_time_compare(_signature(value, secret), signature):
            return int(number)
    return None


def ticket_from_ids(message_ids: Iterable[str]) -> int | None:
    """The ticket named by the first validly signed id among ``message_ids``."""
    for message_id in message_ids:
        number = ticket_from_message_id(message_id)
        if number is not None:
            return number
    return None


def tickets_in_text(text: str) -> list[int]:
    """Ticket numbers of our signed ids anywhere in a text, e.g. a bounce's quoted headers."""
    found: list[int] = []
    for match in _TOKEN.finditer(text):
        number = _verified(match)
        if number is not None and number not in found:
            found.append(number)
    for token in staff_tokens_in([text]):
        if token.ticket_number not in found:
            found.append(token.ticket_number)
    return found


@dataclass(frozen=True)
class StaffToken:
    """A staff reply token that verified: mail about this ticket sent to this person."""

    ticket_number: int
    user_id: int


def _staff_signature(ticket_number: str, user_id: str, secret: str) -> str:
    value = f"{ticket_number}.{user_id}"
    return salted_hmac(_STAFF_SALT, value, secret=secret, algorithm="sha256").hexdigest()[:24]


def make_staff_reply_token(ticket_number: int, user_id: int) -> str:
    """``fds-<ticket>-<user id>-<signature>``: lets that person's mail act as staff on it."""
    signature = _staff_signature(str(ticket_number), str(user_id), settings.SECRET_KEY)
    return f"fds-{ticket_number}-{user_id}-{signature}"


def staff_reply_address(address: str, ticket_number: int, user_id: int) -> str:
    """``address`` with the staff reply token as its plus tag (RFC 5233 subaddress)."""
    local, _, domain = address.rpartition("@")
    return f"{local}+{make_staff_reply_token(ticket_number, user_id)}@{domain}"


def make_staff_message_id(ticket_number: int, user_id: int) -> str:
    """A fresh Message-ID for mail to one staff member: a reply's In-Reply-To carries the
    token even when the MTA does not deliver plus addresses."""
    token = make_staff_reply_token(ticket_number, user_id)
    return f"{token}.{secrets.token_hex(6)}@{conf.message_id_domain()}"


def is_staff_token_id(message_id: str) -> bool:
    """Looks like a staff Message-ID, signed or not: such ids never go to anybody else."""
    return _STAFF_TOKEN.search(message_id) is not None


def _verified_staff(match: re.Match[str]) -> StaffToken | None:
    number, user_id, signature = match.group(1), match.group(2), match.group(3).lower()
    for secret in _secrets():
        if constant_time_compare(_staff_signature(number, user_id, secret), signature):
            return StaffToken(int(number), int(user_id))
    return None


def staff_tokens_in(values: Iterable[str]) -> list[StaffToken]:
    """Every validly signed staff reply token in ``values`` (addresses, Message-IDs, text)."""
    found: list[StaffToken] = []
    for value in values:
        for match in _STAFF_TOKEN.finditer(value):
            token = _verified_staff(match)
            if token is not None and token not in found:
                found.append(token)
    return found


def _loop_signature(message_id: str, secret: str) -> str:
    value = message_id.strip().strip("<>")
    return salted_hmac(_LOOP_SALT, value, secret=secret, algorithm="sha256").hexdigest()[:32]


def loop_mark(message_id: str) -> str:
    """The loop header's value for the mail with this Message-ID, and for no other mail."""
    return _loop_signature(message_id, settings.SECRET_KEY)


def is_our_loop_mark(value: str, message_id: str) -> bool:
    """True when ``value`` is our mark for ``message_id``: our mail came back unchanged.

    A mark copied into another mail (a reply has its own Message-ID) does not verify.
    """
    if not message_id.strip():
        return False
    return any(
        constant_time_compare(_loop_signature(message_id, secret), value.strip())
        for secret in _secrets()
    )
