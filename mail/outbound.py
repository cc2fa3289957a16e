"""Mail Frontdesk sends: answers, new-ticket confirmations, closed notices (S29, S30).

Each mail is three templates in mail/templates/mail/ (subject, text, HTML) and
one function here that writes it to the outbox. The functions run inside the
transaction of the action that caused them (receivers of tickets.hooks), so
the mail exists exactly when the change does; a huey task sends it after the
commit. Mail to customers offers the portal: a one-time link to the ticket when
it goes to the requester alone, issued in the same transaction (portal/links.py).
Each mail is written in the language and time zone of its first recipient's user
(accounts/preferences.py ``writing_to``), else in English and the help desk's
time zone, whoever's request or worker composes it; words of the context that a
template does not hold are lazy, so they follow too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import formataddr
from functools import partial

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy, pgettext

from accounts import preferences
from accounts.models import StaffProfile, User
from mail import after_commit, loop, route, tokens
from mail.addresses import is_valid, our_addresses, unique_valid
from mail.models import InboundMessage, Outcome, OutgoingKind, OutgoingMail
from portal import links
from reports import ratings
from tickets.models import (
    Attachment,
    HelpdeskSettings,
    Message,
    MessageKind,
    Queue,
    Status,
    Ticket,
)
from tickets.visibility import can_see

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]+")
_MESSAGE_ID = re.compile(r"[^\s<>()\[\]\\,;:\"@]+@[^\s<>()\[\]\\,;:\"@]+")
_PGP_BLOCK = re.compile(r"-----BEGIN PGP MESSAGE-----.*?(-----END PGP MESSAGE-----|\Z)", re.DOTALL)
_MAX_REFERENCES = 20

#: The closed notice's word for how the ticket ended, in the reader's language.
CLOSED_STATUS_LABELS = {
    Status.RESOLVED: gettext_lazy("Resolved"),
    Status.CLOSED: gettext_lazy("Closed"),
}


def clean_header(value: str) -> str:
    """One line: CR, LF and other controls become spaces, so no header can be injected."""
    return " ".join(_CONTROL.sub(" ", value).split())


def queue_address(queue: Queue) -> str:
    """The queue's own address, else the main support address."""
    address = queue.addresses.order_by("id").values_list("email", flat=True).first()
    return address or HelpdeskSettings.load().support_address


def from_address(queue: Queue) -> str:
    """The queue's address with the queue's name."""
    return formataddr((clean_header(queue.name), queue_address(queue)))


@dataclass(frozen=True)
class Recipients:
    to: list[str]
    cc: list[str]


def answer_recipients(requester_email: str, cc: Iterable[str]) -> Recipients:
    """Who an answer goes to: the requester and the CCs, never our own addresses.

    The panel shows it before the answer is sent; nothing goes out without a ``to``.
    """
    ours = our_addresses()
    to = unique_valid([requester_email], exclude=ours)
    return Recipients(to=to, cc=unique_valid(list(cc), exclude=ours | set(to)) if to else [])


def queue_answer(ticket: Ticket, message: Message) -> OutgoingMail | None:
    """A staff answer to the requester and the CCs, threaded, quoting the customer."""
    recipients = answer_recipients(ticket.requester_email, ticket.cc)
    if not recipients.to:
        return None
    previous = (
        ticket.messages.filter(kind=MessageKind.CUSTOMER, created_at__lte=message.created_at)
        .exclude(pk=message.pk)
        .order_by("-created_at", "-id")
        .first()
    )
    context = _answer_context(ticket, message, message.author, ticket.assignee, previous)
    in_reply_to = previous.message_id if previous is not None else ""
    staff = _staff_readers(ticket, recipients.cc)
    cc = [address for address in recipients.cc if address not in staff]
    row = _queue_mail(
        ticket,
        OutgoingKind.ANSWER,
        "answer",
        # The customers' mail alone offers the portal; staff copies below do not.
        {**context, **links.mail_context(ticket, to=recipients.to, cc=cc)},
        to=recipients.to,
        cc=cc,
        in_reply_to=in_reply_to,
        attachments=message.attachments.all(),
    )
    for address, user in staff.items():
        queue_staff_copy(
            ticket,
            user,
            address,
            "answer",
            context,
            in_reply_to=in_reply_to,
            attachments=message.attachments.all(),
        )
    return row


