"""The reports' figures, kept current as tickets change (reports/facts.py), and ratings."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from tickets.models import Ticket, TicketType

#: Upper bounds (seconds) of the duration buckets; the last bucket has none.
BUCKET_BOUNDS: tuple[int, ...] = (
    15 * 60,
    60 * 60,
    4 * 3600,
    8 * 3600,
    24 * 3600,
    2 * 86400,
    4 * 86400,
    7 * 86400,
    14 * 86400,
    30 * 86400,
)
BUCKETS = len(BUCKET_BOUNDS) + 1


class Measure(models.TextChoices):
    RECEIVED = "received", "received"
    CLOSED = "closed", "closed"
    FIRST_RESPONSE = "first_response", "first response"
    RESOLUTION = "resolution", "resolution"
    # Service-level attainment (sla/): bucket MET or BREACHED, counted on the day of
    # the first answer, of each later answer to a customer's reply, of the close.
    FIRST_RESPONSE_TARGET = "sla_first_response", "first response target"
    NEXT_RESPONSE_TARGET = "sla_next_response", "next response target"
    RESOLUTION_TARGET = "sla_resolution", "resolution target"


#: The buckets of the attainment measures.
MET, BREACHED = 0, 1
#: The measures of ``AccountTally``.
ACCOUNT_MEASURES = (Measure.RECEIVED, Measure.CLOSED, Measure.FIRST_RESPONSE)


class TicketFact(models.Model):
    """One ticket as the roll-ups count it now; the difference to its new facts is
    what a change adds to and takes from ``Tally``.

    Ticket, queue and assignee are plain numbers, not foreign keys: a deleted
    ticket's counts are taken back by its ``deleted`` signal, which a cascade
    would go around (assignee 0: nobody).
    """

    number = models.BigIntegerField(primary_key=True)
    queue = models.BigIntegerField(default=0)
    assignee = models.BigIntegerField(default=0)
    type = models.CharField(max_length=10, blank=True)
    # None: a row only taken as a lock, counting nothing yet.
    created_day = models.DateField(null=True)
    closed_day = models.DateField(null=True)
    first_response_day = models.DateField(null=True)
    first_response_seconds = models.BigIntegerField(null=True)
    resolution_seconds = models.BigIntegerField(null=True)
    account = models.BigIntegerField(default=0)  # 0: no account
    # Service level (sla/): None where no target of a policy applied.
    first_response_met = models.BooleanField(null=True)
    resolution_met = models.BooleanField(null=True)
    #: Each answer to a customer's reply under a next-response target: [day, met].
    next_responses = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"#{self.number}"


#: The measures counted in buckets of time, and those counted met or breached.
DURATION_MEASURES = (Measure.FIRST_RESPONSE, Measure.RESOLUTION)
TARGET_MEASURES = (
    Measure.FIRST_RESPONSE_TARGET,
    Measure.NEXT_RESPONSE_TARGET,
    Measure.RESOLUTION_TARGET,
)


def column_of(measure: str, bucket: int) -> str:
    """The ``Tally`` column that counts a measure's bucket: ``received``,
    ``first_response_3``, ``first_response_met`` (of ``sla_first_response``)."""
    measure = str(measure)
    if measure in DURATION_MEASURES:
        return f"{measure}_{bucket}"
    if measure in TARGET_MEASURES:
        return f"{measure.removeprefix('sla_')}_{'met' if bucket == MET else 'breached'}"
    return measure


#: Every counting column of ``Tally``, each with its measure and bucket.
TALLY_COLUMNS: dict[str, tuple[str, int]] = {
    column_of(measure, bucket): (measure.value, bucket)
    for measure in Measure
    for bucket in (
        range(BUCKETS)
        if measure in DURATION_MEASURES
        else (MET, BREACHED)
        if measure in TARGET_MEASURES
        else (0,)
    )
}


class Tally(models.Model):
    """How many tickets of one day, queue, assignee and type were received, closed,
    first answered / resolved within each bucket of time, and met or breached each
    service-level target: a column for each (``TALLY_COLUMNS``).

    The reports page sums these rows, a few per day, instead of reading tickets.
    One row for all the measures, not one per measure and bucket: a desk's
    tickets of one day, queue, assignee and type are few, so a row a measure was
    seven times the rows for the page to sum (2.7 million rows for a million
    tickets, where this is 0.4 million).
    """

    day = models.DateField()
    queue = models.BigIntegerField()
    assignee = models.BigIntegerField()
    type = models.CharField(max_length=10, choices=TicketType.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "queue", "assignee", "type"], name="tally_key"),
        ]
        # The key's index (day, ...) serves an administrator's period; a supervisor's
        # queues, each a range of days here.
        indexes = [models.Index(fields=["queue", "day"], name="tally_queue_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.queue} {self.assignee} {self.type}"


for _column in TALLY_COLUMNS:
    # Written out by the loop: 30 counters of one kind, named by column_of().
    Tally.add_to_class(_column, models.IntegerField(default=0, db_default=0))


class MonthlyBacklog(models.Model):
    """Tickets of one queue and assignee received in a month less those closed in
    it: the backlog before a day is these rows' sum for the months before, plus
    the days of its own month from ``Tally``. A few rows a month, where the daily
    received and closed counts of every earlier day were a whole table to sum.
    """

    month = models.DateField()  # its first day
    queue = models.BigIntegerField()
    assignee = models.BigIntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "queue", "assignee"], name="monthly_backlog_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.queue} {self.assignee}: {self.count}"


class AccountTally(models.Model):
    """How many tickets of one account and queue were received, closed, or first
    answered within a bucket of time, on one day: the figures by account, which
    ``Tally`` (by assignee and type) would multiply by every account."""

    day = models.DateField()
    queue = models.BigIntegerField()
    account = models.BigIntegerField()
    measure = models.CharField(max_length=20, choices=Measure.choices)
    bucket = models.PositiveSmallIntegerField(default=0)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "queue", "account", "measure", "bucket"],
                name="account_tally_key",
            ),
            models.CheckConstraint(
                condition=Q(measure__in=[measure.value for measure in ACCOUNT_MEASURES]),
                name="account_tally_measure",
            ),
        ]
        # The key's index (day, queue, ...) serves the page's read of a period.

    def __str__(self) -> str:
        return f"{self.day} {self.account} {self.measure} {self.bucket}: {self.count}"


class Rating(models.Model):
    """A customer's "good" or "bad" for one closing of a ticket (its ``closed_at``).

    One per closing: the links of one closing notice change the same row.
    Queue and assignee are the ticket's at the closing, for reports by agent and queue.
    """

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="ratings")
    closed_at = models.DateTimeField()
    good = models.BooleanField()
    comment = models.TextField(blank=True, max_length=2000)
    queue = models.BigIntegerField()
    assignee = models.BigIntegerField()
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "closed_at"], name="rating_per_closing")
        ]
        indexes = [models.Index(fields=["created_at"], name="rating_created")]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {'good' if self.good else 'bad'}"
