"""The only code that changes tickets.

Every function is keyword-only, runs in one transaction on a locked ticket row,
checks that the actor may do it, records an Event for each change and bumps the
ticket's version. ``actor=None`` is the system (mail gateway, lifecycle jobs,
the API's service account acting for itself). A caller that showed the ticket
to a person passes the version it showed as ``expected_version``; if somebody
changed the ticket meanwhile, Conflict names what changed.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accounts.models import Account, Contact, StaffProfile, User
from tickets import history, signals
from tickets.models import (
    ACTIVE_STATUSES,
    DONE_STATUSES,
    ESCALATING_STATUSES,
    Attachment,
    Event,
    HelpdeskSettings,
    Message,
    MessageKind,
    MessageSource,
    Queue,
    Status,
    Ticket,
    TicketType,
)
from tickets.visibility import visible_tickets

log = logging.getLogger(__name__)


class Conflict(Exception):
    """The ticket changed since the person saw it; ``changes`` says how."""

    def __init__(self, ticket: Ticket, since_version: int) -> None:
        self.ticket = ticket
        self.changes = list(ticket.events.filter(version__gt=since_version).select_related("actor"))
        described = "; ".join(history.describe(event) for event in self.changes)
        super().__init__(
            f"Ticket #{ticket.number} was changed while you were working on it"
            + (f": {described}." if described else ".")
        )


class AlreadyAssigned(Exception):
    """Somebody else picked the ticket up first."""

    def __init__(self, ticket: Ticket, assignee: User) -> None:
        self.ticket = ticket
        self.assignee = assignee
        super().__init__(f"Ticket #{ticket.number} is already assigned to {assignee}.")


def _lock(ticket: Ticket | int, actor: User | None, expected_version: int | None) -> Ticket:
    """Fetch the row FOR UPDATE through the actor's visibility, then check the version."""
    number = ticket.number if isinstance(ticket, Ticket) else ticket
    tickets = Ticket.objects.all() if actor is None else visible_tickets(actor)
    try:
        locked = tickets.select_for_update(of=("self",)).select_related("queue").get(number=number)
    except Ticket.DoesNotExist:
        if Ticket.objects.filter(number=number).exists():
            raise PermissionDenied(f"You may not see ticket #{number}.") from None
        raise
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(locked, expected_version)
    return locked


def _staff(actor: User | None) -> StaffProfile | None:
    """The actor's staff profile; None for the system; refuses customers."""
    if actor is None:
        return None
    if not actor.is_active or actor.staff is None:
        raise PermissionDenied("Only support staff may do this.")
    return actor.staff


def _supervisor(actor: User | None) -> None:
    staff = _staff(actor)
    if staff is not None and not staff.is_supervising:
        raise PermissionDenied("Only supervisors may pick up, assign or delete tickets.")


def _record(
    ticket: Ticket,
    actor: User | None,
    changes: Sequence[tuple[str, Any, Any]],
    fields: Iterable[str] = (),
) -> Ticket:
    """Save the changed fields and one Event per change under a new version."""
    if not changes:
        return ticket
    now = timezone.now()
    ticket.version += 1
    ticket.modified_at = now
    ticket.save(update_fields=[*set(fields), "version", "modified_at"])
    Event.objects.bulk_create(
        Event(
            ticket=ticket,
            actor=actor,
            code=code,
            old=_text(old),
            new=_text(new),
            version=ticket.version,
            created_at=now,
        )
        for code, old, new in changes
    )
    for code, old, new in changes:
        if code == "status":
            signals.status_changed.send(sender=Ticket, ticket=ticket, old=old, new=new)
    return ticket


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return str(value)


def _set_status(ticket: Ticket, status: str, changes: list, fields: list) -> None:
    if ticket.status == status:
        return
    changes.append(("status", ticket.status, status))
    if status in DONE_STATUSES and ticket.status not in DONE_STATUSES:
        ticket.closed_at = timezone.now()
        fields.append("closed_at")
    elif status not in DONE_STATUSES and ticket.closed_at is not None:
        ticket.closed_at = None
        fields.append("closed_at")
    if ticket.status == Status.ON_HOLD and ticket.waiting_since is not None:
        # Escalation paused on hold; it counts again from now, not from before.
        ticket.escalated_at = timezone.now()
        fields.append("escalated_at")
    ticket.status = status
    fields.append("status")