def _answer_context(
    ticket: Ticket,
    message: Message,
    author: User | None,
    assignee: User | None,
    previous: Message | None,
) -> dict[str, object]:
    """What the answer's templates show besides its text: the "Assigned to" line,
    the writer's signature and the customer's last message, quoted."""
    profile = author.staff if author is not None else None
    assigned = assignee.staff if assignee is not None else None
    return {
        "ticket": ticket,
        "message": message,
        "assigned_line": _assigned_line(assigned or profile),
        "signature": profile.signature.strip() if profile is not None else "",
        "quote": _quote(previous),
    }


#: Where the preview shows the one-time portal link each mail gets when it is sent.
PREVIEW_PORTAL_LINK = gettext_lazy("[a one-time link to this ticket, made when it is sent]")


def preview_answer(
    ticket: Ticket, *, text: str, author: User, cc: Iterable[str], assignee: User | None
) -> OutgoingMail | None:
    """The mail an answer would be, as the customer would receive it now: built by
    ``queue_answer``'s own context and templates, and nothing written (no outbox row,
    no portal link issued). None when it would go to nobody."""
    recipients = answer_recipients(ticket.requester_email, cc)
    if not recipients.to:
        return None
    previous = (
        ticket.messages.filter(kind=MessageKind.CUSTOMER).order_by("-created_at", "-id").first()
    )
    message = Message(ticket=ticket, kind=MessageKind.ANSWER, text=text, author=author)
    # As queue_answer: staff in CC get a copy of their own, not this mail.
    staff = _staff_readers(ticket, recipients.cc)
    cc = [address for address in recipients.cc if address not in staff]
    portal = (
        {"portal_link": PREVIEW_PORTAL_LINK}
        if len(recipients.to) == 1 and not cc
        else links.mail_context(ticket, to=recipients.to, cc=cc)
    )
    context = {**_answer_context(ticket, message, author, assignee, previous), **portal}
    return _compose(ticket, OutgoingKind.ANSWER, "answer", context, to=recipients.to, cc=cc)


def _staff_readers(ticket: Ticket, addresses: list[str]) -> dict[str, User]:
    """The CCs who are staff and may see the ticket; a staff CC who may not is a plain CC."""
    readers: dict[str, User] = {}
    for address in addresses:
        user = route.staff_user(address)
        if user is not None and can_see(user, ticket):
            readers[address] = user
    return readers


def queue_staff_copy(
    ticket: Ticket,
    user: User,
    address: str,
    template: str,
    context: Mapping[str, object],
    *,
    in_reply_to: str = "",
    attachments: Iterable[Attachment] = (),
    kind: OutgoingKind = OutgoingKind.ANSWER,
) -> OutgoingMail:
    """Mail about a ticket to one staff member alone, answerable as staff: a copy of
    an answer, or a notification (``kind``, marked as automatic mail).

    Its Reply-To (``support+<token>@...``) and Message-ID carry a staff reply
    token signed for this person and ticket (mail.tokens): their reply is taken
    as theirs, an internal note, while a From header naming them proves
    nothing. The token must never reach anybody else: this mail goes to them
    alone, and its Message-ID is kept out of the References of other mail.
    """
    reply_to = tokens.staff_reply_address(queue_address(ticket.queue), ticket.number, user.pk)
    return _queue_mail(
        ticket,
        kind,
        template,
        context,
        to=[address],
        in_reply_to=in_reply_to,
        attachments=attachments,
        reply_to=formataddr((clean_header(ticket.queue.name), reply_to)),
        message_id=tokens.make_staff_message_id(ticket.number, user.pk),
    )


def queue_new_ticket_confirmation(ticket: Ticket, message: Message) -> OutgoingMail | None:
    """The queue's confirmation of a new ticket; nothing when the queue has no text."""
    response = ticket.queue.new_ticket_response.strip()
    if not response:
        return None
    recipient = _automatic_recipient(ticket)
    if recipient is None:
        return None
    context = {
        "ticket": ticket,
        "response": response,
        **links.mail_context(ticket, to=[recipient], cc=[]),
    }
    return _queue_mail(
        ticket,
        OutgoingKind.NEW_TICKET,
        "new_ticket",
        context,
        to=[recipient],
        in_reply_to=message.message_id,
    )


