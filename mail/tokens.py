"""Our signed Message-IDs and loop mark.

An outgoing Message-ID carries the ticket number and an HMAC of it keyed with
SECRET_KEY, so a reply's In-Reply-To/References leads back to the ticket and
nobody can forge one that points at a ticket they do not know (S28). Keys in
SECRET_KEY_FALLBACKS still verify, so rotating the key keeps old threads.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from mail import conf

_SALT = "frontdesk.mail.message-id"
_LOOP_SALT = "frontdesk.mail.loop"
#: The header every mail we send carries; inbound copies of it mean a loop.
LOOP_HEADER = "X-Frontdesk-Loop"
#: Headers of this prefix are ours: inbound values are never trusted, and stripped.
INTERNAL_HEADER_PREFIX = "x-frontdesk-"

_TOKEN = re.compile(r"fd\.(\d{1,18})\.([0-9a-f]{16})\.([0-9a-f]{32})@[^\s<>]+", re.IGNORECASE)


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
    match = _TOKEN.fullmatch(message_id.strip().strip("<>"))
    if match is None:
        return None
    return _verified(match)


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
    return found


def loop_mark() -> str:
    """This installation's value of the loop header; another help desk's is not ours."""
    return salted_hmac(_LOOP_SALT, "loop", algorithm="sha256").hexdigest()[:24]


def is_our_loop_mark(value: str) -> bool:
    return any(
        constant_time_compare(
            salted_hmac(_LOOP_SALT, "loop", secret=secret, algorithm="sha256").hexdigest()[:24],
            value.strip(),
        )
        for secret in _secrets()
    )
