"""The hunspell dictionaries, through enchant, opened once per process.

Opening a dictionary costs 80-170 ms, so each is kept. An enchant dictionary is not
safe to use from two threads at once: each has a lock, held for a word's check
(microseconds) or its suggestions (30-80 ms).
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

from spelling.languages import LANGUAGES

_opening = threading.Lock()
_open: dict[str, Dictionary] = {}


class DictionaryMissing(Exception):
    """The language's dictionary is not installed on this machine."""


class Dictionary:
    def __init__(self, enchant_dictionary: Any) -> None:
        self._dictionary = enchant_dictionary
        self._lock = threading.Lock()

    def check(self, word: str) -> bool:
        with self._lock:
            return bool(self._dictionary.check(word))

    def known(self, words: list[str]) -> list[str]:
        """Those of ``words`` the dictionary knows, in their order (one lock for all)."""
        with self._lock:
            return [word for word in words if self._dictionary.check(word)]

    def suggest(self, word: str) -> list[str]:
        with self._lock:
            return list(self._dictionary.suggest(word))


@cache
def _broker() -> Any:
    import enchant

    broker = enchant.Broker()
    # Debian's enchant prefers aspell for English (and its dictionaries differ from
    # hunspell's): hunspell for every language, so all are Debian's hunspell ones.
    for code in LANGUAGES:
        broker.set_ordering(code, "hunspell")
    return broker


def dictionary(code: str) -> Dictionary:
    """The dictionary of ``code``; ``DictionaryMissing`` when it is not installed."""
    found = _open.get(code)
    if found is not None:
        return found
    with _opening:
        found = _open.get(code)
        if found is None:
            if code not in installed():
                raise DictionaryMissing(code)
            found = _open[code] = Dictionary(_broker().request_dict(code))
    return found


@cache
def installed() -> frozenset[str]:
    """The languages whose dictionary this machine has (asked once per process); none
    without the enchant library (``make run`` installs it: libenchant-2-2)."""
    try:
        broker = _broker()
    except ImportError:
        return frozenset()
    return frozenset(code for code in LANGUAGES if broker.dict_exists(code))
