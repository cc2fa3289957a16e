"""Merge and split (S43): two tickets of one customer become one; a message starts a new one.

A merge moves the whole thread (messages with their attachments) of one ticket
to the survivor, adds its CCs to the survivor's and closes it with a pointer,
``merged_into``; its history stays on it, and each side records the other, so
nothing is lost and the survivor's history leads to the merged ticket's. Mail
and portal links to the merged ticket follow the pointer (``queries.survivor_of``).

One customer: the same requester address, or the same account. Tickets of one
account may have different requesters: the merged ticket's requester then
becomes a CC of the survivor, so they still receive the answers and their
replies are still accepted.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.actors import Actor
from tickets import signals, stored_files
from tickets.actions.core import (
    TITLE_LENGTH,
    Change,
    Edit,
    check_cc,
    editing,
    lock,
    number_of,
    require_staff,
    write_events,
)
from tickets.models import (
    DONE_STATUSES,
    EventCode,
    Message,
    MessageKind,
    Status,
    Ticket,
)


def merge(
    *,
    actor: Actor,
    ticket: Ticket | int,
    into: Ticket | int,
    expected_version: int | None = None,
    expected_into_version: int | None = None,
) -> Ticket:
    """Merge ``ticket`` into ``into`` (the survivor, returned); staff who may change both.

    Refused: a ticket into itself, a ticket merged already, into a merged
    ticket, tickets of different customers.
    """
    require_staff(actor)
    number, into_number = number_of(ticket), number_of(into)
    if number == into_number:
        raise ValidationError({"into": "A ticket cannot be merged into itself."})
    with stored_files.atomic():
        # Both rows locked in number order: two merges of one pair never deadlock.
        versions = {number: expected_version, into_number: expected_into_version}
        locked = {n: lock(n, actor, versions[n]) for n in sorted(versions)}
        merged, survivor = locked[number], locked[into_number]
        check_mergeable(merged, survivor)
        source, target = Edit(merged, actor), Edit(survivor, actor)
        # Thread order is by time (Message.Meta.ordering): the moved messages fall into place.
        Message.objects.filter(ticket=merged).update(ticket=survivor)
        target.record(EventCode.MERGED_FROM, new=merged)
        cc = [*survivor.cc, *merged.cc]
        if merged.requester_email != survivor.requester_email:
            cc.append(merged.requester_email)
        target.set("cc", check_cc(address for address in cc if address != survivor.requester_email))
        _take_over_waiting(target, merged)
        if merged.is_active and survivor.status in DONE_STATUSES:
            # The merged ticket's open question goes on in the survivor.
            target.set_status(Status.REOPENED)
        source.record(EventCode.MERGED_INTO, new=survivor)
        # Its waiting question goes on in the survivor: no clock runs on it here.
        source.set_quietly(merged_into=survivor, waiting_since=None, escalated_at=None)
        # The customer hears nothing of the close: their conversation goes on in the survivor.
        source.tell_customer = False
        source.set_status(Status.CLOSED)
        source.save(signals.merged)
        target.save(signals.merged)
    return target.ticket


def check_mergeable(merged: Ticket, survivor: Ticket) -> None:
    if merged.merged_into_id is not None:
        raise ValidationError(
            {"into": f"Ticket #{merged.number} was merged into #{merged.merged_into_id} already."}
        )
    if survivor.merged_into_id is not None:
        raise ValidationError(
            {
                "into": f"Ticket #{survivor.number} was merged into #{survivor.merged_into_id}; "
                "merge into that ticket instead."
            }
        )
    same_requester = merged.requester_email == survivor.requester_email
    same_account = merged.account_id is not None and merged.account_id == survivor.account_id
    if not (same_requester or same_account):
        raise ValidationError(
            {
                "into": f"Tickets #{merged.number} and #{survivor.number} are of different "
                "customers (neither the requester nor the account is the same)."
            }
        )


def _take_over_waiting(target: Edit, merged: Ticket) -> None:
    """A question the merged ticket had not had answered leaves the survivor unanswered."""
    survivor = target.ticket
    waiting = merged.waiting_since
    if merged.is_answered or waiting is None:
        return
    if survivor.is_answered:
        if survivor.answered_at is None or waiting > survivor.answered_at:
            target.set_quietly(is_answered=False, waiting_since=waiting, escalated_at=None)
    elif survivor.waiting_since is None or waiting < survivor.waiting_since:
        target.set_quietly(waiting_since=waiting)


def split_title(ticket: Ticket) -> str:
    prefix = f"Split from #{ticket.number}: "
    return prefix + ticket.title[: TITLE_LENGTH - len(prefix)]


def split_off(
    *,
    actor: Actor,
    ticket: Ticket | int,
    message: Message | int,
    expected_version: int | None = None,
) -> Ticket:
    """Move one customer message (with its attachments) into a new ticket, returned.

    The new ticket has the requester, account, queue, priority and CCs of the
    old one and waits for an answer; the customer is not mailed about it.
    """
    require_staff(actor)
    message_pk = message.pk if isinstance(message, Message) else message
    with editing(
        ticket, actor=actor, expected_version=expected_version, signal=signals.split
    ) as edit:
        old = edit.ticket
        if old.merged_into_id is not None:
            raise ValidationError(
                {"message": f"Ticket #{old.number} was merged into #{old.merged_into_id}."}
            )
        moving = old.messages.filter(pk=message_pk).first()
        if moving is None:
            raise ValidationError({"message": f"No such message on ticket #{old.number}."})
        if moving.kind != MessageKind.CUSTOMER:
            raise ValidationError({"message": "Only a customer message can start a new ticket."})
        if not old.messages.exclude(pk=moving.pk).exists():
            raise ValidationError(
                {"message": f"It is the only message of ticket #{old.number}: nothing to split."}
            )
        now = timezone.now()
        new = Ticket.objects.create(
            title=split_title(old),
            queue=old.queue,
            requester_email=old.requester_email,
            account=old.account,
            status=Status.NEW,
            type=old.type,
            priority=old.priority,
            cc=list(old.cc),
            created_at=now,
            modified_at=now,
            waiting_since=now,
        )
        Message.objects.filter(pk=moving.pk).update(ticket=new)
        write_events(
            new,
            actor,
            [Change(EventCode.CREATED, new=new.queue), Change(EventCode.SPLIT_FROM, new=old)],
            signals.opened,
            version=new.version,
        )
        edit.record(EventCode.SPLIT_OFF, new=new)
    return Ticket.objects.select_related("queue").get(pk=new.pk)
