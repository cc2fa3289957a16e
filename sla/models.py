"""Service levels: business-hours calendars, their holidays, and the policies of queues."""

from __future__ import annotations

import zoneinfo
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sla.business_time import Hours, Interval
from tickets.models import Queue

WEEKDAYS = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)


def check_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone."))


def check_weekly_hours(value: object) -> None:
    """Seven lists (Monday first) of [start, end] minutes after midnight, sorted, apart."""
    if not isinstance(value, list) or len(value) != 7:
        raise ValidationError(_("Weekly hours need seven days."))
    for day in value:
        end_before = -1
        if not isinstance(day, list):
            raise ValidationError(_("Each day is a list of intervals."))
        for interval in day:
            if (
                not isinstance(interval, list)
                or len(interval) != 2
                or not all(isinstance(each, int) for each in interval)
                or not 0 <= interval[0] < interval[1] <= 24 * 60
                or interval[0] < end_before
            ):
                raise ValidationError(_("Intervals run forward within a day and do not overlap."))
            end_before = interval[1]


def office_hours() -> list[list[list[int]]]:
    """Monday to Friday, 09:00–17:00."""
    return [[[9 * 60, 17 * 60]] for _ in range(5)] + [[], []]


class Calendar(models.Model):
    """Business hours: weekly intervals in one time zone, less the holidays."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[check_time_zone]
    )
    #: Monday first: seven lists of [start, end] minutes after local midnight.
    weekly_hours = models.JSONField(
        _("weekly hours"), default=office_hours, validators=[check_weekly_hours]
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def hours(self, holidays: frozenset[date] | None = None) -> Hours:
        if holidays is None:
            holidays = frozenset(self.holidays.values_list("date", flat=True))
        weekly: list[tuple[Interval, ...]] = [
            tuple((start, end) for start, end in day) for day in self.weekly_hours
        ]
        return Hours(
            zone=zoneinfo.ZoneInfo(self.time_zone), weekly=tuple(weekly), holidays=holidays
        )


class Holiday(models.Model):
    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="holiday_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}".strip()


class Policy(models.Model):
    """Targets for the tickets of one queue whose priority is within a band, in
    business minutes of a calendar (every minute counts without one); an empty
    target is no target."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="service_levels")
    lowest_priority = models.PositiveSmallIntegerField(_("lowest priority"), default=1)
    highest_priority = models.PositiveSmallIntegerField(_("highest priority"), default=99)
    calendar = models.ForeignKey(
        Calendar,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policies",
        verbose_name=_("calendar"),
    )
    first_response_minutes = models.PositiveIntegerField(
        _("first response"), null=True, blank=True, help_text=_("Business minutes.")
    )
    next_response_minutes = models.PositiveIntegerField(
        _("next response"),
        null=True,
        blank=True,
        help_text=_("Business minutes after a customer's reply to an answer."),
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution"), null=True, blank=True, help_text=_("Business minutes.")
    )

    class Meta:
        ordering = ["queue__name", "-highest_priority"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lowest_priority__gte=1)
                & Q(highest_priority__lte=99)
                & Q(lowest_priority__lte=F("highest_priority")),
                name="policy_priority_band",
            )
        ]
        verbose_name_plural = "policies"

    def __str__(self) -> str:
        return f"{self.queue} {self.lowest_priority}–{self.highest_priority}"

    def clean(self) -> None:
        if self.lowest_priority > self.highest_priority:
            raise ValidationError({"highest_priority": _("The band ends below where it starts.")})
        overlapping = Policy.objects.filter(
            queue_id=self.queue_id,
            lowest_priority__lte=self.highest_priority,
            highest_priority__gte=self.lowest_priority,
        ).exclude(pk=self.pk)
        if self.queue_id and overlapping.exists():
            raise ValidationError(
                {"lowest_priority": _("Another policy of this queue covers these priorities.")}
            )
