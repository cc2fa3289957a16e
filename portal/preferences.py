"""The portal's *My settings*: a customer's language and time zone (accounts/preferences.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts import preferences
from frontdesk.widgets import QuickSelect

#: The regions of ``preferences.REGIONS`` as the time zone list groups them.
REGION_NAMES = {
    "Africa": _("Africa"),
    "America": _("America"),
    "Antarctica": _("Antarctica"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific"),
}


def time_zone_choices() -> list[tuple[Any, Any]]:
    """UTC, then the zones grouped by region and named by their city ("Berlin")."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for zone in preferences.time_zones():
        region, _slash, place = zone.partition("/")
        if place:
            groups.setdefault(region, []).append((zone, place.replace("_", " ")))
    return [
        ("", _("The help desk's time zone (%(zone)s)") % {"zone": settings.TIME_ZONE}),
        ("UTC", "UTC"),
        *((REGION_NAMES[region], places) for region, places in groups.items()),
    ]


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        help_text=_("Of the portal, the help centre and our mail to you."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("Dates and times on these pages and in our mail to you are shown in it."),
        # About 500 zones in groups: written in Python, not a template per option.
        widget=QuickSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        time_zone = self.fields["time_zone"]
        assert isinstance(language, forms.ChoiceField)
        assert isinstance(time_zone, forms.ChoiceField)
        language.choices = [
            ("", _("As my browser says")),
            *settings.LANGUAGES,
        ]
        time_zone.choices = time_zone_choices()
