"""The skeleton every action shares: lock, check, collect the changes, record them.

An action is a few lines on top of ``editing``::

    def release(*, actor, ticket, expected_version=None):
        with editing(ticket, actor=actor, expected_version=expected_version,
                     signal=signals.released) as edit:
            edit.set_assignee(None)
        return edit.ticket

``editing`` opens the transaction, locks the ticket row through the actor's
visibility and checks the version; the body changes the ticket through the
``Edit``; leaving the block saves the changed fields under a new version,
writes one Event per change, calls the in-transaction hooks (the mail outbox)
and sends the domain signal on commit. No change, no version, no signal.

``edit_each`` is the same for many tickets in one transaction (a mass action's
batch): ``lock_each`` locks them by one query, the action's change runs on each
ticket's ``Edit``, and they are saved together (``close_each`` and the others).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone

from accounts.actors import Actor, System, SystemPart
from accounts.models import StaffProfile, User
from frontdesk.addresses import validate_address
from frontdesk.text import one_line, without_controls
from tickets import history, hooks, signals, stored_files
from tickets.files import IncomingFile
from tickets.models import (
    DONE_STATUSES,
    Attachment,
    Event,
    HelpdeskSettings,
    Message,
    MessageSource,
    Status,
    Ticket,
)
from tickets.visibility import visible_to_actor

TITLE_LENGTH = 255


class Conflict(Exception):
    """The ticket changed since the person saw it; ``changes`` says how."""

    def __init__(self, ticket: Ticket, since_version: int) -> None:
        self.ticket = ticket
        self.changes = list(ticket.events.filter(version__gt=since_version).select_related("actor"))
        descriptions = history.describe_all(self.changes)
        #: (event, its words) for each change since the person's version
        self.lines = list(zip(self.changes, descriptions, strict=True))
        described = "; ".join(descriptions)
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


def number_of(ticket: Ticket | int) -> int:
    return ticket.number if isinstance(ticket, Ticket) else ticket


def lock(ticket: Ticket | int, actor: Actor, expected_version: int | None) -> Ticket:
    """Fetch the row FOR UPDATE through the actor's visibility, then check the version.

    On SQLite the IMMEDIATE transaction mode has taken the write lock at BEGIN.
    """
    number = number_of(ticket)
    try:
        locked = (
            visible_to_actor(actor)
            .select_for_update(of=("self",))
            .select_related("queue")
            .get(number=number)
        )
    except Ticket.DoesNotExist:
        if Ticket.objects.filter(number=number).exists():
            raise PermissionDenied(f"You may not see ticket #{number}.") from None
        raise
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(locked, expected_version)
    return locked


def require_staff(actor: Actor) -> StaffProfile | None:
    """The actor's staff profile; None for the system; refuses customers."""
    if isinstance(actor, System):
        return None
    if not actor.is_active or actor.staff is None:
        raise PermissionDenied("Only support staff may do this.")
    return actor.staff


def require_supervisor(actor: Actor) -> None:
    staff = require_staff(actor)
    if staff is not None and not staff.is_supervising:
        raise PermissionDenied("Only supervisors may pick up, assign, move or delete tickets.")


def require_customer_or_staff(actor: Actor) -> None:
    """Staff, or a customer: of an account, or of none (who asked for the ticket).

    Which tickets are theirs is the lock's business (``visible_to_actor``).
    """
    if isinstance(actor, System):
        return
    if not actor.is_active:
        raise PermissionDenied("Only staff and the customer may do this.")


def source_of(actor: Actor) -> str:
    """How a customer-side message arrived: the portal for a person, else the system's way."""
    if isinstance(actor, User):
        return MessageSource.PORTAL
    if actor.part == SystemPart.INTEGRATION:
        return MessageSource.API
    return MessageSource.EMAIL


def check_priority(priority: int) -> None:
    if not 1 <= priority <= 99:
        raise ValidationError({"priority": "Priority must be a number from 1 to 99."})


def check_email(field: str, address: str) -> str:
    address = address.strip()
    try:
        validate_address(address)  # internationalised addresses (RFC 6532) too
    except ValidationError:
        valid = False
    else:
        # validate_email lets a quoted local part hold control characters.
        valid = without_controls(address) == address
    if not valid:
        raise ValidationError({field: f"{address!r} is not a valid e-mail address."})
    # Stored lower-case: mail clients vary the case of one person's address, and
    # an exact match can use the requester index where a case-blind one cannot.
    return address.lower()


def check_text(text: str) -> str:
    """The text without control characters (the last line for every surface)."""
    text = without_controls(text)
    if not text.strip():
        raise ValidationError({"text": "The message is empty."})
    return text


def check_title(title: str) -> str:
    title = one_line(title).strip()
    if not title:
        raise ValidationError({"title": "A ticket needs a title."})
    if len(title) > TITLE_LENGTH:
        raise ValidationError({"title": f"The title is longer than {TITLE_LENGTH} characters."})
    return title


