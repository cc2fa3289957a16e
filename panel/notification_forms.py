"""The profile page's notification settings (S41)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import Kind


class NotificationSettingsForm(forms.Form):
    panel_kinds = forms.MultipleChoiceField(
        label=_("Tell me in the panel when"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mail_kinds = forms.MultipleChoiceField(
        label=_("Tell me by mail when"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
