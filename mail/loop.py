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

from django.db.models import QuerySet
from django.utils import timezone

from accounts.actors import MAIL_GATEWAY
from mail import conf, tokens
from mail.models import AUTOMATIC_KINDS, InboundMessage, Outcome, OutgoingMail
from mail.parse import MAX_HEADERS, ParsedMessage
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
        if reason not in self.reasons:
            self.reasons.append(reason)
        self.suppress_auto_response = True


def classify(parsed: ParsedMessage, *, ignore_loop: bool = False) -> Classification:
    """What kind of automatic mail this is, with the headers that say so.

    Every occurrence of a header counts: a sender (or a relay) that adds a
    second Auto-Submitted or Precedence still marks the mail automatic, and
    automatic mail must never get an automatic answer (RFC 3834). With
    ``ignore_loop`` (an admin re-processing a message kept as a loop) our loop
    mark and Message-ID are not looked at.
    """
    result = Classification()
    if not ignore_loop:
        _our_mail_coming_back(parsed, result)

    for value in parsed.header("Auto-Submitted"):
        auto_submitted = value.split(";")[0].strip().lower()
        if auto_submitted and auto_submitted != "no":
            kind = Kind.AUTO_REPLY if auto_submitted == "auto-replied" else Kind.AUTOMATIC
            result._add(kind, f"Auto-Submitted: {auto_submitted}")

    for value in parsed.header("Precedence"):
        precedence = value.strip().lower()
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
    if len(parsed.headers) >= MAX_HEADERS:
        # The headers past the limit were not read: one of them may mark the mail automatic.
        result.reasons.append(f"{MAX_HEADERS} headers or more")
        result.suppress_auto_response = True

    if any(value.replace(" ", "") == "<>" for value in parsed.header("Return-Path")):
        result._add(Kind.BOUNCE, "null sender")
    local_part = parsed.from_address.partition("@")[0]
    if local_part in _BOUNCE_SENDERS:
        result._add(Kind.BOUNCE, f"sent by {local_part}")
    if any(
        value.strip().lower().startswith("multipart/report")
        for value in parsed.header("Content-Type")
    ):
        result._add(Kind.BOUNCE, "multipart/report")
    return result


def _our_mail_coming_back(parsed: ParsedMessage, result: Classification) -> None:
    # The mark is an HMAC of the Message-ID it was sent with: valid only on that
    # very mail, so a mark copied into a reply (which has an id of its own) is no loop.
    for value in parsed.header(tokens.LOOP_HEADER):
        if tokens.is_our_loop_mark(value, parsed.message_id):
            result._add(Kind.LOOP, f"{tokens.LOOP_HEADER} is ours for this Message-ID")
            break
    if parsed.message_id and tokens.ticket_from_message_id(parsed.message_id) is not None:
        result._add(Kind.LOOP, "the Message-ID is one of ours")


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


def kept_as_loops(since: timedelta | None = None) -> QuerySet[InboundMessage]:
    """Messages kept as our own mail coming back, newest first, for an admin to review:
    a copied mark or Message-ID would otherwise make a person's mail vanish unseen.
    The index inbound_received serves ``since``."""
    kept = InboundMessage.objects.filter(outcome=Outcome.LOOP)
    if since is not None:
        kept = kept.filter(received_at__gte=timezone.now() - since)
    return kept.order_by("-received_at", "-id")


def may_send_automatic(ticket: Ticket | None, recipient: str, *, before: int | None = None) -> bool:
    """Below the per-recipient cap; a refusal is written to the ticket's history.

    Called inside the transaction that would write the outbox row, so the count
    includes mail queued a moment ago and not sent yet; for a row written earlier
    and composed now (``before``, its id), the rows written before it.
    """
    since = timezone.now() - timedelta(seconds=conf.auto_mail_window())
    counted = OutgoingMail.objects.filter(
        recipient=recipient.lower(), kind__in=AUTOMATIC_KINDS, created_at__gte=since
    )
    if before is not None:
        counted = counted.filter(pk__lt=before)
    sent = counted.count()
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
