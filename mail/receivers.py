"""Outgoing mail written in the transaction of the ticket action that causes it (S32).

These listen to tickets/hooks.py, not to the domain signals sent on commit: an
outbox row commits with its answer or not at all.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.dispatch import receiver

from accounts.actors import Actor
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


@receiver(hooks.status_changed, dispatch_uid="mail.notify_closed")
def notify_closed(
    sender: Any,
    *,
    ticket: Ticket,
    old: str,
    new: str,
    actor: Actor,
    tell_customer: bool = True,
    notice_delay: timedelta | None = None,
    **kwargs: Any,
) -> None:
    # A customer who closed their own ticket needs no mail telling them so.
    by_the_customer = isinstance(actor, User) and actor.staff is None
    if tell_customer and new in DONE_STATUSES and old not in DONE_STATUSES and not by_the_customer:
        outbound.queue_closed_notice(ticket, delay=notice_delay)


@receiver(hooks.close_undone, dispatch_uid="mail.withdraw_closed_notice")
def withdraw_closed_notice(sender: Any, *, ticket: Ticket, closing: Event, **kwargs: Any) -> None:
    outbox.withdraw_closed_notice(ticket, since=closing.created_at)
