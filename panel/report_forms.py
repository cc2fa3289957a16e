"""The reports page's filters: period, day or week, queue."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from panel.forms import PanelForm
from reports import queries
from reports.queries import Period

DEFAULT_DAYS = 30


class ReportFilterForm(PanelForm):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))
    by = forms.ChoiceField(
        label=_("Per"), required=False, choices=[("day", _("day")), ("week", _("week"))]
    )
    queue = forms.TypedChoiceField(label=_("Queue"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queue_field = self.fields["queue"]
        assert isinstance(queue_field, forms.TypedChoiceField)
        queue_field.choices = [
            ("", _("All queues")),
            *((queue.pk, queue.name) for queue in queries.filter_queues(user)),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("The period ends before it starts."))
            if end - start > queries.LONGEST:
                raise forms.ValidationError(_("A report covers at most two years."))
        return data

    def period(self) -> Period:
        """The period asked for; the last 30 days when nothing (or nothing valid) was."""
        data = self.cleaned_data if self.is_valid() else {}
        today: date = timezone.localdate()
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        return Period(
            start=start, end=end, by_week=data.get("by") == "week", queue=data.get("queue")
        )
