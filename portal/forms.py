"""Forms of the customer portal's tickets. They check input; tickets/actions decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kb.suggestions import title_field_attrs
from panel.forms import MultipleFileField, check_sizes, without_control_characters
from tickets.files import IncomingFile
from tickets.models import HelpdeskSettings, Queue

#: Files one message may carry: a customer's screenshots, never a folder's worth.
MAX_FILES = 10

PRIORITIES = [
    ("low", gettext_lazy("Low")),
    ("normal", gettext_lazy("Normal")),
    ("high", gettext_lazy("High")),
]
PRIORITY_HINTS = {
    "low": gettext_lazy("A question, no hurry"),
    "normal": gettext_lazy("Something does not work as it should"),
    "high": gettext_lazy("Your service is down or you lose business"),
}


class PortalForm(forms.Form):
    def __init__(self, *args: Any, max_attachment_size: int, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # Nobody types control characters; a NUL is a server error on PostgreSQL.
        without_control_characters(self)
        self.max_attachment_size = max_attachment_size
        field = self.fields["attachments"]
        field.help_text = ngettext(
            "Up to %(count)d file, each up to %(size)s.",
            "Up to %(count)d files, each up to %(size)s.",
            MAX_FILES,
        ) % {"count": MAX_FILES, "size": filesizeformat(max_attachment_size)}
        # portal.js checks these as files are chosen, so nothing is posted to be refused;
        # it says why in the page's language with these ({count}, {name}... it fills in).
        field.widget.attrs.update(
            {
                "data-max-files": str(MAX_FILES),
                "data-max-size": str(max_attachment_size),
                # Translators: said in the browser; keep the words in braces as they are.
                "data-too-many": _("You chose {count} files; a message takes at most {most}."),
                # Translators: said in the browser; keep the words in braces as they are.
                "data-too-large": _("{name} is {size}; the largest file accepted is {largest}."),
                # Translators: the units of file sizes in the browser, separated by "|".
                "data-units": _("bytes|KB|MB"),
            }
        )

    def clean_attachments(self) -> list[IncomingFile]:
        files: list[IncomingFile] = self.cleaned_data["attachments"]
        if len(files) > MAX_FILES:
            raise ValidationError(
                ngettext(
                    "You chose %(count)d file; a message takes at most %(most)d. "
                    "Put several files into one zip archive, or send the rest in a reply.",
                    "You chose %(count)d files; a message takes at most %(most)d. "
                    "Put several files into one zip archive, or send the rest in a reply.",
                    len(files),
                )
                % {"count": len(files), "most": MAX_FILES}
            )
        return check_sizes(files, self.max_attachment_size)


class QueueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.portal_name or obj.name)


class NewTicketForm(PortalForm):
    title = forms.CharField(
        label=gettext_lazy("Subject"),
        max_length=255,
        help_text=gettext_lazy("A short summary, e.g. “Mail from my phone is not sent”."),
        # kb/suggestions.py: matching articles appear under it as it is typed (S37).
        widget=forms.TextInput(attrs={"spellcheck": "true", **title_field_attrs()}),
    )
    queue = QueueChoiceField(label=gettext_lazy("Topic"), queryset=Queue.objects.none())
    priority = forms.ChoiceField(
        label=gettext_lazy("Priority"),
        choices=PRIORITIES,
        initial="normal",
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=gettext_lazy("How can we help?"),
        help_text=gettext_lazy(
            "What happened, what you expected, and what you tried. "
            "Error messages and the address of the page help us most."
        ),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "true"}),
    )
    attachments = MultipleFileField(label=gettext_lazy("Attachments"))

    def __init__(self, *args: Any, queues: list[Queue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not queues:
            # Nothing offered: the ticket goes to the default queue.
            del self.fields["queue"]
            return
        field = self.fields["queue"]
        # Checked against these on posting; rendered from the list, with no second query.
        field.queryset = Queue.objects.filter(pk__in=[queue.pk for queue in queues])  # type: ignore[attr-defined]
        empty = [] if len(queues) == 1 else [("", _("Choose a topic"))]
        field.choices = [*empty, *((queue.pk, queue.portal_name or queue.name) for queue in queues)]  # type: ignore[attr-defined]

    def priority_options(self) -> list[tuple[Any, str]]:
        """Each radio button of the priority with a word on when to choose it."""
        return [(choice, str(PRIORITY_HINTS[choice.data["value"]])) for choice in self["priority"]]

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
        label=gettext_lazy("Your reply"),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "true"}),
    )
    attachments = MultipleFileField(label=gettext_lazy("Attachments"))
