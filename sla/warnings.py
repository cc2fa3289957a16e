"""Telling people that a ticket is about to breach its service level.

When the escalation job raised a ticket before a due time (the ``escalated``
signal of a queue that escalates by its service level), its assignee and the
queue's supervisors are told through the notifications app. Where that app is
not installed nobody is told; the rise is in the ticket's history either way.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Role, User
from tickets import signals
from tickets.models import Ticket

log = logging.getLogger(__name__)


def connect() -> None:
    signals.escalated.connect(escalated, weak=False, dispatch_uid="sla.warnings")


def recipients_of(ticket: Ticket) -> list[User]:
    """The assignee and the supervisors entitled to the ticket's queue, active ones."""
    people = list(
        User.objects.filter(
            is_active=True,
            staff_profile__role=Role.SUPERVISOR,
            staff_profile__queues=ticket.queue_id,
        ).order_by("pk")
    )
    if ticket.assignee is not None and ticket.assignee not in people:
        people.insert(0, ticket.assignee)
    return people


def escalated(sender: Any, change: signals.TicketChange, **kwargs: Any) -> None:
    ticket = Ticket.objects.select_related("queue", "assignee").filter(pk=change.number).first()
    if ticket is None or not ticket.queue.escalation_follows_service_level:
        return
    tell(ticket)


def tell(ticket: Ticket) -> int:
    """Tell the ticket's people; 0 where the notifications app is not installed."""
    try:
        from notifications.api import notify
    except ImportError:
        log.info("no notifications app: nobody told that #%s is near its due time", ticket.pk)
        return 0
    due = ticket.next_due_at
    if due is None:
        text = gettext("#%(number)s rose in priority before a service-level due time.") % {
            "number": ticket.number
        }
    else:
        text = gettext("#%(number)s is due %(when)s and rose to priority %(priority)s.") % {
            "number": ticket.number,
            "when": timezone.localtime(due).strftime("%Y-%m-%d %H:%M"),
            "priority": ticket.priority,
        }
    return notify(recipients=recipients_of(ticket), kind="sla_warning", ticket=ticket, text=text)