def check_cc(cc: Iterable[str]) -> list[str]:
    """Valid, distinct addresses, at most ``MAIL_MAX_CC``: every CC receives each answer."""
    addresses = list(dict.fromkeys(check_email("cc", address) for address in cc if address.strip()))
    # The same limit the mail gateway keeps to (read at call time, like mail/conf.py).
    limit: int = settings.MAIL_MAX_CC
    if len(addresses) > limit:
        raise ValidationError(
            {"cc": f"At most {limit} CC addresses receive answers; {len(addresses)} were given."}
        )
    return addresses


def check_assignee(assignee: User) -> None:
    if not assignee.is_active or assignee.staff is None:
        raise ValidationError({"assignee": f"{assignee} is not active support staff."})


@dataclass(frozen=True)
class Change:
    """One line of history before it is written."""

    code: str
    old: object = ""
    new: object = ""


def event_for(ticket: Ticket, actor: Actor, change: Change, *, version: int) -> Event:
    old, old_ref = _stored(change.old)
    new, new_ref = _stored(change.new)
    return Event(
        ticket=ticket,
        actor=None if isinstance(actor, System) else actor,
        system=actor.code if isinstance(actor, System) else "",
        code=change.code,
        old=old,
        new=new,
        old_ref=old_ref,
        new_ref=new_ref,
        version=version,
    )


def _stored(value: object) -> tuple[str, int | None]:
    """The words of the time and, for a row (person, queue, account), its id."""
    if value is None or value == "":
        return "", None
    if isinstance(value, models.Model):
        return str(value), value.pk
    if isinstance(value, bool):
        return ("yes" if value else "no"), None
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value), None
    return str(value), None


def add_message(
    ticket: Ticket,
    *,
    kind: str,
    text: str,
    author: Actor,
    author_email: str = "",
    source: str,
    html: str = "",
    message_id: str = "",
    attachments: Iterable[IncomingFile] = (),
) -> Message:
    person = author if isinstance(author, User) else None
    message = Message.objects.create(
        ticket=ticket,
        kind=kind,
        text=check_text(text),
        html=html,
        author=person,
        author_email=author_email or (person.email if person else ""),
        source=source,
        message_id=message_id,
        cc=list(ticket.cc),
    )
    limit = HelpdeskSettings.load().max_attachment_size
    for incoming in attachments:
        if incoming.size > limit:
            too_big = f"{incoming.name} is {incoming.size} bytes; the limit is {limit} bytes."
            raise ValidationError({"attachments": too_big})
        attachment = Attachment(
            message=message,
            filename=incoming.name,
            content_type=incoming.content_type,
            size=incoming.size,
            content_id=incoming.content_id,
        )
        # Written first and removed again if the transaction does not commit.
        stored_files.save(attachment.file, incoming.name, incoming.content)
        attachment.save()
    return message


