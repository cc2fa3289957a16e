"""Outgoing mail written in the transaction of the ticket action that causes it (S32).

These listen to tickets/hooks.py, not to the domain signals sent on commit: an
outbox row commits with its answer or not at all.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.dispatch import receiver

from accounts.models import User
from mail import outbound, outbox
from tickets import hooks
from tickets.models import DONE_STATUSES, Event, Message, MessageKind, Ticket


@receiver(hooks.ticket_opened, dispatch_uid="mail.confirm_new_ticket")
def confirm_new_ticket(
    sender: Any, *, ticket: Ticket, message: Message, send_confirmation: bool, **kwargs: Any
) -> None:
    if send_confirmation:
        outbound.queue_new_ticket_confirmation(ticket, message)


@receiver(hooks.message_added, dispatch_uid="mail.send_answer")
def send_answer(sender: Any, *, ticket: Ticket, message: Message, **kwargs: Any) -> None:
    # Notes and customer messages stay inside; only a staff answer goes out.
    if message.kind == MessageKind.ANSWER:
        outbound.queue_answer(ticket, message)


@receiver(hooks.statuses_changed, dispatch_uid="mail.notify_closed")
def notify_closed(sender: Any, *, changes: list[hooks.StatusChange], **kwargs: Any) -> None:
    """The closing notices of the tickets support resolved or closed, written at once."""
    by_delay: dict[timedelta | None, list[Ticket]] = {}
    for change in changes:
        # A customer who closed their own ticket needs no mail telling them so.
        actor = change.actor
        by_the_customer = isinstance(actor, User) and actor.staff is None
        if (
            change.tell_customer
            and change.new in DONE_STATUSES
            and change.old not in DONE_STATUSES
            and not by_the_customer
        ):
            by_delay.setdefault(change.notice_delay, []).append(change.ticket)
    for delay, tickets in by_delay.items():
        outbound.queue_closed_notices(tickets, delay=delay)


@receiver(hooks.closes_undone, dispatch_uid="mail.withdraw_closed_notice")
def withdraw_closed_notices(
    sender: Any, *, undone: list[tuple[Ticket, Event]], **kwargs: Any
) -> None:
    outbox.withdraw_closed_notices([(ticket, closing.created_at) for ticket, closing in undone])
