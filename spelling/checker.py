"""Checking a text in one language, suggestions for a word, and guessing a text's language.

Checking a word costs microseconds. Hunspell's suggestions cost 30-300 ms a word, so
suggestions come first from the words one typing slip away (a letter swapped,
missing, doubled or mistyped) that the dictionary knows, a few milliseconds a word,
and from hunspell only when there are none. A check makes the quick ones within a
time budget; the rest come back as ``None``, asked for one word at a time (the panel
does as the person looks at a word). Suggestions once made are kept per process.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from spelling import text as prose
from spelling.dictionaries import dictionary

#: How many suggestions a word gets.
SUGGESTIONS = 5
#: How long a check may spend on suggestions before it leaves them to be asked for.
SUGGESTION_BUDGET = 0.025
#: The letters a slip of the finger puts in a word, per language.
ALPHABETS = {
    "en_US": "abcdefghijklmnopqrstuvwxyz'",
    "de_DE": "abcdefghijklmnopqrstuvwxyzäöüß",
    "fr_FR": "abcdefghijklmnopqrstuvwxyzàâæçéèêëîïôœùûüÿ'",
    "es_ES": "abcdefghijklmnopqrstuvwxyzáéíñóúü",
    "ru_RU": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
}
#: The words a language guess reads: enough to tell, few enough to stay quick.
GUESS_WORDS = 150

_cache: OrderedDict[tuple[str, str], tuple[str, ...]] = OrderedDict()
_cache_lock = threading.Lock()
_CACHE_SIZE = 4096


@dataclass(frozen=True)
class Misspelling:
    word: str
    start: int
    end: int
    #: None: not computed yet (the budget ran out); ask ``suggest`` for the word.
    suggestions: tuple[str, ...] | None


def is_correct(word: str, language: str, accepted: Collection[str] = ()) -> bool:
    """``accepted`` holds the team's words, case-folded."""
    if word.casefold() in accepted:
        return True
    checker = dictionary(language)
    if checker.check(word):
        return True
    # A compound a dictionary does not list whole: each part is a word (Kunden-Nummer).
    parts = word.split("-")
    return len(parts) > 1 and all(
        part.casefold() in accepted or len(part) < 2 or checker.check(part) for part in parts
    )


def cached_suggestions(word: str, language: str) -> tuple[str, ...] | None:
    with _cache_lock:
        return _cache.get((language, word))


def slips(word: str, language: str) -> list[str]:
    """Every string one slip away from ``word``, the commonest slips first: two letters
    swapped, a letter missing, one too many, a wrong one."""
    letters = ALPHABETS.get(language, "")
    cuts = [(word[:at], word[at:]) for at in range(len(word) + 1)]
    swapped = [a + b[1] + b[0] + b[2:] for a, b in cuts if len(b) > 1 and b[0] != b[1]]
    missing = [a + letter + b for a, b in cuts for letter in letters]
    extra = [a + b[1:] for a, b in cuts if b]
    wrong = [a + letter + b[1:] for a, b in cuts if b for letter in letters if letter != b[0]]
    found = swapped + missing + extra + wrong
    if word[:1].isupper():
        found = [candidate[:1].upper() + candidate[1:] for candidate in found]
    return found


def quick_suggestions(
    word: str, language: str, deadline: float = math.inf
) -> tuple[str, ...] | None:
    """The dictionary's words one slip away from ``word`` (milliseconds: hundreds of
    look-ups); None when ``deadline`` (``time.perf_counter``) passes first."""
    candidates = [candidate for candidate in slips(word, language) if candidate != word]
    checker = dictionary(language)
    known: list[str] = []
    for start in range(0, len(candidates), 100):
        if time.perf_counter() > deadline:
            return None
        known += checker.known(candidates[start : start + 100])
    return tuple(dict.fromkeys(known))[:SUGGESTIONS]


def _keep(word: str, language: str, suggestions: tuple[str, ...]) -> None:
    with _cache_lock:
        _cache[(language, word)] = suggestions
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)


def suggest(word: str, language: str) -> tuple[str, ...]:
    """Up to ``SUGGESTIONS`` replacements for ``word``, best first."""
    found = cached_suggestions(word, language)
    if found is None:
        found = (
            quick_suggestions(word, language)
            or tuple(dict.fromkeys(s for s in dictionary(language).suggest(word) if s != word))[
                :SUGGESTIONS
            ]
        )
        _keep(word, language, found)
    return found


