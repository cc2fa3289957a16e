"""Keeping the roll-ups current: a ticket's facts, and what a change adds and takes.

Each change of a ticket recomputes its one ``TicketFact`` from the ticket
(``tickets.queries.report_facts``) and moves the difference into ``Tally``:
minus one for each key the old facts counted, plus one for each the new ones
count. The fact row is locked first and the ticket read after, so two changes
of one ticket apply in order; tallies change by ``count + n`` updates, so
changes of different tickets never overwrite each other.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from reports.models import BUCKET_BOUNDS, Measure, Tally, TicketFact
from tickets import queries
from tickets.queries import ReportFacts

Key = tuple[date, int, int, str, str, int]
BATCH_SIZE = 2000


def day_of(moment: datetime) -> date:
    """The day in the help desk's own time zone (the statistics' days)."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def bucket_of(seconds: int) -> int:
    return bisect.bisect_left(BUCKET_BOUNDS, seconds)


def fact_of(facts: ReportFacts) -> TicketFact:
    fact = TicketFact(
        number=facts.number,
        queue=facts.queue_id,
        assignee=facts.assignee_id or 0,
        type=facts.type,
        created_day=day_of(facts.created_at),
    )
    if facts.first_answer_at is not None:
        fact.first_response_day = day_of(facts.first_answer_at)
        fact.first_response_seconds = _seconds(facts.created_at, facts.first_answer_at)
    if facts.closed_at is not None:
        fact.closed_day = day_of(facts.closed_at)
        fact.resolution_seconds = _seconds(facts.created_at, facts.closed_at)
    return fact


def _seconds(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds()))


def keys_of(fact: TicketFact | None) -> list[Key]:
    """The tally keys one ticket counts in, once each."""
    if fact is None or fact.created_day is None:
        return []
    where = (fact.queue, fact.assignee, fact.type)
    keys: list[Key] = [(fact.created_day, *where, Measure.RECEIVED.value, 0)]
    if fact.first_response_day is not None and fact.first_response_seconds is not None:
        bucket = bucket_of(fact.first_response_seconds)
        keys.append((fact.first_response_day, *where, Measure.FIRST_RESPONSE.value, bucket))
    if fact.closed_day is not None and fact.resolution_seconds is not None:
        keys.append((fact.closed_day, *where, Measure.CLOSED.value, 0))
        bucket = bucket_of(fact.resolution_seconds)
        keys.append((fact.closed_day, *where, Measure.RESOLUTION.value, bucket))
    return keys


def refresh(number: int) -> None:
    """Bring one ticket's fact and the tallies up to the ticket as it is now."""
    with transaction.atomic():
        # The row is the lock of this ticket's figures: made if missing, then locked.
        old = TicketFact.objects.select_for_update().filter(number=number).first()
        if old is None:
            TicketFact.objects.bulk_create([TicketFact(number=number)], ignore_conflicts=True)
            old = TicketFact.objects.select_for_update().get(number=number)
        found = queries.report_facts([number])
        new = fact_of(found[0]) if found else None
        change: Counter[Key] = Counter()
        change.subtract(keys_of(old))
        change.update(keys_of(new))
        _apply(change)
        if new is None:
            old.delete()
        elif keys_of(new) != keys_of(old) or _columns(new) != _columns(old):
            new.save()


def _columns(fact: TicketFact) -> tuple[object, ...]:
    return tuple(getattr(fact, field.attname) for field in TicketFact._meta.concrete_fields)


def _apply(change: Counter[Key]) -> None:
    moved = {key: n for key, n in change.items() if n}
    if not moved:
        return
    Tally.objects.bulk_create([_tally(key) for key in sorted(moved)], ignore_conflicts=True)
    # One key at a time, in order: two changes lock tally rows in the same order.
    for key in sorted(moved):
        day, queue, assignee, type_, measure, bucket = key
        Tally.objects.filter(
            day=day, queue=queue, assignee=assignee, type=type_, measure=measure, bucket=bucket
        ).update(count=F("count") + moved[key])


def _tally(key: Key, count: int = 0) -> Tally:
    day, queue, assignee, type_, measure, bucket = key
    return Tally(
        day=day,
        queue=queue,
        assignee=assignee,
        type=type_,
        measure=measure,
        bucket=bucket,
        count=count,
    )


def rebuild(batch_size: int = BATCH_SIZE, progress: Callable[[int], None] | None = None) -> int:
    """Every fact and tally again from the tickets, in one transaction.

    Changes that commit meanwhile wait for it (their receivers lock fact rows),
    then apply on top of the rebuilt figures.
    """
    done = 0
    totals: Counter[Key] = Counter()
    with transaction.atomic():
        TicketFact.objects.all().delete()
        Tally.objects.all().delete()
        last = 0
        while True:
            page = queries.report_facts_after(last, batch_size)
            if not page:
                break
            facts = [fact_of(each) for each in page]
            TicketFact.objects.bulk_create(facts)
            for fact in facts:
                totals.update(keys_of(fact))
            last = page[-1].number
            done += len(page)
            if progress is not None:
                progress(done)
        _create(totals.items())
    return done


def _create(counts: Iterable[tuple[Key, int]]) -> None:
    rows = [_tally(key, n) for key, n in sorted(counts) if n]
    Tally.objects.bulk_create(rows, batch_size=BATCH_SIZE)