def _set_assignee(ticket: Ticket, assignee: User | None, changes: list, fields: list) -> None:
    if ticket.assignee_id == (assignee.pk if assignee else None):
        return
    changes.append(("assignee", ticket.assignee or "", assignee or ""))
    ticket.assignee = assignee
    fields.append("assignee")
    # "Open" means somebody works on it; without an assignee it is new again.
    if assignee is not None and ticket.status in (Status.NEW, Status.REOPENED):
        _set_status(ticket, Status.OPEN, changes, fields)
    elif assignee is None and ticket.status == Status.OPEN:
        _set_status(ticket, Status.NEW, changes, fields)


def _set_field(
    ticket: Ticket, field: str, value: Any, changes: list, fields: list, *, code: str = ""
) -> None:
    """Set one plain field and note the change, if it is one."""
    old = getattr(ticket, field)
    if value == old:
        return
    changes.append((code or field, old, value))
    setattr(ticket, field, value)
    fields.append(field)


def _check_priority(priority: int) -> None:
    if not 1 <= priority <= 99:
        raise ValidationError({"priority": "Priority must be a number from 1 to 99."})


def _check_email(field: str, address: str) -> str:
    address = address.strip()
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError({field: f"{address!r} is not a valid e-mail address."}) from None
    # Stored lower-case: mail clients vary the case of one person's address, and
    # an exact match can use the requester index where a case-blind one cannot.
    return address.lower()


def _check_text(text: str) -> str:
    if not text.strip():
        raise ValidationError({"text": "The message is empty."})
    return text


def _check_cc(cc: Iterable[str]) -> list[str]:
    return [_check_email("cc", address) for address in cc if address.strip()]


def _add_message(
    ticket: Ticket,
    *,
    kind: str,
    text: str,
    author: User | None,
    author_email: str = "",
    source: str,
    html: str = "",
    message_id: str = "",
    attachments: Iterable[File] = (),
) -> Message:
    message = Message.objects.create(
        ticket=ticket,
        kind=kind,
        text=text,
        html=html,
        author=author,
        author_email=author_email or (author.email if author else ""),
        source=source,
        message_id=message_id,
        cc=list(ticket.cc),
    )
    limit = HelpdeskSettings.load().max_attachment_size
    for upload in attachments:
        size = upload.size or 0
        if size > limit:
            raise ValidationError(
                {"attachments": f"{upload.name} is {size} bytes; the limit is {limit} bytes."}
            )
        name = (upload.name or "attachment").rsplit("/", 1)[-1]
        content_type = (
            getattr(upload, "content_type", None)
            or mimetypes.guess_type(name)[0]
            or "application/octet-stream"
        )
        Attachment.objects.create(
            message=message,
            file=upload,
            filename=name,
            content_type=content_type,
            size=size,
            # Inline mail images keep their Content-ID so the HTML's cid: links find them.
            content_id=(getattr(upload, "content_id", "") or "")[:255],
        )
    return message


def _announce(message: Message) -> Message:
    signals.message_added.send(sender=Message, ticket=message.ticket, message=message)
    return message


def _queue_or_default(queue: Queue | None) -> Queue:
    if queue is not None:
        return queue
    default = Queue.objects.filter(is_default=True).first() or Queue.objects.first()
    if default is None:
        raise ValidationError({"queue": "There is no queue to put the ticket in."})
    return default


@transaction.atomic
def open_ticket(
    *,
    actor: User | None,
    title: str,
    requester_email: str,
    text: str,
    type: str,
    queue: Queue | None = None,
    account: Account | None = None,
    priority: int | None = None,
    cc: Iterable[str] = (),
    html: str = "",
    message_id: str = "",
    attachments: Iterable[File] = (),
    send_confirmation: bool = True,
) -> Ticket:
    """Open a ticket with its first message, written by (or for) the requester."""
    if type not in TicketType.values:
        raise ValidationError({"type": f"{type!r} is not a ticket type."})
    source = {
        TicketType.EMAIL: MessageSource.EMAIL,
        TicketType.API: MessageSource.API,
        TicketType.SYSTEM: MessageSource.SYSTEM,
    }.get(TicketType(type), MessageSource.WEB)
    if actor is not None and actor.staff is None:
        contact = actor.contact
        if contact is None or not actor.is_active:
            raise PermissionDenied("Only customers of an account may open tickets.")
        # A customer always writes for themselves and their own account.
        account, requester_email, type = contact.account, actor.email, TicketType.PORTAL
    elif actor is not None:
        _staff(actor)
    title = title.strip()
    if not title:
        raise ValidationError({"title": "A ticket needs a title."})
    if len(title) > Ticket._meta.get_field("title").max_length:  # type: ignore[operator]
        raise ValidationError({"title": "The title is longer than 255 characters."})
    requester_email = _check_email("requester_email", requester_email)
    if priority is None:
        priority = HelpdeskSettings.load().priority_normal
    _check_priority(priority)
    if account is None:
        contact = Contact.objects.filter(email__iexact=requester_email).first()
        account = contact.account if contact else None
    now = timezone.now()
    ticket = Ticket.objects.create(
        title=title,
        queue=_queue_or_default(queue),
        requester_email=requester_email,
        account=account,
        status=Status.NEW,
        type=type,
        priority=priority,
        cc=_check_cc(cc),
        created_at=now,
        modified_at=now,
        waiting_since=now,
    )
    message = _add_message(
        ticket,
        kind=MessageKind.CUSTOMER,
        text=_check_text(text),
        html=html,
        author=actor,
        author_email=requester_email,
        source=source,
        message_id=message_id,
        attachments=attachments,
    )
    Event.objects.create(
        ticket=ticket, actor=actor, code="created", new=ticket.queue.name, version=1
    )
    signals.ticket_opened.send(
        sender=Ticket, ticket=ticket, message=message, send_confirmation=send_confirmation
    )
    return ticket


