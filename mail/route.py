"""Where an inbound message goes: which queue, which ticket, and why (S27, S28)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from accounts.models import User
from mail import authresults, tokens
from mail.models import Match, OutgoingMail
from mail.parse import ParsedMessage
from tickets.models import Message, Queue, QueueAddress, Ticket
from tickets.queries import survivor_of
from tickets.visibility import can_see

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


def recipient_addresses(parsed: ParsedMessage) -> list[str]:
    return [*parsed.original_to, *parsed.delivered_to, *parsed.to, *parsed.cc]


def locate(parsed: ParsedMessage) -> Located | None:
    """The ticket a message answers: signed token, stored Message-ID, then subject tag;
    a reply to a merged ticket goes on to the one it was merged into (S43)."""
    located = _located(parsed)
    if located is None or located.ticket.merged_into_id is None:
        return located
    return _followed(located)


def _followed(located: Located) -> Located:
    survivor = survivor_of(located.ticket)
    detail = f"{located.detail}, merged into #{survivor.number}"
    return Located(survivor, located.match, detail)


def _located(parsed: ParsedMessage) -> Located | None:
    ids = thread_ids(parsed)
    number = tokens.ticket_from_ids(ids)
    if number is not None:
        ticket = Ticket.objects.filter(number=number).first()
        if ticket is not None:
            return Located(ticket, Match.TOKEN, f"signed Message-ID of #{number}")
    for token in tokens.staff_tokens_in(recipient_addresses(parsed)):
        ticket = Ticket.objects.filter(number=token.ticket_number).first()
        if ticket is not None:
            return Located(ticket, Match.TOKEN, f"signed staff reply address of #{ticket.number}")
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
            located = Located(ticket, Match.TOKEN, f"signed Message-ID of #{number} in the body")
            return located if ticket.merged_into_id is None else _followed(located)
    return None


def staff_user(address: str) -> User | None:
    if not address:
        return None
    user = (
        User.objects.filter(email__same=address, is_active=True, staff_profile__isnull=False)
        .select_related("staff_profile")
        .first()
    )
    return user


@dataclass(frozen=True)
class Writer:
    """Why the sender may write to a ticket, and as whom."""

    #: "requester", "cc", "staff"; "" when not at all (the mail opens a new ticket).
    role: str
    #: The staff member, when role is "staff".
    user: User | None = None
    #: For staff: what proved the mail theirs; for refused staff mail: why it was refused.
    reason: str = ""


def writer(ticket: Ticket, parsed: ParsedMessage) -> Writer:
    """The sender's right to write to the ticket: requester, staff with proof, a CC.

    From is only a claim. Staff mail acts as staff (an internal note under their
    name) only with proof that it comes from them: a reply token Frontdesk
    signed for that person and this ticket, or a DKIM/DMARC pass for the From
    domain by a server the admin trusts; and only on a ticket they may see.
    """
    sender = parsed.from_address.lower()
    if not sender:
        return Writer("")
    if sender == ticket.requester_email.lower():
        return Writer("requester")
    refusal = ""
    user = staff_user(sender)
    if user is not None:
        proof = staff_proof(ticket, user, parsed)
        if not proof:
            refusal = (
                f"{sender} is staff, but the mail has no reply token Frontdesk signed for "
                f"them and #{ticket.number}, nor a DKIM/DMARC pass by a trusted server"
            )
        elif not can_see(user, ticket):
            refusal = f"{sender} is staff ({proof}), but may not see #{ticket.number}"
        else:
            return Writer("staff", user, proof)
    if sender in {address.lower() for address in ticket.cc}:
        return Writer("cc", reason=refusal)
    return Writer("", reason=refusal)


def staff_proof(ticket: Ticket, user: User, parsed: ParsedMessage) -> str:
    """What shows that this staff member sent the mail about this ticket; "" for nothing."""
    wanted = tokens.StaffToken(ticket.number, user.pk)
    if wanted in tokens.staff_tokens_in([*thread_ids(parsed), *recipient_addresses(parsed)]):
        return "signed staff reply token"
    domain = parsed.from_address.rpartition("@")[2]
    return authresults.verified_domain(parsed.header("Authentication-Results"), domain)


def queue_for(parsed: ParsedMessage, mailbox_queue: Queue | None = None) -> Queue | None:
    """The mailbox's queue, else the queue of the address the customer wrote to.

    Queue addresses are often aliases of the main support address: the MTA then
    delivers to support@ (Delivered-To) what the customer sent to billing@. So
    the written address wins: the envelope's original recipient (X-Original-To,
    Envelope-to), then To and Cc, then Delivered-To, then the Received headers'
    "for" clauses (Sendmail keeps a Bcc recipient nowhere else). None: default.
    """
    if mailbox_queue is not None:
        return mailbox_queue
    recipients = [
        address.lower()
        for address in [
            *parsed.original_to,
            *parsed.to,
            *parsed.cc,
            *parsed.delivered_to,
            *parsed.received_for,
        ]
    ]
    if not recipients:
        return None
    # EmailField keeps the case an admin typed: compare without it. A help desk has
    # a few queue addresses and a mail may name a thousand recipients: read them all
    # (one condition per recipient is too deep an expression for SQLite).
    by_address = {
        address.email.lower(): address.queue
        for address in QueueAddress.objects.select_related("queue")
    }
    for recipient in recipients:
        if recipient in by_address:
            return by_address[recipient]
    return None
