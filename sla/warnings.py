"""Telling people that a ticket is about to breach its service level.

When the escalation job raised a ticket before a due time (the ``escalated``
signal of a queue that escalates by its service level), its assignee and the
queue's supervisors are told through the notifications app. Where that app is
not installed nobody is told; the rise is in the ticket's history either way.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Role, User
from accounts.preferences import writing_to
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


def when(due: datetime) -> str:
    """The due time in the current time zone, named: "2026-11-30 14:00 CET"."""
    local = timezone.localtime(due)
    zone = local.tzname() or ""
    if zone[:1] in ("+", "-"):
        # A zone without an abbreviation ("-03"): an offset from UTC is still clear.
        zone = f"UTC{zone}"
    return f"{local:%Y-%m-%d %H:%M} {zone}".strip()


def text_of(ticket: Ticket) -> str:
    due = ticket.next_due_at
    if due is None:
        return gettext("#%(number)s rose in priority before a service-level due time.") % {
            "number": ticket.number
        }
    return gettext("#%(number)s is due %(when)s and rose to priority %(priority)s.") % {
        "number": ticket.number,
        "when": when(due),
        "priority": ticket.priority,
    }


def tell(ticket: Ticket) -> int:
    """Tell the ticket's people, each in their own language and time zone (the help
    desk's where they chose none); 0 where the notifications app is not installed."""
    try:
        from notifications.api import notify
    except ImportError:
        log.info("no notifications app: nobody told that #%s is near its due time", ticket.pk)
        return 0
    told = 0
    for person in recipients_of(ticket):
        with writing_to(person):
            text = text_of(ticket)
        told += notify(recipients=[person], kind="sla_warning", ticket=ticket, text=text)
    return told
