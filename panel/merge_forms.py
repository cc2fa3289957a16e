"""Forms of merging and splitting tickets on the ticket page (S43)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from panel.forms import PanelForm, VersionedForm

#: The panel's ticket numbers (panel/urls.py ``TicketNumber``) have at most 18 digits.
NUMBER_DIGITS = 18


class MergeIntoForm(PanelForm):
    """The ticket page's "Merge into…": the other ticket's number, "#1042" or "1042"."""

    into = forms.CharField(
        label=_("Merge into ticket number"),
        max_length=NUMBER_DIGITS + 1,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def clean_into(self) -> int:
        text = self.cleaned_data["into"].strip().removeprefix("#")
        if not text.isdigit() or not 0 < len(text) <= NUMBER_DIGITS or int(text) == 0:
            raise forms.ValidationError(_("Enter a ticket number, e.g. 1042."))
        return int(text)


class ConfirmMergeForm(VersionedForm):
    """The confirm page: both tickets as the person saw them."""

    into = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    expected_into_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