def check(
    text: str,
    language: str,
    *,
    accepted: Collection[str] = (),
    budget: float = SUGGESTION_BUDGET,
) -> list[Misspelling]:
    """The misspelled words of ``text``, in order, with suggestions as far as ``budget``
    (seconds) reaches; words the team accepted are no misspellings."""
    dictionary(language)  # opened before the clock starts: once per process
    verdicts: dict[str, bool] = {}
    found: list[Misspelling] = []
    deadline = time.perf_counter() + budget
    for word in prose.words(text):
        correct = verdicts.get(word.text)
        if correct is None:
            correct = verdicts[word.text] = is_correct(word.text, language, accepted)
        if correct:
            continue
        suggestions = cached_suggestions(word.text, language)
        if suggestions is None and time.perf_counter() < deadline:
            # Only the quick ones: hunspell's own are left to be asked for.
            suggestions = quick_suggestions(word.text, language, deadline) or None
            if suggestions:
                _keep(word.text, language, suggestions)
        found.append(Misspelling(word.text, word.start, word.end, suggestions))
    return found


#: The commonest words of each language, by the first part of its code: enough to tell a
#: customer's language from a sentence or two without opening a dictionary, each of
#: which costs a web worker 8 to 16 MB (five of them doubled a worker's memory).
COMMON_WORDS = {
    "en": frozenset(
        [
            "the",
            "a",
            "an",
            "and",
            "or",
            "to",
            "of",
            "in",
            "on",
            "for",
            "is",
            "are",
            "was",
            "be",
            "it",
            "this",
            "that",
            "you",
            "your",
            "my",
            "we",
            "our",
            "i",
            "me",
            "can",
            "could",
            "please",
            "would",
            "have",
            "has",
            "not",
            "with",
            "from",
            "at",
            "as",
            "but",
            "if",
            "will",
            "do",
            "does",
            "hello",
            "hi",
            "thanks",
            "thank",
            "yesterday",
            "today",
            "since",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "den",
            "dem",
            "und",
            "oder",
            "zu",
            "zum",
            "zur",
            "von",
            "vom",
            "im",
            "ist",
            "sind",
            "war",
            "sein",
            "es",
            "sie",
            "ihr",
            "ihre",
            "mein",
            "meine",
            "meinen",
            "wir",
            "unser",
            "ich",
            "mich",
            "mir",
            "kann",
            "können",
            "bitte",
            "würde",
            "haben",
            "hat",
            "nicht",
            "mit",
            "aus",
            "bei",
            "aber",
            "wenn",
            "wird",
            "guten",
            "tag",
            "hallo",
            "danke",
            "seit",
            "gestern",
            "heute",
            "mehr",
            "noch",
            "auch",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "un",
            "une",
            "et",
            "ou",
            "au",
            "aux",
            "du",
            "des",
            "dans",
            "sur",
            "pour",
            "est",
            "sont",
            "était",
            "être",
            "il",
            "elle",
            "ce",
            "cette",
            "vous",
            "votre",
            "mon",
            "ma",
            "mes",
            "nous",
            "notre",
            "je",
            "peut",
            "pouvez",
            "plaît",
            "avoir",
            "pas",
            "ne",
            "avec",
            "mais",
            "bonjour",
            "merci",
            "depuis",
            "hier",
            "aujourd",
            "plus",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "los",
            "las",
            "una",
            "y",
            "al",
            "del",
            "por",
            "para",
            "es",
            "son",
            "era",
            "ser",
            "está",
            "este",
            "esta",
            "usted",
            "su",
            "mi",
            "mis",
            "nosotros",
            "nuestro",
            "yo",
            "puede",
            "pueden",
            "favor",
            "tener",
            "tiene",
            "no",
            "con",
            "pero",
            "hola",
            "gracias",
            "desde",
            "ayer",
            "hoy",
            "más",
        ]
    ),
    "ru": frozenset(
        [
            "и",
            "в",
            "во",
            "не",
            "на",
            "я",
            "что",
            "он",
            "она",
            "оно",
            "мы",
            "вы",
            "они",
            "с",
            "со",
            "как",
            "а",
            "то",
            "все",
            "это",
            "так",
            "его",
            "но",
            "да",
            "к",
            "у",
            "же",
            "по",
            "за",
            "от",
            "из",
            "о",
            "об",
            "для",
            "мой",
            "моя",
            "мое",
            "моё",
            "мои",
            "ваш",
            "ваша",
            "здравствуйте",
            "спасибо",
            "пожалуйста",
            "помогите",
            "вчера",
            "сегодня",
        ]
    ),
}


def guess_language(text: str, languages: Iterable[str]) -> str | None:
    """The language of ``languages`` whose commonest words ``text`` uses most; None when
    the text has too few words, too few of any language's, or two tie. Languages
    without a list of common words are not guessed."""
    sample = [
        word.text.lower() for _, word in zip(range(GUESS_WORDS), prose.words(text), strict=False)
    ]
    if len(sample) < 2:
        return None
    hits = {
        language: sum(1 for word in sample if word in COMMON_WORDS[language[:2]])
        for language in languages
        if language[:2] in COMMON_WORDS
    }
    ranked = sorted(hits.items(), key=lambda item: item[1], reverse=True)
    if not ranked or ranked[0][1] < 2 or ranked[0][1] * 10 < len(sample) * 2:
        return None
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    return ranked[0][0]