class Edit:
    """The changes one action makes to one locked ticket, recorded on leaving ``editing``."""

    def __init__(self, ticket: Ticket, actor: Actor, *, now: datetime | None = None) -> None:
        self.ticket = ticket
        self.actor = actor
        # One time for every ticket of ``edit_each``: tickets changed alike are
        # saved by one UPDATE. None: the time of each change.
        self.now = now
        self.changes: list[Change] = []
        self.fields: set[str] = set()
        self.messages: list[Message] = []
        # False: the hooks send the customer no mail about a status change (a mass
        # close "without telling the customers").
        self.tell_customer = True
        # The closing notice waits this long before it goes: a close that may still
        # be undone (the panel) tells the customer only once it is no longer.
        self.notice_delay: timedelta | None = None
        # The close this change took back (``undo_close``), for the hooks.
        self.undone_closing: Event | None = None
        # False: a change the system makes on its own (an escalation) leaves
        # "Last modified" alone, which otherwise means a person or a mail touched it.
        self.touches_modified = True

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def record(self, code: str, old: object = "", new: object = "") -> None:
        """A history line of its own (an answer, a note), whatever the fields do."""
        self.changes.append(Change(code, old, new))

    def set(self, field: str, value: Any, *, code: str = "") -> None:
        """Set one field and record the change, if it is one."""
        model_field = Ticket._meta.get_field(field)
        if isinstance(model_field, models.ForeignKey):
            # Compare ids: no query for the related row unless it changes.
            if getattr(self.ticket, model_field.attname) == (value.pk if value else None):
                return
        elif getattr(self.ticket, field) == value:
            return
        old = getattr(self.ticket, field)
        self.record(code or field, old, value)
        setattr(self.ticket, field, value)
        self.fields.add(field)

    def set_quietly(self, **values: Any) -> None:
        """Fields that follow a recorded change and need no line of their own."""
        for field, value in values.items():
            setattr(self.ticket, field, value)
            self.fields.add(field)

    def set_status(self, status: str) -> None:
        ticket = self.ticket
        if ticket.status == status:
            return
        self.record("status", ticket.status, status)
        now = self.now or timezone.now()
        if status in DONE_STATUSES and ticket.status not in DONE_STATUSES:
            self.set_quietly(closed_at=now)
        elif status not in DONE_STATUSES and ticket.closed_at is not None:
            self.set_quietly(closed_at=None)
        if ticket.status == Status.ON_HOLD and ticket.waiting_since is not None:
            # Escalation paused on hold; it counts again from now, not from before.
            self.set_quietly(escalated_at=now)
        self.set_quietly(status=status)

    def set_assignee(self, assignee: User | None) -> None:
        ticket = self.ticket
        if ticket.assignee_id == (assignee.pk if assignee else None):
            return
        self.record("assignee", ticket.assignee, assignee)
        self.set_quietly(assignee=assignee)
        # "Open" means somebody works on it; without an assignee it is new again.
        if assignee is not None and ticket.status in (Status.NEW, Status.REOPENED):
            self.set_status(Status.OPEN)
        elif assignee is None and ticket.status == Status.OPEN:
            self.set_status(Status.NEW)

    def add_message(self, *, author: User | None = None, **fields: Any) -> Message:
        """A message on this ticket, announced to the hooks once the changes are saved.

        Its author is the actor, unless the system keeps a message somebody else wrote.
        """
        message = add_message(self.ticket, author=author or self.actor, **fields)
        self.messages.append(message)
        return message

    def save(self, signal: signals.DomainSignal) -> list[Event]:
        if not self.changes:
            return []
        self.ticket.save(update_fields=self.next_version())
        events = write_events(
            self.ticket, self.actor, self.changes, signal, version=self.ticket.version
        )
        self.call_hooks()
        return events

    def next_version(self) -> list[str]:
        """Give the ticket its new version (and time of change); the fields to save."""
        ticket = self.ticket
        ticket.version += 1
        saved = [*sorted(self.fields), "version"]
        if self.touches_modified:
            ticket.modified_at = self.now or timezone.now()
            saved.append("modified_at")
        return saved

    def call_hooks(self) -> None:
        """Tell the in-transaction hooks (the mail outbox) what was saved."""
        # Messages first: an answer that closes its ticket (auto-close 0) is mailed
        # before "your ticket was closed", and the outbox keeps that order.
        for message in self.messages:
            hooks.message_added.send(sender=Message, ticket=self.ticket, message=message)
        _status_hooks([self])

    def status_changes(self) -> list[hooks.StatusChange]:
        return [
            hooks.StatusChange(
                ticket=self.ticket,
                old=str(change.old),
                new=str(change.new),
                actor=self.actor,
                tell_customer=self.tell_customer,
                notice_delay=self.notice_delay,
            )
            for change in self.changes
            if change.code == "status"
        ]


def write_events(
    ticket: Ticket,
    actor: Actor,
    changes: Iterable[Change],
    signal: signals.DomainSignal,
    *,
    version: int,
) -> list[Event]:
    """The history lines of one change, and its domain signal once it commits."""
    now = timezone.now()
    events = [event_for(ticket, actor, change, version=version) for change in changes]
    for event in events:
        event.created_at = now
    Event.objects.bulk_create(events)
    announce(signal, ticket.number, actor, events)
    return events


def announce(
    signal: signals.DomainSignal, number: int, actor: Actor, events: Iterable[Event]
) -> None:
    events = list(events)
    signals.send_on_commit(
        signal,
        signals.TicketChange(
            kind=signal.kind,
            number=number,
            event_ids=tuple(event.pk for event in events),
            codes=frozenset(event.code for event in events),
            actor_id=None if isinstance(actor, System) else actor.pk,
            system=actor.code if isinstance(actor, System) else "",
        ),
    )


@contextmanager
def editing(
    ticket: Ticket | int,
    *,
    actor: Actor,
    signal: signals.DomainSignal,
    expected_version: int | None = None,
) -> Iterator[Edit]:
    """One transaction: lock, let the caller change, record. See the module's docstring."""
    with stored_files.atomic():
        edit = Edit(lock(ticket, actor, expected_version), actor)
        yield edit
        edit.save(signal)


# Many tickets at once ---------------------------------------------------------------

#: What refuses one ticket of many: the others go on.
REFUSALS: tuple[type[Exception], ...] = (
    PermissionDenied,
    ValidationError,
    Ticket.DoesNotExist,
    Conflict,
)


