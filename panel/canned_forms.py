"""Forms of canned replies and macros (canned/): what a person types and chooses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from canned.models import TEXT_MAX, TITLE_MAX, Assignment
from panel.forms import PanelForm, StaffChoiceField
from tickets.models import Queue, Status


class SharedField(forms.BooleanField):
    def __init__(self) -> None:
        super().__init__(
            required=False,
            label=_("Share with the team"),
            help_text=_(
                "Everybody on staff can use it; only supervisors and administrators change it."
            ),
        )


class CannedReplyForm(PanelForm):
    title = forms.CharField(max_length=TITLE_MAX, label=_("Title"))
    text = forms.CharField(
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        label=_("Text"),
        strip=False,
    )
    queue = forms.ModelChoiceField(
        queryset=Queue.objects.order_by("name"),
        required=False,
        label=_("Only on tickets of the queue"),
        empty_label=_("Every queue"),
    )
    shared = SharedField()

    def __init__(self, *args: Any, may_share: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_share:
            del self.fields["shared"]


class MacroForm(PanelForm):
    name = forms.CharField(max_length=TITLE_MAX, label=_("Name"))
    reply = forms.CharField(
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        label=_("Answer to send"),
        help_text=_("Sent to the customer as your answer; empty sends nothing."),
        strip=False,
    )
    status = forms.ChoiceField(
        choices=[("", _("Leave as it is")), *Status.choices], required=False, label=_("Status")
    )
    priority = forms.IntegerField(
        min_value=1,
        max_value=99,
        required=False,
        label=_("Priority"),
        help_text=_("1 to 99; empty leaves it as it is."),
    )
    queue = forms.ModelChoiceField(
        queryset=Queue.objects.order_by("name"),
        required=False,
        label=_("Move to the queue"),
        empty_label=_("Leave as it is"),
    )
    assignment = forms.ChoiceField(choices=Assignment.choices, required=False, label=_("Assign to"))
    assignee = StaffChoiceField(
        queryset=None, required=False, label=_("Staff member"), empty_label=_("nobody chosen")
    )
    shared = SharedField()

    def __init__(self, *args: Any, may_share: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].offer(self.initial.get("assignee"))  # type: ignore[attr-defined]
        if not may_share:
            del self.fields["shared"]
