"""Which words of an answer are checked: the prose, not quotes, addresses or code.

What is not prose is blanked out first (every character but line ends becomes a
space), so the words found afterwards keep their places in the original text.
Places count characters (code points), as ``Array.from`` does in the browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

#: The parts of a text that are never checked, blanked out in this order.
NOT_PROSE = (
    # Fenced code: ``` or ~~~ up to the closing fence (or the end of the text).
    re.compile(r"^[ \t]*(```|~~~).*?(?:^[ \t]*\1[ \t]*$|\Z)", re.MULTILINE | re.DOTALL),
    # Quoted lines of the customer's message ("> ...").
    re.compile(r"^[ \t]*>.*$", re.MULTILINE),
    # Indented code: four spaces or a tab.
    re.compile(r"^(?: {4}|\t).*$", re.MULTILINE),
    # Code in a line: `…`.
    re.compile(r"`[^`\n]+`"),
    # Addresses: with a scheme, starting with www., e-mail, then bare host names.
    re.compile(r"\b(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)\S+", re.IGNORECASE),
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    re.compile(r"\b(?:[\w-]+\.)+[a-z]{2,24}\b(?:/\S*)?"),
    # Ticket numbers: #123.
    re.compile(r"#\d+\b"),
)

#: A word: letters, with apostrophes and hyphens inside (don't, l'homme, E-Mail).
WORD = re.compile(r"\w+(?:['’-]\w+)*")

#: Longer than any word of a dictionary: a hash, a token, a pasted key.
LONGEST_WORD = 60


@dataclass(frozen=True)
class Word:
    text: str
    start: int
    end: int


def blank(text: str) -> str:
    """``text`` with what is not prose replaced by spaces, line ends kept."""
    for pattern in NOT_PROSE:
        text = pattern.sub(lambda match: re.sub(r"[^\n]", " ", match.group()), text)
    return text


def is_checked(word: str) -> bool:
    """Words with digits or underscores (v2, file_name), single letters, acronyms (HTTP)
    and inner capitals (iPhone, PostgreSQL: names and code) are left alone."""
    if len(word) < 2 or len(word) > LONGEST_WORD:
        return False
    if any(char.isdigit() or char == "_" for char in word):
        return False
    if word.isupper():
        return False
    return not any(char.isupper() for part in word.split("-") for char in part[1:])


def words(text: str) -> Iterator[Word]:
    """The words of ``text`` that a spellcheck looks at, in order."""
    for match in WORD.finditer(blank(text)):
        word = match.group()
        if is_checked(word):
            yield Word(word, match.start(), match.end())
