"""Lifecycle jobs: escalation (S9) and auto-close (S10).

Each job reads candidate rows with their version and changes each through
tickets/actions with that version: when two consumers run the same job, the
second one's stale version makes it skip the row instead of acting twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Exists, F, Max, Min, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.actors import AUTO_CLOSE
from tickets import actions
from tickets.models import (
    ACTIVE_STATUSES,
    DONE_STATUSES,
    ESCALATING_STATUSES,
    Event,
    HelpdeskSettings,
    Queue,
    Status,
    Ticket,
)


def escalate_due(now: datetime | None = None) -> int:
    """Raise the priority of unanswered tickets whose interval has passed."""
    now = now or timezone.now()
    due = (
        Ticket.objects.filter(
            is_answered=False,
            status__in=ESCALATING_STATUSES,
            priority__lt=99,
            waiting_since__isnull=False,
            queue__escalation_step__gt=0,
            queue__escalation_interval__isnull=False,
            # Those queues escalate before a breach instead (escalate_before_breaches).
            queue__escalation_follows_service_level=False,
        )
        .annotate(
            next_step=Coalesce("escalated_at", "waiting_since") + F("queue__escalation_interval")
        )
        .filter(next_step__lte=now)
        .values_list("number", "version")
    )
    escalated = 0
    for number, version in due:
        if actions.escalate(ticket=number, expected_version=version, now=now) is not None:
            escalated += 1
    return escalated


def escalate_before_breaches(now: datetime | None = None) -> int:
    """Raise the priority of tickets whose next due time is near, in queues that
    escalate by their service level, and tell their assignee and the queue's
    supervisors (sla/warnings.py hears the escalation)."""
    now = now or timezone.now()
    # The widest warning window of those queues bounds the range of the index
    # ticket_next_due; each ticket's own window is checked by the action.
    windows = Queue.objects.filter(
        escalation_follows_service_level=True, escalation_step__gt=0
    ).aggregate(
        widest=Max("escalation_warning_minutes"), narrowest=Min("escalation_warning_minutes")
    )
    if windows["widest"] is None:
        return 0
    # Escalated within the narrowest window already: done for this due time in any queue.
    since_narrowest = F("next_due_at") - timedelta(minutes=windows["narrowest"])
    due = (
        Ticket.objects.filter(
            next_due_at__lte=now + timedelta(minutes=windows["widest"]),
            status__in=ESCALATING_STATUSES,
            priority__lt=99,
            queue__escalation_follows_service_level=True,
            queue__escalation_step__gt=0,
        )
        .exclude(escalated_at__gte=since_narrowest)
        .values_list("number", "version")
    )
    escalated = 0
    for number, version in due:
        if actions.escalate_before_breach(ticket=number, expected_version=version, now=now):
            escalated += 1
    return escalated


def auto_close_due(now: datetime | None = None) -> int:
    """Close answered tickets the customer did not follow up within the set days."""
    days = HelpdeskSettings.load().auto_close_days
    if days < 0:
        return 0
    now = now or timezone.now()
    # A ticket reopened after its answer waits for a new answer: the old one has
    # had its close, and closing again would undo the reopening within minutes.
    reopened_since_answer = Event.objects.filter(
        ticket=OuterRef("pk"),
        code="status",
        old__in=DONE_STATUSES,
        new__in=ACTIVE_STATUSES,
        created_at__gte=OuterRef("answered_at"),
    )
    # On hold means staff wait for something on purpose: leave those alone.
    due = (
        Ticket.objects.filter(is_answered=True, answered_at__lte=now - timedelta(days=days))
        .exclude(status__in=(Status.CLOSED, Status.ON_HOLD))
        .exclude(Exists(reopened_since_answer))
        .values_list("number", "version")
    )
    closed = 0
    for number, version in due:
        try:
            actions.close(actor=AUTO_CLOSE, ticket=number, expected_version=version)
        except (actions.Conflict, Ticket.DoesNotExist):
            continue  # the customer wrote meanwhile, or another consumer got there first
        closed += 1
    return closed