@transaction.atomic
def customer_reply(
    *,
    actor: User | None,
    ticket: Ticket | int,
    text: str,
    author_email: str = "",
    html: str = "",
    message_id: str = "",
    attachments: Iterable[File] = (),
) -> Message:
    """A follow-up from the customer side: unanswered again, reopened if done (S8, S11)."""
    if actor is not None and actor.staff is not None:
        raise PermissionDenied("Staff answer or add notes; they do not write as the customer.")
    ticket = _lock(ticket, actor, None)
    changes: list = [("customer_message", "", "")]
    fields: list = []
    if ticket.is_answered or ticket.waiting_since is None:
        ticket.is_answered = False
        ticket.waiting_since = timezone.now()
        ticket.escalated_at = None
        fields += ["is_answered", "waiting_since", "escalated_at"]
    if ticket.status in DONE_STATUSES:
        _set_status(ticket, Status.REOPENED, changes, fields)
    if not ticket.is_sticky:
        # Without sticky the reply goes back to the unassigned list (S8).
        _set_assignee(ticket, None, changes, fields)
    message = _add_message(
        ticket,
        kind=MessageKind.CUSTOMER,
        text=_check_text(text),
        html=html,
        author=actor,
        author_email=author_email or (actor.email if actor else ticket.requester_email),
        source=MessageSource.WEB if actor is not None else MessageSource.EMAIL,
        message_id=message_id,
        attachments=attachments,
    )
    _record(ticket, actor, changes, fields)
    return _announce(message)


@transaction.atomic
def answer(
    *,
    actor: User | None,
    ticket: Ticket | int,
    text: str,
    expected_version: int | None = None,
    cc: Iterable[str] | None = None,
    attachments: Iterable[File] = (),
    assign_to: User | None = None,
) -> Message:
    """A staff answer to the customer: the ticket becomes answered (S7, S10).

    ``assign_to`` hands the ticket to that staff member with the answer (the
    answer form's "Assign To", supervisors only); the answer mail then names
    the new assignee.
    """
    _staff(actor)
    ticket = _lock(ticket, actor, expected_version)
    changes: list = [("answer", "", "")]
    fields: list = ["is_answered", "answered_at", "waiting_since", "escalated_at"]
    if assign_to is not None and assign_to.pk != ticket.assignee_id:
        _supervisor(actor)
        _check_assignee(assign_to)
        _set_assignee(ticket, assign_to, changes, fields)
    if cc is not None:
        new_cc = _check_cc(cc)
        if new_cc != ticket.cc:
            changes.append(("cc", ticket.cc, new_cc))
            ticket.cc = new_cc
            fields.append("cc")
    message = _add_message(
        ticket,
        kind=MessageKind.ANSWER,
        text=_check_text(text),
        author=actor,
        source=MessageSource.WEB,
        attachments=attachments,
    )
    ticket.is_answered = True
    ticket.answered_at = message.created_at
    ticket.waiting_since = None
    ticket.escalated_at = None
    closes_on_answer = HelpdeskSettings.load().auto_close_days == 0
    if closes_on_answer and ticket.status not in (Status.CLOSED, Status.ON_HOLD):
        # S10: 0 closes a ticket as soon as it is answered (the default). On hold
        # means staff wait for something on purpose, as in the auto-close job.
        _set_status(ticket, Status.CLOSED, changes, fields)
    _record(ticket, actor, changes, fields)
    return _announce(message)


