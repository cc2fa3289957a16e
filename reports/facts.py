"""Keeping the roll-ups current: a ticket's facts, and what a change adds and takes.

Each change of a ticket recomputes its one ``TicketFact`` from the ticket
(``tickets.queries.report_facts``) and moves the difference into ``Tally``:
minus one for each key the old facts counted, plus one for each the new ones
count. The fact row is locked first and the ticket read after, so two changes
of one ticket apply in order; tallies change by ``count + n`` updates, so
changes of different tickets never overwrite each other. ``AccountTally`` is
kept the same way, for the figures by account.

A ticket under a service-level policy also counts whether its first answer,
its close and each answer to a customer's reply met their targets
(sla/attainment.py): the policies are read once per batch and the clock events
of all its tickets in one query, so a mass close of a thousand tickets stays a
few queries.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from reports import counting
from reports.models import (
    BREACHED,
    BUCKET_BOUNDS,
    MET,
    AccountTally,
    Measure,
    MonthlyBacklog,
    Tally,
    TicketFact,
    column_of,
)
from sla.attainment import Attainment, attainment
from sla.clocks import Moment, Policies, moments_of_many
from tickets import queries
from tickets.queries import ReportFacts

Key = tuple[date, int, int, str, str, int]
#: (day, queue, account, measure, bucket)
AccountKey = tuple[date, int, int, str, int]
BATCH_SIZE = 2000
#: The key of a ``Tally`` row: each measure and bucket of a ``Key`` is a column of it.
TALLY_KEY = ("day", "queue", "assignee", "type")
ACCOUNT_TALLY_KEY = ("day", "queue", "account", "measure", "bucket")
#: (month, queue, assignee)
BacklogKey = tuple[date, int, int]
BACKLOG_KEY = ("month", "queue", "assignee")


def day_of(moment: datetime) -> date:
    """The day in the help desk's own time zone (the statistics' days)."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def bucket_of(seconds: int) -> int:
    return bisect.bisect_left(BUCKET_BOUNDS, seconds)


def fact_of(
    facts: ReportFacts,
    policies: Policies | None = None,
    moments: dict[int, list[Moment]] | None = None,
) -> TicketFact:
    fact = TicketFact(
        number=facts.number,
        queue=facts.queue_id,
        assignee=facts.assignee_id or 0,
        type=facts.type,
        created_day=day_of(facts.created_at),
        account=facts.account_id or 0,
    )
    if facts.first_answer_at is not None:
        fact.first_response_day = day_of(facts.first_answer_at)
        fact.first_response_seconds = _seconds(facts.created_at, facts.first_answer_at)
    if facts.closed_at is not None:
        fact.closed_day = day_of(facts.closed_at)
        fact.resolution_seconds = _seconds(facts.created_at, facts.closed_at)
    found = _attainment(facts, policies, moments)
    fact.first_response_met = found.first_response
    fact.resolution_met = found.resolution
    fact.next_responses = [[day_of(at).isoformat(), met] for at, met in found.next_responses]
    return fact


def _attainment(
    facts: ReportFacts, policies: Policies | None, moments: dict[int, list[Moment]] | None
) -> Attainment:
    policy = policies.of(facts.queue_id, facts.priority) if policies else None
    if policies is None or policy is None:
        return Attainment()
    hours = policies.hours(policy)
    if not hours.has_hours:
        # A calendar without working hours has no business time: no target can run.
        return Attainment()
    return attainment(
        created_at=facts.created_at,
        first_answer_at=facts.first_answer_at,
        closed_at=facts.closed_at,
        policy=policy,
        hours=hours,
        moments=(moments or {}).get(facts.number, []),
    )


def facts_of(found: list[ReportFacts], policies: Policies) -> list[TicketFact]:
    """The facts of a batch of tickets: the clock events of those under a policy in
    one query."""
    governed = [each.number for each in found if policies.of(each.queue_id, each.priority)]
    moments = moments_of_many(governed) if governed else {}
    return [fact_of(each, policies, moments) for each in found]


def _seconds(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds()))


