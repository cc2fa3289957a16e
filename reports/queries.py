"""Every read of the reports' figures, narrowed to what the person may see.

The figures are sums of ``Tally`` rows (a few per day, queue, assignee and
type), never a scan of tickets. The narrowing follows tickets/visibility.py:
administrators all; supervisors the tickets of the queues they are entitled
to and those assigned to them; agents the tickets assigned to them. A tally
row has one queue and one assignee, so "queue or assignee" counts each ticket
once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext, ngettext

from accounts.models import Account, StaffProfile, User
from reports.models import (
    BREACHED,
    BUCKET_BOUNDS,
    BUCKETS,
    MET,
    TALLY_COLUMNS,
    AccountTally,
    Measure,
    MonthlyBacklog,
    Rating,
    Tally,
    column_of,
)
from tickets import queries as ticket_queries
from tickets.models import Queue, TicketType

NOBODY = 0
#: A tally's counting columns and their sums (reports.models.TALLY_COLUMNS).
Counts = Mapping[str, int]
NamesOf = Callable[[Sequence[int | str]], dict[int | str, str]]
#: The longest period a report covers, so a request cannot ask for centuries of days.
LONGEST = timedelta(days=732)
#: How many accounts the figures by account list (those that sent the most tickets).
TOP_ACCOUNTS = 20
#: The service-level measures and the name of their field in ``Slot`` and ``Breakdown``.
TARGETS: dict[str, str] = {
    Measure.FIRST_RESPONSE_TARGET.value: "first_response_target",
    Measure.NEXT_RESPONSE_TARGET.value: "next_response_target",
    Measure.RESOLUTION_TARGET.value: "resolution_target",
}


def scope(user: User) -> Q:
    """The tally rows (or ratings) of tickets this person sees; nothing for others."""
    staff = user.staff if user.is_active else None
    if staff is None:
        return Q(pk__in=[])
    if staff.is_admin:
        return Q()
    if staff.is_supervising:
        # A subquery: the page's figures cost one query whatever the role.
        return Q(queue__in=ticket_queries.visible_queue_ids(user)) | Q(assignee=user.pk)
    return Q(assignee=user.pk)


def account_scope(user: User) -> Q:
    """The account tally rows this person sees: those of the queues they see as a
    whole (administrators all; an agent, who sees only their own tickets, none)."""
    staff = user.staff if user.is_active else None
    if staff is None:
        return Q(pk__in=[])
    if staff.is_admin:
        return Q()
    return Q(queue__in=ticket_queries.visible_queue_ids(user))


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # the last day, included
    by_week: bool = False
    queue: int | None = None

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def slot_of(self, day: date) -> date:
        """The first day of the day's row: itself, or the Monday of its week."""
        return day - timedelta(days=day.weekday()) if self.by_week else day

    def slots(self) -> list[date]:
        return list(dict.fromkeys(self.slot_of(day) for day in self.days()))


@dataclass
class Durations:
    """How many tickets took how long, by bucket; percentiles are bucket bounds."""

    buckets: list[int] = field(default_factory=lambda: [0] * BUCKETS)

    @property
    def count(self) -> int:
        return sum(self.buckets)

    def percentile(self, share: float) -> int | None:
        """The bucket the ``share`` (0.5 for the median) of tickets falls in, or None."""
        total = self.count
        if not total:
            return None
        needed = share * total
        seen = 0
        for bucket, n in enumerate(self.buckets):
            seen += n
            if seen >= needed:
                return bucket
        return BUCKETS - 1

    @property
    def median(self) -> str:
        return bucket_label(self.percentile(0.5))

    @property
    def p90(self) -> str:
        return bucket_label(self.percentile(0.9))