@dataclass
class EachOutcome:
    """What an action on many tickets (``edit_each``) did, ticket by ticket."""

    #: saved under a new version (deleted, for ``delete_each``), in number order
    changed: list[Ticket] = dataclasses.field(default_factory=list)
    #: there was nothing to change (closing a closed ticket)
    unchanged: list[Ticket] = dataclasses.field(default_factory=list)
    #: number -> why it was left alone: one of ``REFUSALS``; a ticket the actor may
    #: not see reads as one that is not there (``Ticket.DoesNotExist``)
    refused: dict[int, Exception] = dataclasses.field(default_factory=dict)


def edit_each(
    selection: Sequence[tuple[int, int | None]],
    *,
    actor: Actor,
    signal: signals.DomainSignal,
    change: Callable[[Edit], None],
) -> EachOutcome:
    """``editing`` for many tickets at once (a mass action's batch), in one transaction.

    ``selection`` gives each ticket's number and the version the person saw (or
    None). Every ticket is locked by one query through the actor's visibility;
    ``change`` is called with the ``Edit`` of each in turn and must only change
    fields (it may read, never write: no messages), so a refusal it raises (one
    of ``REFUSALS``) drops that ticket alone. Then they are saved together: one
    UPDATE for the tickets given the same values, one INSERT of all their
    events, and for each ticket the hooks and the domain signal ``editing``
    gives it. An error that is not a refusal rolls back every ticket.
    """
    outcome = EachOutcome()
    with stored_files.atomic():
        locked = lock_each(selection, actor, outcome.refused)
        now = timezone.now()
        edits: list[Edit] = []
        for ticket in locked:
            try:
                edit = Edit(ticket, actor, now=now)
                change(edit)
            except REFUSALS as error:
                outcome.refused[ticket.number] = error
                continue
            if edit.messages:
                raise TypeError("edit_each saves fields only; a message needs editing().")
            if edit.changed:
                edits.append(edit)
            else:
                outcome.unchanged.append(ticket)
        _save_each(edits, signal, now)
    outcome.changed = [edit.ticket for edit in edits]
    return outcome


def lock_each(
    selection: Sequence[tuple[int, int | None]], actor: Actor, refused: dict[int, Exception]
) -> list[Ticket]:
    """``lock`` for many tickets: the rows FOR UPDATE by one query through the actor's
    visibility, in number order. A ticket not seen or not there (the two read the
    same), or changed since the version given, goes into ``refused`` instead."""
    wanted = sorted(dict(selection).items())
    found = {
        ticket.number: ticket
        for ticket in visible_to_actor(actor)
        .select_for_update(of=("self",))
        .select_related("queue")
        .filter(number__in=[number for number, _version in wanted])
        .order_by("number")
    }
    locked = []
    for number, expected_version in wanted:
        ticket = found.get(number)
        if ticket is None:
            refused[number] = Ticket.DoesNotExist(f"There is no ticket #{number}.")
        elif expected_version is not None and ticket.version != expected_version:
            refused[number] = Conflict(ticket, expected_version)
        else:
            locked.append(ticket)
    return locked


def _save_each(edits: list[Edit], signal: signals.DomainSignal, now: datetime) -> None:
    """Save the edits of ``edit_each``: tickets given the same values by one UPDATE."""
    alike: dict[tuple[tuple[str, object], ...], list[Edit]] = {}
    for edit in edits:
        fields = [name for name in edit.next_version() if name != "version"]
        values = tuple((name, _comparable(getattr(edit.ticket, name))) for name in fields)
        alike.setdefault(values, []).append(edit)
    for values, group in alike.items():
        first = group[0].ticket
        Ticket.objects.filter(pk__in=[edit.ticket.pk for edit in group]).update(
            version=F("version") + 1, **{name: getattr(first, name) for name, _value in values}
        )
    events = [
        event_for(edit.ticket, edit.actor, change, version=edit.ticket.version)
        for edit in edits
        for change in edit.changes
    ]
    for event in events:
        event.created_at = now
    Event.objects.bulk_create(events)
    written = iter(events)
    for edit in edits:
        announce(signal, edit.ticket.number, edit.actor, [next(written) for _ in edit.changes])
    # The hooks hear the batch at once: the outbox writes its notices in one INSERT.
    _status_hooks(edits)


def _status_hooks(edits: list[Edit]) -> None:
    """Closes taken back, then the new statuses, of these edits, each hook once."""
    undone = [(edit.ticket, edit.undone_closing) for edit in edits if edit.undone_closing]
    if undone:
        hooks.closes_undone.send(sender=Ticket, undone=undone)
    changes = [change for edit in edits for change in edit.status_changes()]
    if changes:
        hooks.statuses_changed.send(sender=Ticket, changes=changes)


def _comparable(value: object) -> object:
    """A field's value as a key: a row by its id."""
    if isinstance(value, models.Model):
        return (type(value), value.pk)
    if isinstance(value, list | dict):
        return repr(value)
    return value
