"""Loop protection (RFC 3834): which mail is automatic, and how much we send back.

Automatic mail never gets an automatic answer; bounces and out-of-office
replies are attached to the ticket they answer without reopening it; our own
mail coming back is kept and goes no further; and no recipient gets more than
a few automatic mails an hour whatever happens (S29).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from accounts.actors import MAIL_GATEWAY
from mail import conf, tokens
from mail.models import AUTOMATIC_KINDS, OutgoingMail
from mail.parse import ParsedMessage
from tickets import actions
from tickets.models import Ticket


class Kind:
    PERSON = ""
    BOUNCE = "bounce"
    AUTO_REPLY = "auto_reply"
    LIST = "list"
    BULK = "bulk"
    AUTOMATIC = "automatic"
    LOOP = "loop"


#: Automatic mail that answers one of ours: attached to its ticket, never reopening it.
ANSWERING_KINDS = (Kind.BOUNCE, Kind.AUTO_REPLY)

_BOUNCE_SENDERS = ("mailer-daemon", "postmaster")
_AUTO_REPLY_HEADERS = ("x-autoreply", "x-autorespond", "x-auto-reply")


@dataclass
class Classification:
    kind: str = Kind.PERSON
    reasons: list[str] = field(default_factory=list)
    # The sender asked for no automatic answers (X-Auto-Response-Suppress) or is automatic.
    suppress_auto_response: bool = False

    @property
    def is_automatic(self) -> bool:
        return self.kind != Kind.PERSON

    @property
    def is_loop(self) -> bool:
        return self.kind == Kind.LOOP

    def _add(self, kind: str, reason: str) -> None:
        # The most specific kind wins: a loop over a bounce over a reply over a list.
        order = [
            Kind.LOOP,
            Kind.BOUNCE,
            Kind.AUTO_REPLY,
            Kind.LIST,
            Kind.BULK,
            Kind.AUTOMATIC,
            Kind.PERSON,
        ]
        if order.index(kind) < order.index(self.kind):
            self.kind = kind
        self.reasons.append(reason)
        self.suppress_auto_response = True


def _first(parsed: ParsedMessage, name: str) -> str:
    values = parsed.header(name)
    return values[0].strip() if values else ""


def classify(parsed: ParsedMessage) -> Classification:
    """What kind of automatic mail this is, with the headers that say so."""
    result = Classification()
    for value in parsed.header(tokens.LOOP_HEADER):
        if tokens.is_our_loop_mark(value):
            result._add(Kind.LOOP, f"{tokens.LOOP_HEADER} is ours")
    if parsed.message_id and tokens.ticket_from_message_id(parsed.message_id) is not None:
        result._add(Kind.LOOP, "the Message-ID is one of ours")

    auto_submitted = _first(parsed, "Auto-Submitted").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        kind = Kind.AUTO_REPLY if auto_submitted == "auto-replied" else Kind.AUTOMATIC
        result._add(kind, f"Auto-Submitted: {auto_submitted}")

    precedence = _first(parsed, "Precedence").lower()
    if precedence in ("bulk", "junk"):
        result._add(Kind.BULK, f"Precedence: {precedence}")
    elif precedence == "list":
        result._add(Kind.LIST, "Precedence: list")
    elif precedence == "auto_reply":
        result._add(Kind.AUTO_REPLY, "Precedence: auto_reply")

    list_headers = sorted({key for key, _ in parsed.headers if key.lower().startswith("list-")})
    if list_headers:
        result._add(Kind.LIST, ", ".join(list_headers))
    for name in _AUTO_REPLY_HEADERS:
        if parsed.header(name):
            result._add(Kind.AUTO_REPLY, name)
    if parsed.header("X-Auto-Response-Suppress"):
        result.reasons.append("X-Auto-Response-Suppress")
        result.suppress_auto_response = True

    return_path = _first(parsed, "Return-Path")
    if return_path.replace(" ", "") == "<>":
        result._add(Kind.BOUNCE, "null sender")
    local_part = parsed.from_address.partition("@")[0]
    if local_part in _BOUNCE_SENDERS:
        result._add(Kind.BOUNCE, f"sent by {local_part}")
    content_type = _first(parsed, "Content-Type").lower()
    if content_type.startswith("multipart/report"):
        result._add(Kind.BOUNCE, "multipart/report")
    return result


def strip_internal_headers(parsed: ParsedMessage) -> ParsedMessage:
    """The message without headers Frontdesk uses itself: a sender cannot set them for us."""
    headers = [
        (key, value)
        for key, value in parsed.headers
        if not key.lower().startswith(tokens.INTERNAL_HEADER_PREFIX)
    ]
    if len(headers) == len(parsed.headers):
        return parsed
    return dataclasses.replace(parsed, headers=headers)


def may_send_automatic(ticket: Ticket | None, recipient: str) -> bool:
    """Below the per-recipient cap; a refusal is written to the ticket's history.

    Called inside the transaction that would write the outbox row, so the count
    includes mail queued a moment ago and not sent yet.
    """
    since = timezone.now() - timedelta(seconds=conf.auto_mail_window())
    sent = OutgoingMail.objects.filter(
        recipient=recipient.lower(), kind__in=AUTOMATIC_KINDS, created_at__gte=since
    ).count()
    if sent < conf.auto_mail_limit():
        return True
    if ticket is not None:
        actions.record_system_event(
            actor=MAIL_GATEWAY,
            ticket=ticket,
            code="auto_mail_capped",
            new=f"{recipient}: {sent} automatic mails in {conf.auto_mail_window()} s",
        )
    return False