@transaction.atomic
def add_note(
    *,
    actor: User | None,
    ticket: Ticket | int,
    text: str,
    expected_version: int | None = None,
    attachments: Iterable[File] = (),
) -> Message:
    """An internal note: never sent, never shown to the customer, not an answer."""
    _staff(actor)
    ticket = _lock(ticket, actor, expected_version)
    message = _add_message(
        ticket,
        kind=MessageKind.NOTE,
        text=_check_text(text),
        author=actor,
        source=MessageSource.WEB,
        attachments=attachments,
    )
    _record(ticket, actor, [("note", "", "")])
    return _announce(message)


@transaction.atomic
def pick_up(*, actor: User, ticket: Ticket | int) -> Ticket:
    """First come, first served: the second supervisor is told who has it."""
    _supervisor(actor)
    locked = _lock(ticket, actor, None)
    if locked.assignee_id == actor.pk:
        return locked
    if locked.assignee is not None:
        raise AlreadyAssigned(locked, locked.assignee)
    changes: list = []
    fields: list = []
    _set_assignee(locked, actor, changes, fields)
    return _record(locked, actor, changes, fields)


def _check_assignee(assignee: User) -> None:
    if not assignee.is_active or assignee.staff is None:
        raise ValidationError({"assignee": f"{assignee} is not active support staff."})


@transaction.atomic
def assign(
    *,
    actor: User | None,
    ticket: Ticket | int,
    assignee: User | None,
    expected_version: int | None = None,
) -> Ticket:
    _supervisor(actor)
    locked = _lock(ticket, actor, expected_version)
    if assignee is not None:
        _check_assignee(assignee)
    changes: list = []
    fields: list = []
    _set_assignee(locked, assignee, changes, fields)
    return _record(locked, actor, changes, fields)


@transaction.atomic
def release(
    *, actor: User | None, ticket: Ticket | int, expected_version: int | None = None
) -> Ticket:
    """Back to the unassigned list: supervisors, or the assignee giving it back."""
    staff = _staff(actor)
    locked = _lock(ticket, actor, expected_version)
    if staff is not None and not staff.is_supervising and locked.assignee_id != staff.user_id:
        raise PermissionDenied("Only supervisors may release somebody else's ticket.")
    changes: list = []
    fields: list = []
    _set_assignee(locked, None, changes, fields)
    return _record(locked, actor, changes, fields)


@transaction.atomic
def change(
    *,
    actor: User | None,
    ticket: Ticket | int,
    expected_version: int | None = None,
    status: str | None = None,
    priority: int | None = None,
    is_sticky: bool | None = None,
) -> Ticket:
    """Change status, priority or sticky; None leaves a property as it is."""
    _staff(actor)
    locked = _lock(ticket, actor, expected_version)
    changes: list = []
    fields: list = []
    if status is not None:
        if status not in Status.values:
            raise ValidationError({"status": f"{status!r} is not a status."})
        _set_status(locked, status, changes, fields)
    if priority is not None:
        _check_priority(priority)
        _set_field(locked, "priority", priority, changes, fields)
    if is_sticky is not None:
        _set_field(locked, "is_sticky", is_sticky, changes, fields, code="sticky")
    return _record(locked, actor, changes, fields)


@transaction.atomic
def change_details(
    *,
    actor: User | None,
    ticket: Ticket | int,
    expected_version: int | None = None,
    title: str | None = None,
    requester_email: str | None = None,
) -> Ticket:
    """The "Additional" form: title and requester e-mail (S20)."""
    _staff(actor)
    locked = _lock(ticket, actor, expected_version)
    changes: list = []
    fields: list = []
    if title is not None:
        title = title.strip()
        if not title or len(title) > 255:
            raise ValidationError({"title": "A title has 1 to 255 characters."})
        _set_field(locked, "title", title, changes, fields)
    if requester_email is not None:
        address = _check_email("requester_email", requester_email)
        _set_field(locked, "requester_email", address, changes, fields)
    return _record(locked, actor, changes, fields)


@transaction.atomic
def change_account(
    *,
    actor: User | None,
    ticket: Ticket | int,
    account: Account | None,
    expected_version: int | None = None,
) -> Ticket:
    _staff(actor)
    locked = _lock(ticket, actor, expected_version)
    if locked.account_id == (account.pk if account else None):
        return locked
    changes = [("account", locked.account or "", account or "")]
    locked.account = account
    return _record(locked, actor, changes, ["account"])


@transaction.atomic
def move_to_queue(
    *,
    actor: User | None,
    ticket: Ticket | int,
    queue: Queue,
    expected_version: int | None = None,
) -> Ticket:
    _supervisor(actor)
    locked = _lock(ticket, actor, expected_version)
    if locked.queue_id == queue.pk:
        return locked
    changes = [("queue", locked.queue.name, queue.name)]
    locked.queue = queue
    return _record(locked, actor, changes, ["queue"])