def keys_of(fact: TicketFact | None) -> list[Key]:
    """The tally keys one ticket counts in (each next response its own)."""
    if fact is None or fact.created_day is None:
        return []
    where = (fact.queue, fact.assignee, fact.type)
    keys: list[Key] = [(fact.created_day, *where, Measure.RECEIVED.value, 0)]
    if fact.first_response_day is not None and fact.first_response_seconds is not None:
        bucket = bucket_of(fact.first_response_seconds)
        keys.append((fact.first_response_day, *where, Measure.FIRST_RESPONSE.value, bucket))
        if fact.first_response_met is not None:
            met = _met_bucket(fact.first_response_met)
            keys.append((fact.first_response_day, *where, Measure.FIRST_RESPONSE_TARGET.value, met))
    if fact.closed_day is not None and fact.resolution_seconds is not None:
        keys.append((fact.closed_day, *where, Measure.CLOSED.value, 0))
        bucket = bucket_of(fact.resolution_seconds)
        keys.append((fact.closed_day, *where, Measure.RESOLUTION.value, bucket))
        if fact.resolution_met is not None:
            met = _met_bucket(fact.resolution_met)
            keys.append((fact.closed_day, *where, Measure.RESOLUTION_TARGET.value, met))
    for day, met in fact.next_responses or []:
        keys.append(
            (
                date.fromisoformat(day),
                *where,
                Measure.NEXT_RESPONSE_TARGET.value,
                _met_bucket(met),
            )
        )
    return keys


def _met_bucket(met: bool) -> int:
    return MET if met else BREACHED


def account_keys_of(fact: TicketFact | None) -> list[AccountKey]:
    """The account tally keys one ticket counts in: none without an account."""
    if fact is None or fact.created_day is None or not fact.account:
        return []
    where = (fact.queue, fact.account)
    keys: list[AccountKey] = [(fact.created_day, *where, Measure.RECEIVED.value, 0)]
    if fact.first_response_day is not None and fact.first_response_seconds is not None:
        bucket = bucket_of(fact.first_response_seconds)
        keys.append((fact.first_response_day, *where, Measure.FIRST_RESPONSE.value, bucket))
    if fact.closed_day is not None:
        keys.append((fact.closed_day, *where, Measure.CLOSED.value, 0))
    return keys


def backlog_of(fact: TicketFact | None) -> Counter[BacklogKey]:
    """What one ticket adds to the monthly backlog: one in the month it came, less
    one in the month it was closed (nothing when both are the same month)."""
    moved: Counter[BacklogKey] = Counter()
    if fact is None or fact.created_day is None:
        return moved
    moved[(fact.created_day.replace(day=1), fact.queue, fact.assignee)] += 1
    if fact.closed_day is not None:
        moved[(fact.closed_day.replace(day=1), fact.queue, fact.assignee)] -= 1
    return moved


def refresh(number: int) -> None:
    """Bring one ticket's fact and the tallies up to the ticket as it is now."""
    refresh_many([number])


def refresh_many(numbers: Iterable[int]) -> None:
    """Bring these tickets' facts and the tallies up to the tickets as they are now:
    one read of the tickets and one update per tally key, however many they are."""
    wanted = sorted(set(numbers))
    if not wanted:
        return
    with transaction.atomic():
        # The rows are the locks of these tickets' figures: made if missing, then
        # locked, in number order (two refreshes lock in the same order).
        TicketFact.objects.bulk_create(
            [TicketFact(number=number) for number in wanted], ignore_conflicts=True
        )
        old = {
            fact.number: fact
            for fact in TicketFact.objects.select_for_update()
            .filter(number__in=wanted)
            .order_by("number")
        }
        found = queries.report_facts(wanted)
        new = {fact.number: fact for fact in facts_of(found, Policies())}
        change: Counter[Key] = Counter()
        by_account: Counter[AccountKey] = Counter()
        backlog: Counter[BacklogKey] = Counter()
        gone: list[int] = []
        changed: list[TicketFact] = []
        for number in wanted:
            before, after = old.get(number), new.get(number)
            change.subtract(keys_of(before))
            change.update(keys_of(after))
            by_account.subtract(account_keys_of(before))
            by_account.update(account_keys_of(after))
            backlog.subtract(backlog_of(before))
            backlog.update(backlog_of(after))
            if after is None:
                gone.append(number)
            elif before is None or _columns(after) != _columns(before):
                changed.append(after)
        _apply(change)
        _apply_accounts(by_account)
        counting.add(MonthlyBacklog, BACKLOG_KEY, dict(backlog.items()))
        if gone:
            TicketFact.objects.filter(number__in=gone).delete()
        if changed:
            # One INSERT ... ON CONFLICT DO UPDATE per few hundred rows: Django's
            # bulk_update writes a CASE per column and row, which building cost
            # half of a mass close's time (9.5 of 20.9 s for 1,000 tickets).
            TicketFact.objects.bulk_create(
                changed,
                update_conflicts=True,
                unique_fields=["number"],
                update_fields=[
                    field.name
                    for field in TicketFact._meta.concrete_fields
                    if not field.primary_key
                ],
                batch_size=500,
            )


