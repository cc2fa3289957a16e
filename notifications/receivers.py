"""Notifications of changes on a person's tickets: receivers of the domain signals.

The signals come after the change committed (tickets/signals.py). The one told
is the ticket's assignee, never the person who acted; a customer reply that
returned the ticket to the unassigned list tells the assignee it had, if they
may still see it (a supervisor of its queue; an agent no longer can).
"""

from __future__ import annotations

from typing import Any

from accounts.models import User
from notifications import api
from tickets import signals
from tickets.models import Event, EventCode, Ticket

#: Which signal tells of which kind.
KINDS = {
    signals.assigned: api.ASSIGNED,
    signals.customer_replied: api.CUSTOMER_REPLIED,
    signals.note_added: api.NOTE_ADDED,
    signals.answered: api.ANSWERED,
}


def connect() -> None:
    for signal in KINDS:
        signal.connect(ticket_changed, weak=False, dispatch_uid=f"notifications.{signal.kind}")
    signals.merged.connect(ticket_merged, weak=False, dispatch_uid="notifications.merged")


def ticket_changed(
    sender: Any, signal: signals.DomainSignal, change: signals.TicketChange, **kwargs: Any
) -> None:
    ticket = Ticket.objects.select_related("assignee").filter(pk=change.number).first()
    if ticket is None:
        return
    actor = User.objects.filter(pk=change.actor_id).first() if change.actor_id else None
    kind = KINDS[signal]
    recipient = ticket.assignee
    if kind == api.CUSTOMER_REPLIED and recipient is None:
        recipient = _assignee_before(change)
    elif kind in (api.NOTE_ADDED, api.ANSWERED) and EventCode.ASSIGNEE in change.codes:
        # The answer form assigned the ticket with the answer: that is the news.
        kind = api.ASSIGNED
    if recipient is not None:
        api.tell(recipients=[recipient], kind=kind, ticket=ticket, actor=actor)


def _assignee_before(change: signals.TicketChange) -> User | None:
    """Who had the ticket before this change took it from them."""
    before = (
        Event.objects.filter(pk__in=change.event_ids, code=EventCode.ASSIGNEE)
        .values_list("old_ref", flat=True)
        .first()
    )
    return User.objects.filter(pk=before).first() if before else None


def ticket_merged(
    sender: Any, signal: signals.DomainSignal, change: signals.TicketChange, **kwargs: Any
) -> None:
    """A merge tells the assignee of each side, once: the survivor's assignee that
    the thread grew, the merged ticket's that it goes on in the survivor (unless
    they are the survivor's assignee too)."""
    ticket = Ticket.objects.select_related("assignee").filter(pk=change.number).first()
    if ticket is None or ticket.assignee is None:
        return
    found = (
        Event.objects.filter(
            pk__in=change.event_ids, code__in=(EventCode.MERGED_FROM, EventCode.MERGED_INTO)
        )
        .values_list("code", "new_ref")
        .first()
    )
    if found is None:
        return
    code, other = found
    if other is None:
        return
    into = code == EventCode.MERGED_INTO
    if into and Ticket.objects.filter(pk=other, assignee=ticket.assignee).exists():
        return
    actor = User.objects.filter(pk=change.actor_id).first() if change.actor_id else None
    api.tell(
        recipients=[ticket.assignee],
        kind=api.MERGED,
        ticket=ticket,
        actor=actor,
        details={"other": other, "into": into},
    )