def _duration_words(seconds: int) -> str:
    if seconds < 3600:
        return gettext("%(n)s min") % {"n": seconds // 60}
    if seconds < 86400:
        return gettext("%(n)s h") % {"n": seconds // 3600}
    days = seconds // 86400
    return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}


def bucket_label(bucket: int | None, short: bool = False) -> str:
    """ "up to 1 h" ("≤ 1 h" short, for a chart's axis), "over 30 days"; "–" for none."""
    if bucket is None:
        return "–"
    if bucket < len(BUCKET_BOUNDS):
        words = _duration_words(BUCKET_BOUNDS[bucket])
        return f"≤ {words}" if short else gettext("up to %(time)s") % {"time": words}
    words = _duration_words(BUCKET_BOUNDS[-1])
    return f"> {words}" if short else gettext("over %(time)s") % {"time": words}


def bucket_labels(short: bool = False) -> list[str]:
    return [bucket_label(bucket, short) for bucket in range(BUCKETS)]


@dataclass
class Targets:
    """How many answers (or closes) met a service-level target and how many did not."""

    met: int = 0
    breached: int = 0

    @property
    def count(self) -> int:
        return self.met + self.breached

    @property
    def percent(self) -> int | None:
        """The share met, in whole percent (rounded down: 99.6 % is not 100 %); None for none."""
        return self.met * 100 // self.count if self.count else None

    @property
    def percent_label(self) -> str:
        return "–" if self.percent is None else f"{self.percent} %"

    def add(self, bucket: int, n: int) -> None:
        if bucket == MET:
            self.met += n
        else:
            self.breached += n


@dataclass
class Slot:
    start: date
    received: int = 0
    closed: int = 0
    backlog: int = 0
    first_response_target: Targets = field(default_factory=Targets)
    next_response_target: Targets = field(default_factory=Targets)
    resolution_target: Targets = field(default_factory=Targets)


@dataclass
class Breakdown:
    """One row of the tables by queue, by agent and by type."""

    key: int | str
    name: str
    received: int = 0
    closed: int = 0
    first_response: Durations = field(default_factory=Durations)
    resolution: Durations = field(default_factory=Durations)
    good: int = 0
    bad: int = 0
    first_response_target: Targets = field(default_factory=Targets)
    next_response_target: Targets = field(default_factory=Targets)
    resolution_target: Targets = field(default_factory=Targets)

    @property
    def rated(self) -> int:
        return self.good + self.bad

    @property
    def has_targets(self) -> bool:
        return bool(
            self.first_response_target.count
            or self.next_response_target.count
            or self.resolution_target.count
        )


@dataclass
class AccountLine:
    """One row of the figures by account."""

    key: int
    name: str
    received: int = 0
    closed: int = 0
    first_response: Durations = field(default_factory=Durations)


@dataclass
class Report:
    period: Period
    slots: list[Slot]
    first_response: Durations
    resolution: Durations
    by_queue: list[Breakdown]
    by_agent: list[Breakdown]
    by_type: list[Breakdown]
    good: int
    bad: int
    first_response_target: Targets = field(default_factory=Targets)
    next_response_target: Targets = field(default_factory=Targets)
    resolution_target: Targets = field(default_factory=Targets)
    by_account: list[AccountLine] = field(default_factory=list)

    @property
    def has_targets(self) -> bool:
        return bool(
            self.first_response_target.count
            or self.next_response_target.count
            or self.resolution_target.count
        )

    @property
    def by_queue_with_targets(self) -> list[Breakdown]:
        return [line for line in self.by_queue if line.has_targets]

    @property
    def by_agent_with_targets(self) -> list[Breakdown]:
        return [line for line in self.by_agent if line.has_targets]


def _rows(user: User, period: Period) -> Q:
    narrowed = scope(user)
    if period.queue is not None:
        narrowed &= Q(queue=period.queue)
    return narrowed


def _sums(rows: QuerySet[Tally], *group: str) -> Iterator[tuple[Any, Counts]]:
    """The counting columns of ``rows`` summed for each value of ``group``, in the
    database: a period's few hundred sums, not its tens of thousands of rows."""
    sums = {f"sum_{column}": Sum(column) for column in TALLY_COLUMNS}
    found = rows.values(*group).annotate(**sums).values_list(*group, *sums).order_by()
    width = len(group)
    for row in found:
        counts = dict(zip(TALLY_COLUMNS, (n or 0 for n in row[width:]), strict=True))
        if any(counts.values()):
            yield (row[0] if width == 1 else row[:width]), counts


def _add_times(durations: Durations, measure: str, counts: Counts) -> None:
    for bucket in range(BUCKETS):
        durations.buckets[bucket] += counts[column_of(measure, bucket)]


def _add_targets(line: Slot | Breakdown | dict[str, Targets], counts: Counts) -> None:
    for measure, name in TARGETS.items():
        targets = line[name] if isinstance(line, dict) else getattr(line, name)
        targets.met += counts[column_of(measure, MET)]
        targets.breached += counts[column_of(measure, BREACHED)]


def report(user: User, period: Period) -> Report:
    """The figures of the period, narrowed to the person's view (and the chosen queue):
    two sums of the tallies, by day and by queue, assignee and type."""
    narrowed = _rows(user, period)
    rows = Tally.objects.filter(narrowed, day__gte=period.start, day__lte=period.end)
    slots = {start: Slot(start) for start in period.slots()}
    first_response, resolution = Durations(), Durations()
    totals = {name: Targets() for name in TARGETS.values()}
    for day, counts in _sums(rows, "day"):
        slot = slots[period.slot_of(day)]
        slot.received += counts[Measure.RECEIVED]
        slot.closed += counts[Measure.CLOSED]
        _add_targets(slot, counts)
        _add_targets(totals, counts)
        _add_times(first_response, Measure.FIRST_RESPONSE, counts)
        _add_times(resolution, Measure.RESOLUTION, counts)
    by: dict[str, dict[int | str, Breakdown]] = {"queue": {}, "assignee": {}, "type": {}}
    for key, counts in _sums(rows, "queue", "assignee", "type"):
        for dimension, value in zip(by, key, strict=True):
            line = by[dimension].setdefault(value, Breakdown(value, ""))
            line.received += counts[Measure.RECEIVED]
            line.closed += counts[Measure.CLOSED]
            _add_times(line.first_response, Measure.FIRST_RESPONSE, counts)
            _add_times(line.resolution, Measure.RESOLUTION, counts)
            _add_targets(line, counts)
    backlog = _backlog_before(narrowed, period.start)
    for slot in slots.values():
        backlog += slot.received - slot.closed
        slot.backlog = backlog
    good, bad = _ratings(user, period, by)
    return Report(
        period=period,
        slots=list(slots.values()),
        first_response=first_response,
        resolution=resolution,
        by_queue=_named(by["queue"].values(), _queue_names),
        by_agent=_named(by["assignee"].values(), _staff_names),
        by_type=_named(by["type"].values(), _type_names),
        good=good,
        bad=bad,
        first_response_target=totals["first_response_target"],
        next_response_target=totals["next_response_target"],
        resolution_target=totals["resolution_target"],
        by_account=by_account(user, period),
    )


def by_account(user: User, period: Period, limit: int = TOP_ACCOUNTS) -> list[AccountLine]:
    """The accounts that sent the most tickets in the period (of the queues the person
    sees), with what was closed and first answered: two queries of ``AccountTally``."""
    narrowed = account_scope(user)
    if period.queue is not None:
        narrowed &= Q(queue=period.queue)
    rows = AccountTally.objects.filter(narrowed, day__gte=period.start, day__lte=period.end)
    top = list(
        rows.filter(measure=Measure.RECEIVED)
        .values("account")
        .annotate(n=Sum("count"))
        .filter(n__gt=0)
        .order_by("-n", "account")
        .values_list("account", flat=True)[:limit]
    )
    if not top:
        return []
    lines = {account: AccountLine(account, "") for account in top}
    found = (
        rows.filter(account__in=top)
        .values("account", "measure", "bucket")
        .annotate(n=Sum("count"))
        .values_list("account", "measure", "bucket", "n")
    )
    for account, measure, bucket, n in found:
        line = lines[account]
        if measure == Measure.RECEIVED:
            line.received += n or 0
        elif measure == Measure.CLOSED:
            line.closed += n or 0
        elif measure == Measure.FIRST_RESPONSE:
            line.first_response.buckets[bucket] += n or 0
    names = dict(Account.objects.filter(pk__in=top).values_list("pk", "name"))
    for line in lines.values():
        line.name = names.get(line.key, gettext("(deleted)"))
    return sorted(lines.values(), key=lambda line: (-line.received, line.name, line.key))


def _backlog_before(narrowed: Q, start: date) -> int:
    """Tickets received and not closed before the day ``start``: the monthly
    backlog of the months before its month, and the daily counts of its month's
    days before it (two sums of a few rows a month, not of every day's)."""
    month = start.replace(day=1)
    months = MonthlyBacklog.objects.filter(narrowed, month__lt=month).aggregate(n=Sum("count"))
    days = Tally.objects.filter(narrowed, day__gte=month, day__lt=start).aggregate(
        received=Sum(Measure.RECEIVED.value), closed=Sum(Measure.CLOSED.value)
    )
    return (months["n"] or 0) + (days["received"] or 0) - (days["closed"] or 0)


def _ratings(
    user: User, period: Period, by: dict[str, dict[int | str, Breakdown]]
) -> tuple[int, int]:
    """Good and bad ratings given in the period, in total and by queue and agent."""
    rows = (
        Rating.objects.filter(
            _rows(user, period),
            created_at__date__gte=period.start,
            created_at__date__lte=period.end,
        )
        .values("queue", "assignee", "good")
        .annotate(n=Count("pk"))
    )
    good = bad = 0
    for row in rows:
        for dimension in ("queue", "assignee"):
            line = by[dimension].setdefault(row[dimension], Breakdown(row[dimension], ""))
            if row["good"]:
                line.good += row["n"]
            else:
                line.bad += row["n"]
        if row["good"]:
            good += row["n"]
        else:
            bad += row["n"]
    return good, bad


def _named(lines: Iterable[Breakdown], names_of: NamesOf) -> list[Breakdown]:
    lines = list(lines)
    names = names_of([line.key for line in lines])
    for line in lines:
        line.name = names.get(line.key, gettext("(deleted)"))
    return sorted(lines, key=lambda line: (-line.received, line.name))


def _queue_names(keys: Sequence[int | str]) -> dict[int | str, str]:
    return dict(Queue.objects.filter(pk__in=list(keys)).values_list("pk", "name"))


def _staff_names(keys: Sequence[int | str]) -> dict[int | str, str]:
    names: dict[int | str, str] = {NOBODY: gettext("Nobody")}
    for profile in StaffProfile.objects.filter(user_id__in=list(keys)).select_related("user"):
        names[profile.user_id] = profile.display_name
    return names


def _type_names(keys: Sequence[int | str]) -> dict[int | str, str]:
    return {key: str(TicketType(str(key)).label) for key in keys if key in TicketType.values}


def daily_received(user: User, days: Sequence[date]) -> dict[date, int]:
    """Tickets received on each day, for the home page's sparklines."""
    if not days:
        return {}
    counts: dict[date, int] = defaultdict(int)
    rows = (
        Tally.objects.filter(scope(user), day__gte=min(days), day__lte=max(days))
        .values_list("day")
        .annotate(n=Sum(Measure.RECEIVED.value))
        .values_list("day", "n")
        .order_by()
    )
    for day, n in rows:
        counts[day] += n or 0
    return {day: counts[day] for day in days}


def ratings_of_ticket(number: int) -> list[Rating]:
    """A ticket's ratings, newest closing first (the panel checked the ticket already)."""
    return list(Rating.objects.filter(ticket_id=number).order_by("-closed_at"))


def filter_queues(user: User) -> list[Queue]:
    """The queues the report may be narrowed to."""
    return ticket_queries.queue_list(user)


def period_days(today: date) -> dict[str, list[date]]:
    """The days each home statistic's sparkline draws: the month and week so far,
    and the week up to yesterday and up to today."""
    week = 7
    return {
        "month": [today.replace(day=day) for day in range(1, today.day + 1)],
        "week": [today - timedelta(days=n) for n in range(today.weekday(), -1, -1)],
        "yesterday": [today - timedelta(days=n) for n in range(week, 0, -1)],
        "today": [today - timedelta(days=n) for n in range(week - 1, -1, -1)],
    }


def sparklines(user: User, today: date) -> dict[str, list[int]]:
    """Tickets received per day for each home statistic, in one query of the roll-ups."""
    days = period_days(today)
    counts = daily_received(user, sorted({day for each in days.values() for day in each}))
    return {name: [counts[day] for day in each] for name, each in days.items()}
