"""The spellcheck's parts of the ticket page, the Settings page and My Profile."""

from __future__ import annotations

from typing import Any

from django import template

from panel.spelling_forms import MyLanguageForm, OfferedLanguagesForm
from spelling import choices

register = template.Library()


@register.simple_tag(takes_context=True)
def answer_languages(context: Any) -> choices.AnswerLanguages:
    """The answer's languages; the customer's last message (of the thread the page
    shows, read through the visibility rule by its view) suggests one."""
    customer_text = ""
    for message in context.get("thread") or ():
        if message.kind == "customer":
            customer_text = message.text
    return choices.for_answer(context["request"].user, customer_text)


@register.simple_tag(takes_context=True)
def offered_languages_form(context: Any) -> OfferedLanguagesForm:
    return context.get("spelling_form") or OfferedLanguagesForm()


@register.simple_tag(takes_context=True)
def my_language_form(context: Any) -> MyLanguageForm:
    user = context["request"].user
    return MyLanguageForm(initial_language=choices.default_language(user))
