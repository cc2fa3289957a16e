"""The forms of the panel's service-level pages (administrators): calendars and policies."""

from __future__ import annotations

import re
import zoneinfo
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from frontdesk.widgets import QuickSelect
from panel.forms import PanelModelForm
from sla.models import WEEKDAYS, Calendar, Policy

_INTERVAL = re.compile(r"(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})")
_HOLIDAY = re.compile(r"(\d{4}-\d{2}-\d{2})\s*(.*)")


def parse_day(text: str) -> list[list[int]]:
    """ "09:00-12:00, 13:00-17:00" as minutes after midnight; empty: closed."""
    intervals: list[list[int]] = []
    for part in filter(None, (each.strip() for each in text.split(","))):
        match = _INTERVAL.fullmatch(part)
        if not match:
            raise ValidationError(_("Write hours as 09:00-17:00, several separated by commas."))
        start_h, start_m, end_h, end_m = map(int, match.groups())
        start, end = start_h * 60 + start_m, end_h * 60 + end_m
        if start_m > 59 or end_m > 59 or not 0 <= start < end <= 24 * 60:
            raise ValidationError(_("An interval ends after it starts, by 24:00 at the latest."))
        if intervals and start < intervals[-1][1]:
            raise ValidationError(_("Intervals follow one another without overlapping."))
        intervals.append([start, end])
    return intervals


def format_day(intervals: list[list[int]]) -> str:
    return ", ".join(
        f"{start // 60:02}:{start % 60:02}-{end // 60:02}:{end % 60:02}" for start, end in intervals
    )


class CalendarForm(PanelModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), widget=QuickSelect)
    holidays = forms.CharField(
        required=False,
        label=_("Holidays"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line: the date and a name, e.g. “2026-12-25 Christmas”."),
    )

    class Meta:
        model = Calendar
        fields = ["name", "time_zone"]
        labels = {"name": _("Name")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zones = sorted(zoneinfo.available_timezones())
        self.fields["time_zone"].choices = [(zone, zone) for zone in zones]  # type: ignore[attr-defined]
        hours = self.instance.weekly_hours
        for index, label in enumerate(WEEKDAYS):
            self.fields[f"day_{index}"] = forms.CharField(
                required=False,
                label=label,
                initial=format_day(hours[index]),
                help_text=_("e.g. 09:00-17:00; empty: closed."),
            )
        if self.instance.pk:
            self.initial.setdefault(
                "holidays",
                "\n".join(
                    f"{holiday.date.isoformat()} {holiday.name}".strip()
                    for holiday in self.instance.holidays.all()
                ),
            )

    def clean_holidays(self) -> list[tuple[date, str]]:
        found: dict[date, str] = {}
        for line in filter(
            None, (each.strip() for each in self.cleaned_data["holidays"].splitlines())
        ):
            match = _HOLIDAY.fullmatch(line)
            try:
                day = date.fromisoformat(match.group(1)) if match else None
            except ValueError:
                day = None
            if match is None or day is None:
                raise ValidationError(_("“%(line)s” is no date like 2026-12-25.") % {"line": line})
            found[day] = match.group(2).strip()[:100]
        return sorted(found.items())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        weekly = []
        for index in range(7):
            try:
                weekly.append(parse_day(data.get(f"day_{index}", "")))
            except ValidationError as error:
                self.add_error(f"day_{index}", error)
                weekly.append([])
        if not self.errors and not any(weekly):
            self.add_error(None, _("A calendar needs working hours on at least one day."))
        self.instance.weekly_hours = weekly
        return data


class PolicyForm(PanelModelForm):
    class Meta:
        model = Policy
        fields = [
            "queue",
            "lowest_priority",
            "highest_priority",
            "calendar",
            "first_response_minutes",
            "next_response_minutes",
            "resolution_minutes",
        ]
        labels = {
            "queue": _("Queue"),
            "lowest_priority": _("From priority"),
            "highest_priority": _("To priority"),
            "calendar": _("Business hours"),
            "first_response_minutes": _("First response (minutes)"),
            "next_response_minutes": _("Next response (minutes)"),
            "resolution_minutes": _("Resolution (minutes)"),
        }
        help_texts = {
            "calendar": _("Empty: every minute counts."),
            "first_response_minutes": _("Business minutes; empty: no target."),
            "next_response_minutes": _("After a customer's reply to an answer; empty: no target."),
            "resolution_minutes": _("Business minutes; empty: no target."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("lowest_priority", "highest_priority"):
            field = self.fields[name]
            field.validators.append(_in_range)
            field.widget.attrs.update(min=1, max=99)


def _in_range(value: int) -> None:
    if not 1 <= value <= 99:
        raise ValidationError(_("A priority is between 1 and 99."))
