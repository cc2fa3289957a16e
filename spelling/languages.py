"""The languages the spellcheck knows: Debian's hunspell dictionaries, by code."""

from __future__ import annotations

#: Each language by its dictionary's code, named in its own language (a person looks
#: for "Deutsch", not for "German" in somebody else's words). The order is the menu's.
LANGUAGES: dict[str, str] = {
    "en_US": "English (US)",
    "de_DE": "Deutsch",
    "fr_FR": "Français",
    "es_ES": "Español",
    "ru_RU": "Русский",
}


def name_of(code: str) -> str:
    return LANGUAGES.get(code, code)
