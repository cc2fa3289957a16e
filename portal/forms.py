"""Forms of the customer portal's tickets. They check input; tickets/actions decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from kb.suggestions import title_field_attrs
from panel.forms import MultipleFileField, check_sizes, without_control_characters
from tickets.files import IncomingFile
from tickets.models import HelpdeskSettings, Queue

#: Files one message may carry: a customer's screenshots, never a folder's worth.
MAX_FILES = 10

PRIORITIES = [
    ("low", "Low"),
    ("normal", "Normal"),
    ("high", "High"),
]
PRIORITY_HINTS = {
    "low": "A question, no hurry",
    "normal": "Something does not work as it should",
    "high": "Your service is down or you lose business",
}


class PortalForm(forms.Form):
    def __init__(self, *args: Any, max_attachment_size: int, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # Nobody types control characters; a NUL is a server error on PostgreSQL.
        without_control_characters(self)
        self.max_attachment_size = max_attachment_size
        field = self.fields["attachments"]
        field.help_text = (
            f"Up to {MAX_FILES} files, each up to {filesizeformat(max_attachment_size)}."
        )
        # portal.js checks these as files are chosen, so nothing is posted to be refused.
        field.widget.attrs.update(
            {"data-max-files": str(MAX_FILES), "data-max-size": str(max_attachment_size)}
        )

    def clean_attachments(self) -> list[IncomingFile]:
        files: list[IncomingFile] = self.cleaned_data["attachments"]
        if len(files) > MAX_FILES:
            raise ValidationError(
                f"You chose {len(files)} files; a message takes at most {MAX_FILES}. "
                "Put several files into one zip archive, or send the rest in a reply."
            )
        return check_sizes(files, self.max_attachment_size)


class QueueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.portal_name or obj.name)


class NewTicketForm(PortalForm):
    title = forms.CharField(
        label="Subject",
        max_length=255,
        help_text="A short summary, e.g. “Mail from my phone is not sent”.",
        # kb/suggestions.py: matching articles appear under it as it is typed (S37).
        widget=forms.TextInput(attrs={"spellcheck": "true", **title_field_attrs()}),
    )
    queue = QueueChoiceField(label="Topic", queryset=Queue.objects.none())
    priority = forms.ChoiceField(
        label="Priority", choices=PRIORITIES, initial="normal", widget=forms.RadioSelect
    )
    message = forms.CharField(
        label="How can we help?",
        help_text="What happened, what you expected, and what you tried. "
        "Error messages and the address of the page help us most.",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "true"}),
    )
    attachments = MultipleFileField(label="Attachments")

    def __init__(self, *args: Any, queues: list[Queue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not queues:
            # Nothing offered: the ticket goes to the default queue.
            del self.fields["queue"]
            return
        field = self.fields["queue"]
        # Checked against these on posting; rendered from the list, with no second query.
        field.queryset = Queue.objects.filter(pk__in=[queue.pk for queue in queues])  # type: ignore[attr-defined]
        empty = [] if len(queues) == 1 else [("", "Choose a topic")]
        field.choices = [*empty, *((queue.pk, queue.portal_name or queue.name) for queue in queues)]  # type: ignore[attr-defined]

    def priority_options(self) -> list[tuple[Any, str]]:
        """Each radio button of the priority with a word on when to choose it."""
        return [(choice, PRIORITY_HINTS[choice.data["value"]]) for choice in self["priority"]]

    def priority_number(self, desk: HelpdeskSettings) -> int:
        """The chosen word as the number the settings map it to (S6)."""
        numbers = {
            "low": desk.priority_low,
            "normal": desk.priority_normal,
            "high": desk.priority_high,
        }
        return numbers[self.cleaned_data["priority"]]


class ReplyForm(PortalForm):
    message = forms.CharField(
        label="Your reply",
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "true"}),
    )
    attachments = MultipleFileField(label="Attachments")
