"""A ticket's due times, from its state and the history of when its clocks ran.

Three targets of the ticket's policy (sla/models.py ``Policy``, found by queue and
priority) are counted in the business time of the policy's calendar:

- first response: from the opening until the first answer;
- next response: from a customer's reply to an answered ticket until the next answer;
- resolution: from the opening until resolved or closed.

Every clock stops while the ticket waits on purpose: on hold, waiting for the
customer (answered), resolved or closed; it runs on from where it stopped
(a reopened ticket's resolution clock keeps the time it had used). When the
clocks stopped is read from the history (status, answer and customer-message
events), so a due time is the same whenever it is computed: after a move or a
priority change the new policy counts the whole life of the ticket.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sla.business_time import Hours, around_the_clock, running_time_until_target
from sla.models import Holiday, Policy
from tickets.due_times import (
    DueTimes,
    clear_due_times,
    store_many_due_times,
    stored_due_times,
)
from tickets.models import DONE_STATUSES, Event, EventCode, Status, Ticket

#: The statuses in which no clock runs.
STOPPED_STATUSES = frozenset({Status.ON_HOLD, *DONE_STATUSES})
CLOCK_CODES = (EventCode.STATUS, EventCode.ANSWER, EventCode.CUSTOMER_MESSAGE)


@dataclass(frozen=True)
class Moment:
    """One event that may start or stop the clocks."""

    at: datetime
    code: str
    new: str = ""


Stop = tuple[datetime, datetime | None]


def stops(moments: Iterable[Moment]) -> list[Stop]:
    """When the clocks stood still, in order; the last one open while it lasts.

    A ticket opens new and unanswered; a status event sets the status, an answer
    makes it answered, a customer's message unanswered again."""
    status, answered = Status.NEW.value, False
    found: list[Stop] = []
    since: datetime | None = None
    for moment in moments:
        if moment.code == EventCode.STATUS:
            status = moment.new
        elif moment.code == EventCode.ANSWER:
            answered = True
        elif moment.code == EventCode.CUSTOMER_MESSAGE:
            answered = False
        stopped = answered or status in STOPPED_STATUSES
        if stopped and since is None:
            since = moment.at
        elif not stopped and since is not None:
            if moment.at > since:
                found.append((since, moment.at))
            since = None
    if since is not None:
        found.append((since, None))
    return found


def _due(start: datetime | None, minutes: int | None, stopped: Sequence[Stop], hours: Hours):
    if start is None or minutes is None:
        return None
    return running_time_until_target(start, timedelta(minutes=minutes), stopped, hours)


def due_times(
    ticket: Ticket, policy: Policy | None, hours: Hours, moments: Iterable[Moment]
) -> DueTimes:
    """The due times of ``ticket`` (its stored fields as they are now) under ``policy``."""
    if policy is None or ticket.status in DONE_STATUSES:
        return DueTimes()
    stopped = stops(moments)
    first = None
    if ticket.answered_at is None:
        first = _due(ticket.created_at, policy.first_response_minutes, stopped, hours)
    following = None
    if ticket.answered_at is not None and not ticket.is_answered:
        following = _due(ticket.waiting_since, policy.next_response_minutes, stopped, hours)
    resolution = _due(ticket.created_at, policy.resolution_minutes, stopped, hours)
    return DueTimes(first_response=first, next_response=following, resolution=resolution)


class Policies:
    """Every policy and its calendar's hours, read once (two queries) for a batch."""

    def __init__(self) -> None:
        self._by_queue: dict[int, list[Policy]] = defaultdict(list)
        for policy in Policy.objects.select_related("calendar").order_by("pk"):
            self._by_queue[policy.queue_id].append(policy)
        holidays: dict[int, set[date]] = defaultdict(set)
        for calendar_id, day in Holiday.objects.values_list("calendar_id", "date"):
            holidays[calendar_id].add(day)
        self._hours: dict[int, Hours] = {}
        for policies in self._by_queue.values():
            for policy in policies:
                calendar = policy.calendar
                if calendar is None:
                    self._hours[policy.pk] = around_the_clock()
                else:
                    self._hours[policy.pk] = calendar.hours(frozenset(holidays[calendar.pk]))

    def of(self, queue_id: int, priority: int) -> Policy | None:
        """The policy of a queue and priority (their bands do not overlap)."""
        for policy in self._by_queue.get(queue_id, ()):
            if policy.lowest_priority <= priority <= policy.highest_priority:
                return policy
        return None

    def hours(self, policy: Policy) -> Hours:
        return self._hours[policy.pk]

    def __bool__(self) -> bool:
        return bool(self._by_queue)


