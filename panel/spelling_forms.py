"""The spellcheck's parts of the Settings page and of My Profile."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from spelling import choices
from spelling.dictionaries import installed
from spelling.languages import LANGUAGES


class OfferedLanguagesForm(forms.Form):
    languages = forms.MultipleChoiceField(
        label=_("Languages of the spellcheck"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Staff choose among these when they check an answer."),
        error_messages={"required": _("Offer at least one language.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "spelling")
        super().__init__(*args, **kwargs)
        field = self.fields["languages"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(code, name) for code, name in LANGUAGES.items() if code in installed()]
        if not self.is_bound:
            self.initial = {"languages": choices.offered_languages()}


class MyLanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Spellcheck language"),
        help_text=_(
            "Answers are checked in this language, unless the customer's last message is in "
            "another language offered."
        ),
    )

    def __init__(self, *args: Any, initial_language: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "spelling")
        super().__init__(*args, **kwargs)
        field = self.fields["language"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(code, LANGUAGES[code]) for code in choices.offered_languages()]
        if initial_language:
            self.initial = {"language": initial_language}
