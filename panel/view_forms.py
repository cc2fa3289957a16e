"""Forms of saved views: save a search under a name, rename and share a view."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from panel.forms import PanelForm
from panel.models import VIEW_QUERY_MAX_CHARS
from panel.saved_views import MAX_NAME


class SavedViewForm(PanelForm):
    name = forms.CharField(max_length=MAX_NAME, label=_("Name of the view"))
    shared = forms.BooleanField(
        required=False,
        label=_("Share with the team"),
        help_text=_("Everybody sees it in their navigation, each with their own tickets."),
    )

    def __init__(self, *args: Any, may_share: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_share:
            del self.fields["shared"]


class NewViewForm(SavedViewForm):
    # The search as the results page wrote it (tickets/criteria.py to_querystring).
    query = forms.CharField(
        required=False, max_length=VIEW_QUERY_MAX_CHARS, widget=forms.HiddenInput
    )

    field_order = ["name", "shared", "query"]
