"""Business time: counting minutes only within a calendar's weekly hours (pure functions).

A calendar is a time zone, the working intervals of each weekday in local
wall-clock time, and holiday dates. Every interval is turned into an instant
through ``zoneinfo`` on its own day, so a day when the clocks change has as
many business minutes as the clocks say (an 09:00–17:00 day stays eight hours;
an interval across 02:00–03:00 on the night clocks go forward is an hour
shorter). Instants in and out are aware datetimes; results are in UTC.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

#: How far ahead a due time is looked for: a calendar with a few hours a year
#: still finds one, a calendar without any hours fails instead of looping.
MAX_DAYS = 366 * 5

#: A working interval of one weekday, minutes after local midnight: (540, 1020) is 09:00–17:00.
Interval = tuple[int, int]


@dataclass(frozen=True)
class Hours:
    """A calendar as the arithmetic needs it."""

    zone: ZoneInfo
    #: Monday first: seven tuples of intervals, each sorted and not overlapping.
    weekly: tuple[tuple[Interval, ...], ...]
    holidays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if len(self.weekly) != 7:
            raise ValueError("weekly hours need seven days, Monday first")

    @property
    def has_hours(self) -> bool:
        return any(self.weekly)


def around_the_clock(zone: str = "UTC") -> Hours:
    """Every minute counts: the calendar of a policy without one."""
    return Hours(zone=ZoneInfo(zone), weekly=tuple(((0, 24 * 60),) for _ in range(7)))


def _instant(day: date, minute: int, zone: ZoneInfo) -> datetime:
    if minute >= 24 * 60:
        return _instant(day + timedelta(days=1), minute - 24 * 60, zone)
    local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)
    # A wall-clock time the clocks skip (02:30 when they go forward) is read with
    # the offset before the change (PEP 495, fold=0); a span that comes out empty
    # or reversed is left out by the caller.
    return local.astimezone(UTC)


def _working_spans(start: datetime, hours: Hours) -> Iterator[tuple[datetime, datetime]]:
    """The working spans from ``start`` on, in order, each cut to begin no earlier."""
    if not hours.has_hours:
        raise ValueError("a calendar without working hours has no business time")
    day = start.astimezone(hours.zone).date() - timedelta(days=1)
    for _ in range(MAX_DAYS):
        if day not in hours.holidays:
            for begin, end in hours.weekly[day.weekday()]:
                span_start = _instant(day, begin, hours.zone)
                span_end = _instant(day, end, hours.zone)
                if span_end <= start or span_end <= span_start:
                    continue
                yield max(span_start, start), span_end
        day += timedelta(days=1)
    raise ValueError("no working hours within five years")


def add_business_time(start: datetime, duration: timedelta, hours: Hours) -> datetime:
    """The instant when ``duration`` of business time has passed since ``start``."""
    if duration <= timedelta(0):
        # Nothing to count: due at the first working moment, or now if working.
        return next(_working_spans(start, hours))[0] if duration == timedelta(0) else start
    left = duration
    for begin, end in _working_spans(start, hours):
        if end - begin >= left:
            return begin + left
        left -= end - begin
    raise AssertionError("unreachable: _working_spans raises first")


def add_business_minutes(start: datetime, minutes: int, hours: Hours) -> datetime:
    return add_business_time(start, timedelta(minutes=minutes), hours)


def business_time_between(start: datetime, end: datetime, hours: Hours) -> timedelta:
    """Business time from ``start`` to ``end`` (zero when ``end`` is not later)."""
    total = timedelta(0)
    if end <= start:
        return total
    for begin, span_end in _working_spans(start, hours):
        if begin >= end:
            break
        total += min(span_end, end) - begin
    return total


def business_minutes_between(start: datetime, end: datetime, hours: Hours) -> float:
    return business_time_between(start, end, hours) / timedelta(minutes=1)


def running_time_until_target(
    start: datetime,
    target: timedelta,
    stops: Sequence[tuple[datetime, datetime | None]],
    hours: Hours,
) -> datetime | None:
    """When ``target`` of business time has run since ``start``, the clock stopped
    during each of ``stops`` (sorted, not overlapping; an open stop has no end and
    lasts until further notice). None: it is stopped now with time left."""
    cursor = start
    left = target
    for stop_start, stop_end in stops:
        if stop_end is not None and stop_end <= cursor:
            continue
        if stop_start > cursor:
            ran = business_time_between(cursor, stop_start, hours)
            if ran >= left:
                return add_business_time(cursor, left, hours)
            left -= ran
        if stop_end is None:
            return None
        cursor = max(cursor, stop_end)
    return add_business_time(cursor, left, hours)
