"""Checking words in each language, and guessing a text's language (spelling/checker.py)."""

from __future__ import annotations

import pytest

from spelling import checker
from spelling.dictionaries import dictionary, installed
from spelling.languages import LANGUAGES

# A common misspelling in each language and the word it should have been.
KNOWN = [
    ("en_US", "I will recieve the parcel tomorrow.", "recieve", "receive"),
    ("de_DE", "Vielen Dank für Ihre Entschuldigug.", "Entschuldigug", "Entschuldigung"),
    ("fr_FR", "Bonjuor, merci pour votre message.", "Bonjuor", "Bonjour"),
    ("es_ES", "Muchas graicas por su mensaje.", "graicas", "gracias"),
    ("ru_RU", "Большое спосибо за ваше сообщение.", "спосибо", "спасибо"),
]


def test_every_language_of_the_spellcheck_has_its_dictionary_installed():
    assert installed() == frozenset(LANGUAGES)


@pytest.mark.parametrize(("language", "text", "wrong", "right"), KNOWN)
def test_a_misspelled_word_is_found_with_its_correction_suggested(language, text, wrong, right):
    found = checker.check(text, language, budget=10.0)
    assert [(m.word, text[m.start : m.end]) for m in found] == [(wrong, wrong)]
    assert found[0].suggestions is not None
    assert right in found[0].suggestions[:3]


@pytest.mark.parametrize(("language", "text", "wrong", "right"), KNOWN)
def test_the_corrected_text_has_no_mistakes(language, text, wrong, right):
    assert checker.check(text.replace(wrong, right), language) == []


@pytest.mark.parametrize(("language", "text", "wrong", "right"), KNOWN)
def test_hunspell_suggests_the_correction_too(language, text, wrong, right):
    assert right in dictionary(language).suggest(wrong)[:5]


def test_a_word_more_than_one_slip_away_gets_hunspells_suggestions():
    assert checker.quick_suggestions("porfavor", "es_ES") == ()
    assert "por favor" in checker.suggest("porfavor", "es_ES")


def test_quick_suggestions_put_the_commonest_slips_first():
    the = checker.quick_suggestions("teh", "en_US")
    message = checker.quick_suggestions("mesage", "en_US")
    assert the is not None and the[0] == "the"
    assert message is not None and message[0] == "message"
    assert checker.quick_suggestions("Спосибо", "ru_RU") == ("Спасибо",)


def test_suggestions_for_one_word_are_kept_and_given_again():
    first = checker.suggest("tomorow", "en_US")
    assert first[0] == "tomorrow"
    assert checker.cached_suggestions("tomorow", "en_US") == first


def test_a_check_out_of_time_for_suggestions_still_finds_every_misspelling():
    text = "Teh quikc brwon foks jumpd ovr teh lazzy dgo."
    found = checker.check(text, "en_US", budget=0.0)
    words = ["Teh", "quikc", "brwon", "foks", "jumpd", "ovr", "teh", "lazzy", "dgo"]
    assert [m.word for m in found] == words
    # Nothing was computed; only what was cached before may come with them.
    cached = [checker.cached_suggestions(m.word, "en_US") for m in found]
    assert [m.suggestions for m in found] == cached


def test_places_count_characters_after_emoji_and_accents():
    text = "Thanks 👍🏽 — vielen Dank, ça va: recieve"
    (found,) = checker.check(text, "en_US", accepted={"vielen", "dank", "ça", "va"})
    assert list(text)[found.start : found.end] == list("recieve")


def test_team_words_are_accepted_in_any_case_and_language():
    text = "Frontdesk ersetzt Helpdeskly."
    assert [m.word for m in checker.check(text, "de_DE")] == ["Frontdesk", "Helpdeskly"]
    assert checker.check(text, "de_DE", accepted={"frontdesk", "helpdeskly"}) == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hello, my printer stopped working yesterday. Can you help me?", "en_US"),
        ("Guten Tag, mein Drucker druckt seit gestern nicht mehr. Können Sie helfen?", "de_DE"),
        ("Bonjour, mon imprimante ne marche plus depuis hier. Pouvez-vous m'aider?", "fr_FR"),
        ("Hola, mi impresora no funciona desde ayer. ¿Pueden ayudarme?", "es_ES"),
        ("Здравствуйте, мой принтер со вчерашнего дня не работает. Помогите?", "ru_RU"),
    ],
)
def test_the_language_of_a_message_is_guessed(text, language):
    assert checker.guess_language(text, list(LANGUAGES)) == language


def test_no_language_is_guessed_from_too_little_or_only_among_those_offered():
    assert checker.guess_language("Ok", list(LANGUAGES)) is None
    assert checker.guess_language("https://example.com #1234", list(LANGUAGES)) is None
    german = "Guten Tag, mein Drucker druckt nicht mehr."
    assert checker.guess_language(german, ["en_US", "fr_FR"]) is None
