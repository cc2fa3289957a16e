"""The forms of the API tokens page: a personal token, and an integration's."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.preferences import time_zone_of
from panel.forms import PanelForm
from tickets.models import Queue

#: A personal token is valid this long unless its maker chooses otherwise: a
#: forgotten token on an old laptop stops working by itself.
PERSONAL_TOKEN_DAYS = 90


def _in_personal_token_days() -> date:
    return timezone.localdate() + timedelta(days=PERSONAL_TOKEN_DAYS)


class PersonalTokenForm(PanelForm):
    # Both forms are on one page: their fields need ids of their own.
    prefix = "personal"

    name = forms.CharField(
        max_length=80,
        label=_("Name"),
        help_text=_("What uses it, e.g. “laptop scripts”."),
    )
    expires_on = forms.DateField(
        required=False,
        initial=_in_personal_token_days,
        label=_("Valid until"),
        help_text=_("Ninety days from today unless you change it; empty: it does not expire."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def expires_at(self, user: User) -> datetime | None:
        """The end of the chosen day in the person's time zone."""
        day: date | None = self.cleaned_data["expires_on"]
        if day is None:
            return None
        zone = time_zone_of(user) or zoneinfo.ZoneInfo(settings.TIME_ZONE)
        try:
            return datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
        except OverflowError:
            return None


class IntegrationTokenForm(PersonalTokenForm):
    prefix = "integration"

    queues = forms.ModelMultipleChoiceField(
        queryset=Queue.objects.order_by("name"),
        label=_("Queues"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("It sees and opens tickets in these queues only."),
    )
    can_write = forms.BooleanField(
        required=False,
        label=_("May change tickets"),
        help_text=_("Without it the integration only reads."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].help_text = _(
            "The integration's name, recorded on every change it makes, e.g. “billing”."
        )
        # An integration runs unattended: an expiry is the administrator's choice.
        self.fields["expires_on"].initial = None
        self.fields["expires_on"].help_text = _("Leave empty for a token that does not expire.")