def _columns(fact: TicketFact) -> tuple[object, ...]:
    return tuple(getattr(fact, field.attname) for field in TicketFact._meta.concrete_fields)


def _apply(change: Counter[Key]) -> None:
    counting.add_columns(Tally, TALLY_KEY, _by_row(change.items()))


def _by_row(counts: Iterable[tuple[Key, int]]) -> dict[tuple[date, int, int, str], Counter[str]]:
    """The counts of each ``Tally`` row: one per day, queue, assignee and type, a
    column per measure and bucket."""
    rows: dict[tuple[date, int, int, str], Counter[str]] = {}
    for (day, queue, assignee, type_, measure, bucket), n in counts:
        if n:
            row = rows.setdefault((day, queue, assignee, type_), Counter())
            row[column_of(measure, bucket)] += n
    return rows


def _apply_accounts(change: Counter[AccountKey]) -> None:
    moved: dict[tuple[object, ...], int] = dict(change.items())
    counting.add(AccountTally, ACCOUNT_TALLY_KEY, moved)


def _account_tally(key: AccountKey, count: int = 0) -> AccountTally:
    day, queue, account, measure, bucket = key
    return AccountTally(
        day=day, queue=queue, account=account, measure=measure, bucket=bucket, count=count
    )


def rebuild(batch_size: int = BATCH_SIZE, progress: Callable[[int], None] | None = None) -> int:
    """Every fact and tally again from the tickets, in one transaction.

    Changes that commit meanwhile wait for it (their receivers lock fact rows),
    then apply on top of the rebuilt figures.
    """
    done = 0
    totals: Counter[Key] = Counter()
    by_account: Counter[AccountKey] = Counter()
    backlog: Counter[BacklogKey] = Counter()
    with transaction.atomic():
        TicketFact.objects.all().delete()
        Tally.objects.all().delete()
        AccountTally.objects.all().delete()
        MonthlyBacklog.objects.all().delete()
        policies = Policies()
        last = 0
        while True:
            page = queries.report_facts_after(last, batch_size)
            if not page:
                break
            facts = facts_of(page, policies)
            TicketFact.objects.bulk_create(facts)
            for fact in facts:
                totals.update(keys_of(fact))
                by_account.update(account_keys_of(fact))
                backlog.update(backlog_of(fact))
            last = page[-1].number
            done += len(page)
            if progress is not None:
                progress(done)
        _create(totals.items())
        rows = [_account_tally(key, n) for key, n in sorted(by_account.items()) if n]
        AccountTally.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        MonthlyBacklog.objects.bulk_create(
            [
                MonthlyBacklog(month=month, queue=queue, assignee=assignee, count=n)
                for (month, queue, assignee), n in sorted(backlog.items())
                if n
            ],
            batch_size=BATCH_SIZE,
        )
    return done


def _create(counts: Iterable[tuple[Key, int]]) -> None:
    rows = [
        Tally(day=day, queue=queue, assignee=assignee, type=type_, **columns)
        for (day, queue, assignee, type_), columns in sorted(_by_row(counts).items())
    ]
    Tally.objects.bulk_create(rows, batch_size=BATCH_SIZE)
