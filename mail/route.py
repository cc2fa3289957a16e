"""Where an inbound message goes: which queue, which ticket, and why (S27, S28)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q

from accounts.models import User
from mail import tokens
from mail.models import Match, OutgoingMail
from mail.parse import ParsedMessage
from tickets.models import Message, Queue, QueueAddress, Ticket

_SUBJECT_TAG = re.compile(r"\[#(\d{1,18})\]")
# References can list hundreds of ids; the newest few are the ones that thread.
_MAX_IDS = 50


@dataclass(frozen=True)
class Located:
    ticket: Ticket
    match: str
    detail: str


def thread_ids(parsed: ParsedMessage) -> list[str]:
    """In-Reply-To first, then References newest first, without repeats."""
    ids: list[str] = []
    for message_id in [*parsed.in_reply_to, *reversed(parsed.references)]:
        message_id = message_id.strip().strip("<>")
        if message_id and message_id not in ids:
            ids.append(message_id)
    return ids[:_MAX_IDS]


def locate(parsed: ParsedMessage) -> Located | None:
    """The ticket a message answers: signed token, stored Message-ID, then subject tag."""
    ids = thread_ids(parsed)
    number = tokens.ticket_from_ids(ids)
    if number is not None:
        ticket = Ticket.objects.filter(number=number).first()
        if ticket is not None:
            return Located(ticket, Match.TOKEN, f"signed Message-ID of #{number}")
    if ids:
        located = _by_stored_id(ids)
        if located is not None:
            return located
    tag = _SUBJECT_TAG.search(parsed.subject)
    if tag is not None:
        ticket = Ticket.objects.filter(number=int(tag.group(1))).first()
        if ticket is not None:
            return Located(ticket, Match.SUBJECT_TAG, f"subject tag [#{ticket.number}]")
    return None


def _by_stored_id(ids: list[str]) -> Located | None:
    found: dict[str, int] = dict(
        Message.objects.filter(message_id__in=ids).values_list("message_id", "ticket_id")
    )
    # Our own sent mail too: it still threads after SECRET_KEY changed without a fallback.
    for message_id, ticket_id in OutgoingMail.objects.filter(
        message_id__in=ids, ticket__isnull=False
    ).values_list("message_id", "ticket_id"):
        found.setdefault(message_id, ticket_id)
    for message_id in ids:
        if message_id in found:
            ticket = Ticket.objects.filter(number=found[message_id]).first()
            if ticket is not None:
                return Located(ticket, Match.MESSAGE_ID, f"stored Message-ID <{message_id}>")
    return None


def locate_in_text(text: str) -> Located | None:
    """A ticket named by one of our signed ids quoted anywhere, e.g. inside a bounce."""
    for number in tokens.tickets_in_text(text):
        ticket = Ticket.objects.filter(number=number).first()
        if ticket is not None:
            return Located(ticket, Match.TOKEN, f"signed Message-ID of #{number} in the body")
    return None


def staff_user(address: str) -> User | None:
    if not address:
        return None
    user = (
        User.objects.filter(email__iexact=address, is_active=True, staff_profile__isnull=False)
        .select_related("staff_profile")
        .first()
    )
    return user


def writer_role(ticket: Ticket, sender: str) -> str:
    """Why the sender may write to the ticket: requester, cc, staff; "" when not at all."""
    sender = sender.lower()
    if not sender:
        return ""
    if sender == ticket.requester_email.lower():
        return "requester"
    if sender in {address.lower() for address in ticket.cc}:
        return "cc"
    if staff_user(sender) is not None:
        return "staff"
    return ""


def queue_for(parsed: ParsedMessage, mailbox_queue: Queue | None = None) -> Queue | None:
    """The mailbox's queue, else the first recipient that is a queue address (None: default).

    Delivered-To and X-Original-To come first: they name the address the MTA
    delivered to, which is what an alias of the main address shows.
    """
    if mailbox_queue is not None:
        return mailbox_queue
    recipients = [address.lower() for address in [*parsed.delivered_to, *parsed.to, *parsed.cc]]
    if not recipients:
        return None
    # EmailField keeps the case an admin typed: compare without it.
    matches = Q()
    for recipient in set(recipients):
        matches |= Q(email__iexact=recipient)
    by_address = {
        address.email.lower(): address.queue
        for address in QueueAddress.objects.filter(matches).select_related("queue")
    }
    for recipient in recipients:
        if recipient in by_address:
            return by_address[recipient]
    return None
