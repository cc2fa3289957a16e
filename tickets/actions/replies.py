"""Messages on a ticket: the customer's follow-up, a staff answer, an internal note."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor
from accounts.models import User
from tickets import queries, signals
from tickets.actions.core import (
    check_assignee,
    check_cc,
    editing,
    require_staff,
    require_supervisor,
    source_of,
)
from tickets.files import IncomingFile
from tickets.models import (
    DONE_STATUSES,
    HelpdeskSettings,
    Message,
    MessageKind,
    MessageSource,
    Status,
    Ticket,
)


def customer_reply(
    *,
    actor: Actor,
    ticket: Ticket | int,
    text: str,
    author_email: str = "",
    html: str = "",
    message_id: str = "",
    attachments: Iterable[IncomingFile] = (),
) -> Message:
    """A follow-up from the customer side: unanswered again, reopened if done (S8, S11).

    A reply to a merged ticket lands in the ticket it was merged into (S43), from
    whichever surface it came: mail, the portal's form, the API."""
    if isinstance(actor, User) and actor.staff is not None:
        raise PermissionDenied("Staff answer or add notes; they do not write as the customer.")
    with editing(_survivor(ticket), actor=actor, signal=signals.customer_replied) as edit:
        locked = edit.ticket
        edit.record("customer_message")
        if locked.is_answered or locked.waiting_since is None:
            edit.set_quietly(is_answered=False, waiting_since=timezone.now(), escalated_at=None)
        if locked.status in DONE_STATUSES:
            edit.set_status(Status.REOPENED)
        if not locked.is_sticky:
            # Without sticky the reply goes back to the unassigned list (S8).
            edit.set_assignee(None)
        message = edit.add_message(
            kind=MessageKind.CUSTOMER,
            text=text,
            html=html,
            author_email=author_email
            or (actor.email if isinstance(actor, User) else locked.requester_email),
            source=source_of(actor),
            message_id=message_id,
            attachments=attachments,
        )
    return message


def answer(
    *,
    actor: Actor,
    ticket: Ticket | int,
    text: str,
    expected_version: int | None = None,
    cc: Iterable[str] | None = None,
    attachments: Iterable[IncomingFile] = (),
    assign_to: User | None = None,
) -> Message:
    """A staff answer to the customer: the ticket becomes answered (S7, S10).

    ``assign_to`` hands the ticket to that staff member with the answer (the
    answer form's "Assign To", supervisors only); the answer mail then names
    the new assignee.
    """
    require_staff(actor)
    with editing(
        ticket, actor=actor, expected_version=expected_version, signal=signals.answered
    ) as edit:
        locked = edit.ticket
        _refuse_merged(locked)
        edit.record("answer")
        if assign_to is not None and assign_to.pk != locked.assignee_id:
            require_supervisor(actor)
            check_assignee(assign_to)
            edit.set_assignee(assign_to)
        if cc is not None:
            edit.set("cc", check_cc(cc))
        message = edit.add_message(
            kind=MessageKind.ANSWER,
            text=text,
            source=MessageSource.WEB,
            attachments=attachments,
        )
        edit.set_quietly(
            is_answered=True, answered_at=message.created_at, waiting_since=None, escalated_at=None
        )
        closes_on_answer = HelpdeskSettings.load().auto_close_days == 0
        if closes_on_answer and locked.status not in (Status.CLOSED, Status.ON_HOLD):
            # S10: 0 closes a ticket as soon as it is answered (the default). On hold
            # means staff wait for something on purpose, as in the auto-close job.
            edit.set_status(Status.CLOSED)
    return message


def add_note(
    *,
    actor: Actor,
    ticket: Ticket | int,
    text: str,
    expected_version: int | None = None,
    attachments: Iterable[IncomingFile] = (),
) -> Message:
    """An internal note: never sent, never shown to the customer, not an answer."""
    require_staff(actor)
    with editing(
        ticket, actor=actor, expected_version=expected_version, signal=signals.note_added
    ) as edit:
        edit.record("note")
        message = edit.add_message(
            kind=MessageKind.NOTE, text=text, source=MessageSource.WEB, attachments=attachments
        )
    return message


def _survivor(ticket: Ticket | int) -> Ticket | int:
    """The ticket a reply to ``ticket`` belongs in: the one it was merged into, if any."""
    number = ticket.pk if isinstance(ticket, Ticket) else ticket
    merged = Ticket.objects.filter(pk=number, merged_into__isnull=False).first()
    return ticket if merged is None else queries.survivor_of(merged).pk


def _refuse_merged(ticket: Ticket) -> None:
    if ticket.merged_into_id is not None:
        raise ValidationError(
            _("This ticket was merged into #%(number)s: answer there.")
            % {"number": ticket.merged_into_id}
        )