def _customer_or_staff(actor: User | None) -> None:
    if actor is not None and actor.staff is None and actor.contact is None:
        raise PermissionDenied("Only staff and the customer may do this.")


@transaction.atomic
def close(
    *, actor: User | None, ticket: Ticket | int, expected_version: int | None = None
) -> Ticket:
    """Close a ticket; staff and the customer's own people may (S33)."""
    _customer_or_staff(actor)
    locked = _lock(ticket, actor, expected_version)
    changes: list = []
    fields: list = []
    _set_status(locked, Status.CLOSED, changes, fields)
    return _record(locked, actor, changes, fields)


@transaction.atomic
def reopen(
    *, actor: User | None, ticket: Ticket | int, expected_version: int | None = None
) -> Ticket:
    _customer_or_staff(actor)
    locked = _lock(ticket, actor, expected_version)
    if locked.status in ACTIVE_STATUSES:
        return locked
    changes: list = []
    fields: list = []
    _set_status(locked, Status.REOPENED, changes, fields)
    return _record(locked, actor, changes, fields)


@transaction.atomic
def delete_permanently(
    *, actor: User, ticket: Ticket | int, expected_version: int | None = None
) -> None:
    """Remove a ticket, its thread, history and files for good (S23)."""
    _supervisor(actor)
    locked = _lock(ticket, actor, expected_version)
    files = [
        attachment.file.name for attachment in Attachment.objects.filter(message__ticket=locked)
    ]
    number = locked.number
    locked.delete()
    log.info("ticket #%s deleted permanently by %s", number, actor)

    def remove_files() -> None:
        storage = Attachment._meta.get_field("file").storage
        for name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)


@transaction.atomic
def escalate(*, ticket: Ticket | int, expected_version: int, now: datetime) -> Ticket | None:
    """Raise an unanswered ticket's priority by its queue's steps due by ``now`` (S9).

    Run by the escalation job; the expected version makes a second consumer that
    read the same row skip it instead of escalating twice.
    """
    try:
        locked = _lock(ticket, None, expected_version)
    except (Conflict, Ticket.DoesNotExist):
        return None
    queue = locked.queue
    start = locked.escalated_at or locked.waiting_since
    if (
        locked.is_answered
        or locked.status not in ESCALATING_STATUSES
        or not queue.escalation_step
        or queue.escalation_interval is None
        or start is None
        or locked.priority >= 99
    ):
        return None
    steps = int((now - start) / queue.escalation_interval)
    if steps < 1:
        return None
    new_priority = min(99, locked.priority + steps * queue.escalation_step)
    changes = [("escalation", locked.priority, new_priority)]
    locked.priority = new_priority
    locked.escalated_at = start + steps * queue.escalation_interval
    return _record(locked, None, changes, ["priority", "escalated_at"])


@transaction.atomic
def add_system_note(
    *,
    ticket: Ticket | int,
    code: str,
    text: str,
    author: User | None = None,
    author_email: str = "",
    html: str = "",
    message_id: str = "",
    attachments: Iterable[File] = (),
) -> Message:
    """Mail kept on a ticket for staff only: a bounce, an out-of-office reply, staff
    writing by e-mail. It changes neither status nor answered state, so automatic
    mail never reopens a ticket (RFC 3834)."""
    locked = _lock(ticket, None, None)
    message = _add_message(
        locked,
        kind=MessageKind.NOTE,
        text=_check_text(text),
        html=html,
        author=author,
        author_email=author_email,
        source=MessageSource.EMAIL,
        message_id=message_id,
        attachments=attachments,
    )
    _record(locked, author, [(code, "", author_email)])
    return _announce(message)


def record_system_event(*, ticket: Ticket | int, code: str, old: str = "", new: str = "") -> Event:
    """A history line that changes no ticket field (an automatic mail held back, a
    mail sent on to a new ticket); the version stays, so no open form conflicts."""
    number = ticket.number if isinstance(ticket, Ticket) else ticket
    version = Ticket.objects.filter(number=number).values_list("version", flat=True).get()
    return Event.objects.create(
        ticket_id=number, actor=None, code=code, old=old, new=new, version=version
    )


__all__ = [
    "AlreadyAssigned",
    "Conflict",
    "add_note",
    "add_system_note",
    "answer",
    "assign",
    "change",
    "change_account",
    "change_details",
    "close",
    "customer_reply",
    "delete_permanently",
    "escalate",
    "move_to_queue",
    "open_ticket",
    "pick_up",
    "record_system_event",
    "release",
    "reopen",
]