def queue_closed_notices(
    tickets: Sequence[Ticket], *, delay: timedelta | None = None
) -> list[OutgoingMail]:
    """The queue's notice that a ticket was resolved or closed, for each of ``tickets``
    whose queue has one, written by one INSERT, to be composed by the worker that
    sends it (``compose_pending``); with ``delay`` each is due only then, so that
    undoing the close meanwhile can withdraw it (``outbox.withdraw_closed_notices``).

    Only what the closing knows is written in its transaction: the recipient, how
    the ticket ended and the notice's own Message-ID. Who reads it, the portal link,
    the loop guard's count and the thread's references cost a dozen queries; a mass
    close that tells 10,000 customers spent four fifths of its time on them, so the
    sending task does them, in its own transaction, just before sending.
    """
    due = timezone.now() + (delay or timedelta(0))
    rows = []
    for ticket in tickets:
        if not ticket.queue.closed_ticket_response.strip():
            continue
        recipient = ticket.requester_email.strip().lower()
        if not is_valid(recipient):
            continue
        rows.append(
            OutgoingMail(
                ticket=ticket,
                kind=OutgoingKind.CLOSED,
                from_address="",
                to=[recipient],
                subject="",
                text="",
                message_id=tokens.make_message_id(ticket.number),
                recipient=recipient,
                next_attempt_at=due,
                compose={
                    "notice": OutgoingKind.CLOSED,
                    "status": ticket.status,
                    "closed_at": ticket.closed_at.isoformat() if ticket.closed_at else "",
                },
            )
        )
    OutgoingMail.objects.bulk_create(rows)
    for row in rows:
        if delay:
            # The sweep sends it should the scheduled task be lost.
            transaction.on_commit(partial(_send_at, row.pk, row.next_attempt_at), robust=True)
        else:
            after_commit.send_after_commit(row.pk)
    return rows


def _send_at(outgoing_id: int, eta: datetime) -> None:
    from mail.tasks import send_outgoing_mail

    send_outgoing_mail.schedule(args=(outgoing_id,), eta=eta)


def compose_pending(row: OutgoingMail) -> OutgoingMail | None:
    """Write the text of a mail queued to be composed (``row.compose``); None, with the
    row gone, when it must not be sent after all. Runs in the sending worker, inside
    the caller's transaction."""
    if not row.compose:
        return row
    ticket = row.ticket
    queue = ticket.queue if ticket is not None else None
    response = queue.closed_ticket_response.strip() if queue is not None else ""
    recipient = row.recipient
    if (
        ticket is None
        or not response
        or recipient in our_addresses()
        or not _may_send_automatic(ticket, recipient, before=row.pk)
    ):
        # Through the queryset: the row keeps its id, which the sender still needs.
        OutgoingMail.objects.filter(pk=row.pk).delete()
        return None
    status = Status(row.compose.get("status", ticket.status))
    context = {
        "ticket": ticket,
        "response": response,
        "status": CLOSED_STATUS_LABELS.get(status) or status.label,
        **links.mail_context(ticket, to=[recipient], cc=[]),
        **ratings.mail_context(ticket, _moment(row.compose.get("closed_at"))),
    }
    first = ticket.messages.filter(kind=MessageKind.CUSTOMER).exclude(message_id="").first()
    composed = _compose(
        ticket,
        OutgoingKind.CLOSED,
        "ticket_closed",
        context,
        to=[recipient],
        in_reply_to=first.message_id if first is not None else "",
        message_id=row.message_id,
        before=row.pk,
    )
    row.from_address = composed.from_address
    row.subject = composed.subject
    row.text = composed.text
    row.html = composed.html
    row.headers = composed.headers
    row.compose = {}
    row.save(update_fields=["from_address", "subject", "text", "html", "headers", "compose"])
    return row


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _automatic_recipient(ticket: Ticket) -> str | None:
    """The requester, unless automatic mail must not go to them (RFC 3834, S29)."""
    recipient = ticket.requester_email.strip().lower()
    if not is_valid(recipient) or recipient in our_addresses():
        return None
    if not _may_send_automatic(ticket, recipient):
        return None
    return recipient


def _may_send_automatic(ticket: Ticket, recipient: str, *, before: int | None = None) -> bool:
    # A ticket opened by automatic mail (a list, a bounce, "no auto-replies please")
    # never gets automatic mail back, not even when it is closed later.
    if InboundMessage.objects.filter(
        ticket=ticket, outcome=Outcome.NEW_TICKET, suppress_auto_response=True
    ).exists():
        return False
    return loop.may_send_automatic(ticket, recipient, before=before)


def _assigned_line(profile: StaffProfile | None) -> object:
    if profile is None:
        return ""
    name = profile.display_name
    if profile.description:
        return format_lazy(
            gettext_lazy("Assigned to: {name} ({description})"),
            name=name,
            description=profile.description,
        )
    return format_lazy(gettext_lazy("Assigned to: {name}"), name=name)


def _without_encrypted(text: str) -> str:
    return _PGP_BLOCK.sub(gettext("[encrypted information, not quoted]"), text).strip()


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in _without_encrypted(text).splitlines())


