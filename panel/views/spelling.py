"""The answer form's spellcheck (S36): the check, a word's suggestions, the team's
dictionary (JSON, for panel/static/panel/spelling.js), and the languages offered
(Settings) and chosen (My Profile)."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import audit
from panel.auth import StaffRequest, admin_required, staff_required
from panel.forms import SettingsForm, add_action_errors
from panel.spelling_forms import MyLanguageForm, OfferedLanguagesForm
from spelling import checker, choices
from spelling.dictionaries import DictionaryMissing
from spelling.models import WORD_MAX_LENGTH
from spelling.team import add_team_word, team_words
from tickets.models import HelpdeskSettings

#: The longest text checked at once: as long as an answer's draft may be.
MAX_TEXT_CHARS = 100_000
#: The request body before it is read: the text as JSON, escaped at worst.
MAX_BODY_BYTES = 6 * MAX_TEXT_CHARS + 1_000


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def json_endpoint(view: Callable[[StaffRequest], JsonResponse]) -> Callable[..., HttpResponse]:
    """A POST of a JSON object answered with JSON; bad input gets a 4xx that says why."""

    @wraps(view)
    def wrapper(request: StaffRequest) -> HttpResponse:
        try:
            return view(request)
        except Refused as refusal:
            return JsonResponse({"error": refusal.message}, status=refusal.status)
        except ValidationError as error:
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        except DictionaryMissing:
            message = _("The dictionary of this language is not installed.")
            return JsonResponse({"error": message}, status=503)

    return require_POST(staff_required(wrapper))


def posted(request: StaffRequest, *fields: str) -> dict[str, str]:
    """The named text fields of the request's JSON object."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > MAX_BODY_BYTES:
        raise Refused(413, _("The text is too long to check at once."))
    try:
        data: Any = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise Refused(400, _("Send a JSON object.")) from None
    if not isinstance(data, dict):
        raise Refused(400, _("Send a JSON object."))
    missing = [name for name in fields if not isinstance(data.get(name), str)]
    if missing:
        raise Refused(400, _("Missing text fields: %(names)s.") % {"names": ", ".join(missing)})
    return {name: data[name] for name in fields}


def offered_language(code: str) -> str:
    if code not in choices.offered_languages():
        raise Refused(400, _("This language is not offered."))
    return code


@json_endpoint
def check(request: StaffRequest) -> JsonResponse:
    data = posted(request, "text", "language")
    if len(data["text"]) > MAX_TEXT_CHARS:
        raise Refused(413, _("The text is too long to check at once."))
    language = offered_language(data["language"])
    found = checker.check(data["text"], language, accepted=team_words())
    misspellings = [
        {
            "word": wrong.word,
            "start": wrong.start,
            "end": wrong.end,
            "suggestions": None if wrong.suggestions is None else list(wrong.suggestions),
        }
        for wrong in found
    ]
    return JsonResponse({"language": language, "misspellings": misspellings})


@json_endpoint
def suggest(request: StaffRequest) -> JsonResponse:
    data = posted(request, "word", "language")
    word = data["word"]
    if not word or len(word) > WORD_MAX_LENGTH or any(char.isspace() for char in word):
        raise Refused(400, _("Send a single word."))
    language = offered_language(data["language"])
    return JsonResponse({"word": word, "suggestions": list(checker.suggest(word, language))})


@json_endpoint
def add_word(request: StaffRequest) -> JsonResponse:
    data = posted(request, "word")
    try:
        kept = add_team_word(actor=request.user, word=data["word"])
    except PermissionDenied:
        raise Refused(403, _("You may not do this.")) from None
    return JsonResponse({"word": kept.word}, status=201)


@require_POST
@admin_required
def offered_languages(request: StaffRequest) -> HttpResponse:
    form = OfferedLanguagesForm(request.POST)
    if form.is_valid():
        try:
            choices.set_offered_languages(
                actor=request.user,
                codes=form.cleaned_data["languages"],
                client_address=audit.address_of(request),
            )
        except ValidationError as error:
            add_action_errors(form, error)
    if form.errors:
        context = {
            "form": SettingsForm(instance=HelpdeskSettings.load()),
            "spelling_form": form,
        }
        return render(request, "panel/settings.html", context, status=422)
    messages.success(request, _("The spellcheck languages are saved."))
    return redirect("panel:settings")


@require_POST
@staff_required
def my_language(request: StaffRequest) -> HttpResponse:
    form = MyLanguageForm(request.POST)
    if form.is_valid():
        choices.set_default_language(user=request.user, code=form.cleaned_data["language"])
        messages.success(request, _("Your spellcheck language is saved."))
    else:
        messages.error(request, _("This language is not offered."))
    return redirect("panel:profile")
