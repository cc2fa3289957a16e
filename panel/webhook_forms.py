"""The form of the panel's Webhooks pages (administrators)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from panel.forms import PanelModelForm
from webhooks import registry
from webhooks.models import EventKind, Webhook, new_secret


class WebhookForm(PanelModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=2000,
        assume_scheme="https",
        help_text=_("http or https; redirects are not followed."),
    )
    event_kinds = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Each delivery is one event; a change may make several."),
    )
    new_secret = forms.BooleanField(
        label=_("Make a new secret"),
        required=False,
        help_text=_("The receiver must then verify with the new one."),
    )

    class Meta:
        model = Webhook
        fields = ["name", "url", "event_kinds", "is_active", "allow_private_addresses"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # A new webhook gets its secret when it is made.
            del self.fields["new_secret"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        url = cleaned.get("url")
        if url:
            try:
                registry.check_target(
                    url, allow_private=bool(cleaned.get("allow_private_addresses"))
                )
            except forms.ValidationError as refusal:
                self.add_error(None, refusal)
        return cleaned

    def save(self, commit: bool = True) -> Webhook:
        webhook: Webhook = super().save(commit=False)
        if self.cleaned_data.get("new_secret"):
            webhook.secret = new_secret()
        if commit:
            webhook.save()
        return webhook


class DeleteWebhookForm(forms.Form):
    """Nothing to choose: the button confirms."""