def _sent_at(when: datetime) -> str:
    # Translators: when the quoted message was sent (Django's date format; T: time zone).
    return format_date(timezone.localtime(when), pgettext("quote header", "j M Y, H:i T"))


_lazy_text = lazy(_without_encrypted, str)
_lazy_quoted = lazy(_quoted, str)
_lazy_sent_at = lazy(_sent_at, str)


def _quote(previous: Message | None) -> dict[str, object] | None:
    """The customer's last message, quoted; encrypted blocks are never repeated (S35)."""
    if previous is None:
        return None
    header = format_lazy(
        gettext_lazy("On {date}, {author} wrote:"),
        date=_lazy_sent_at(previous.created_at),
        author=previous.author_email,
    )
    return {
        "header": header,
        "text": _lazy_text(previous.text),
        "quoted": _lazy_quoted(previous.text),
    }


def _references(ticket: Ticket, in_reply_to: str, *, before: int | None = None) -> list[str]:
    """Message-IDs of the thread so far, oldest first, the one we answer last
    (``before``: only the outbox rows written before that one)."""
    outgoing = OutgoingMail.objects.filter(ticket=ticket)
    if before is not None:
        outgoing = outgoing.filter(pk__lt=before)
    ids = [
        *ticket.messages.exclude(message_id="")
        .order_by("created_at", "id")
        .values_list("message_id", flat=True),
        *outgoing.order_by("created_at", "id").values_list("message_id", flat=True),
    ]
    kept = [
        item
        for item in ids
        if _MESSAGE_ID.fullmatch(item)
        and item != in_reply_to
        # A staff copy's id carries its staff reply token: nobody else may see it.
        and not tokens.is_staff_token_id(item)
    ]
    kept = list(dict.fromkeys(kept))[-(_MAX_REFERENCES - 1) :]
    if in_reply_to:
        kept.append(in_reply_to)
    return kept


def _compose(
    ticket: Ticket,
    kind: str,
    template: str,
    context: Mapping[str, object],
    *,
    to: list[str],
    cc: list[str] | None = None,
    in_reply_to: str = "",
    reply_to: str = "",
    message_id: str = "",
    before: int | None = None,
) -> OutgoingMail:
    """The outbox row of a mail, not saved: its words, in its reader's language, and
    its headers."""
    context = {**context, "ticket": ticket}
    with preferences.writing_to(preferences.person_for_address(to[0])):
        subject = clean_header(render_to_string(f"mail/{template}_subject.txt", context))
        text = render_to_string(f"mail/{template}.txt", context)
        html = render_to_string(f"mail/{template}.html", context)
    if not _MESSAGE_ID.fullmatch(in_reply_to):
        in_reply_to = ""
    message_id = message_id or tokens.make_message_id(ticket.number)
    # Signed over this mail's own Message-ID: copied into other mail it is no mark of ours.
    headers = {tokens.LOOP_HEADER: tokens.loop_mark(message_id)}
    if reply_to:
        headers["Reply-To"] = reply_to
    if in_reply_to:
        headers["In-Reply-To"] = f"<{in_reply_to}>"
    references = _references(ticket, in_reply_to, before=before)
    if references:
        headers["References"] = " ".join(f"<{item}>" for item in references)
    if kind != OutgoingKind.ANSWER:
        # RFC 3834 section 5: mark automatic mail (a notification answers no mail);
        # Exchange honours the second header.
        generated = kind == OutgoingKind.NOTIFICATION
        headers["Auto-Submitted"] = "auto-generated" if generated else "auto-replied"
        headers["X-Auto-Response-Suppress"] = "All"
    return OutgoingMail(
        ticket=ticket,
        kind=kind,
        from_address=from_address(ticket.queue),
        to=to,
        cc=cc or [],
        subject=subject[:998],
        headers=headers,
        text=text,
        html=html,
        message_id=message_id,
        recipient=to[0],
    )


def _queue_mail(
    ticket: Ticket,
    kind: str,
    template: str,
    context: Mapping[str, object],
    *,
    to: list[str],
    cc: list[str] | None = None,
    in_reply_to: str = "",
    attachments: Iterable[Attachment] = (),
    reply_to: str = "",
    message_id: str = "",
) -> OutgoingMail:
    row = _compose(
        ticket,
        kind,
        template,
        context,
        to=to,
        cc=cc,
        in_reply_to=in_reply_to,
        reply_to=reply_to,
        message_id=message_id,
    )
    row.save(force_insert=True)
    files = list(attachments)
    if files:
        row.attachments.set(files)
    after_commit.send_after_commit(row.pk)
    return row