def moments_of(number: int) -> list[Moment]:
    """The ticket's clock events, oldest first (index of the event's ticket)."""
    rows = (
        Event.objects.filter(ticket_id=number, code__in=CLOCK_CODES)
        .order_by("created_at", "id")
        .values_list("created_at", "code", "new")
    )
    return [Moment(at, code, new) for at, code, new in rows]


def moments_of_many(numbers: Iterable[int]) -> dict[int, list[Moment]]:
    """``moments_of`` for many tickets in one query (a mass action's batch, a page of a
    rebuild): each ticket's clock events, oldest first; an empty list for none."""
    wanted = sorted(set(numbers))
    found: dict[int, list[Moment]] = {number: [] for number in wanted}
    if not wanted:
        return found
    rows = (
        Event.objects.filter(ticket_id__in=wanted, code__in=CLOCK_CODES)
        .order_by("ticket_id", "created_at", "id")
        .values_list("ticket_id", "created_at", "code", "new")
    )
    for number, at, code, new in rows:
        found[number].append(Moment(at, code, new))
    return found


def compute(number: int) -> DueTimes | None:
    """The due times of ticket ``number`` as it is stored now; None when it is gone."""
    found = changed(number)
    return found[0] if found is not None else None


DUE_FIELDS = (
    "queue_id",
    "priority",
    "status",
    "created_at",
    "answered_at",
    "is_answered",
    "waiting_since",
    "first_response_due_at",
    "next_response_due_at",
    "resolution_due_at",
    "next_due_at",
)


def changed(number: int) -> tuple[DueTimes, bool] | None:
    """The due times of ticket ``number`` and whether they differ from the stored ones;
    None when it is gone."""
    ticket = Ticket.objects.filter(number=number).only(*DUE_FIELDS).first()
    if ticket is None:
        return None
    return _changed(ticket, Policies(), moments_of(number))


def _changed(
    ticket: Ticket, policies: Policies | None, moments: Sequence[Moment]
) -> tuple[DueTimes, bool]:
    """A resolved or closed ticket has none, found without looking for its policy
    (``policies`` may then be None): a mass close of 10,000 tickets asks nothing
    more of each."""
    stored = stored_due_times(ticket)
    due = DueTimes()
    if ticket.status not in DONE_STATUSES and policies is not None:
        policy = policies.of(ticket.queue_id, ticket.priority)
        if policy is not None:
            due = due_times(ticket, policy, policies.hours(policy), moments)
    return due, due != stored or ticket.next_due_at != due.next


def refresh(number: int) -> None:
    """Store ticket ``number``'s due times when they changed (after a change of the
    ticket, or of the rules it falls under)."""
    refresh_many([number])


def refresh_many(numbers: Iterable[int]) -> None:
    """``refresh`` for many tickets: one read of them and of what their due times
    follow from, a write only where a due time changed (one for all those that
    lost theirs, as a mass close's tickets do; one for those given new ones)."""
    wanted = sorted(set(numbers))
    tickets = list(Ticket.objects.filter(number__in=wanted).only(*DUE_FIELDS).order_by("number"))
    # Policies, hours and clock events of the working tickets, each read once.
    working = [ticket.number for ticket in tickets if ticket.status not in DONE_STATUSES]
    policies = Policies() if working else None
    moments = moments_of_many(working)
    cleared: list[int] = []
    stored: dict[int, DueTimes] = {}
    for ticket in tickets:
        due, differs = _changed(ticket, policies, moments.get(ticket.number, []))
        if not differs:
            continue
        if due == DueTimes():
            cleared.append(ticket.number)
        else:
            stored[ticket.number] = due
    if cleared:
        clear_due_times(cleared)
    if stored:
        store_many_due_times(stored)
