"""Text as the index sees it: the same words for the index and for a query, on both databases.

Neither SQLite's tokenizer nor PostgreSQL's parser is trusted to split and fold
words: they do it differently (PostgreSQL keeps ``anna@example.com`` as one
token, SQLite splits it; neither splits Chinese or Japanese text at all). So
Python does it, once, here, and the databases only store and look up the
tokens it makes:

- NFKC first (full-width letters, ligatures, half-width katakana become plain);
- words are runs of letters, digits and combining marks (``_`` and every
  punctuation mark separate them, so an address is the words ``anna example com``);
- casefolded (``ß`` becomes ``ss``, ``Σ`` and ``ς`` both ``σ``), accents folded
  (``é`` → ``e``, ``ü`` → ``u``, ``ё`` → ``е``; ``й`` stays, it is a letter of
  its own in Russian), ``ø æ œ ł đ`` spelled plainly;
- Chinese, Japanese and Korean text, which has no spaces, is cut into
  overlapping pairs of characters (``退款申请`` → ``退款 款申 申请 请``): the last
  character of a run also stands alone, so that every single character starts
  a token and a one-character query is a prefix search;
- a word longer than ``MAX_TOKEN`` characters is cut there (PostgreSQL refuses
  lexemes over 2 KB; nobody types 60 letters to find one).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

MAX_TOKEN = 60

# Han (with extensions and compatibility ideographs), kana, Hangul, the
# iteration marks: scripts written without spaces between words.
_CJK_RANGES = (
    "\u1100-\u11ff"
    "\u2e80-\u2fdf"
    "\u3005-\u3007"
    "\u3021-\u3029"
    "\u3031-\u3035"
    "\u3038-\u303c"
    "\u3040-\u30ff"
    "\u3130-\u318f"
    "\u31c0-\u31ff"
    "\u3400-\u4dbf"
    "\u4e00-\u9fff"
    "\ua960-\ua97f"
    "\uac00-\ud7ff"
    "\uf900-\ufaff"
    "\uff66-\uffdc"
    "\U00020000-\U0003134f"
)


def _marks() -> tuple[list[int], list[int]]:
    """Combining marks: (every one, the accents among them). Only the planes that
    hold marks are walked (about 40 ms, once per process)."""
    every, accents = [], []
    for code in (*range(0x30000), *range(0xE0000, 0xE0200)):
        category = unicodedata.category(chr(code))
        if category.startswith("M"):
            every.append(code)
            # Non-spacing and enclosing marks are accents (and vowel points).
            # Spacing marks (Devanagari vowel signs, ...) and the kana voicing
            # marks (ガ is not カ with an accent) belong to their letter.
            if category != "Mc" and code not in (0x3099, 0x309A):
                accents.append(code)
    return every, accents


_MARKS, _ACCENTS = _marks()


def _class_of(codes: list[int]) -> str:
    """A regular expression's class body of these characters, as ranges."""
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(
        re.escape(chr(start)) + ("-" + re.escape(chr(end)) if end > start else "")
        for start, end in ranges
    )


# Letters, digits and the marks that belong to them; "_" (which \w holds) is made
# a space first.
_WORD = re.compile(rf"[\w{_class_of(_MARKS)}]+")
# The same for ASCII text, where it is much faster.
_ASCII_WORD = re.compile("[a-z0-9]+")
_DROPPED = _class_of(_ACCENTS)
# A run of Chinese, Japanese or Korean characters (with accents on them, which
# folding drops), or a stretch of anything else.
_CJK_RUNS = re.compile(rf"[{_CJK_RANGES}][{_CJK_RANGES}{_DROPPED}]*|[^{_CJK_RANGES}]+")
_CJK_UNIT = re.compile(rf"[{_CJK_RANGES}][{_DROPPED}]*")
_CJK_SPANS = re.compile(rf"[{_CJK_RANGES}]+")
_CJK = re.compile(rf"[{_CJK_RANGES}]")
# Russian: й is a letter of its own, not и with an accent.
_SHORT_I = re.compile("([иИ])\u0306")
# Accents are dropped, a few letters spelled plainly.
_PLAIN = {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "ı": "i"}
_FOLDING: dict[int, str | None] = {
    **dict.fromkeys(_ACCENTS),
    **{ord(letter): plain for letter, plain in _PLAIN.items()},
}


def _pairs_of(chunk: str, start: int) -> Iterator[tuple[str, int, int]]:
    """The pairs of a run of Chinese, Japanese or Korean characters, and its last one
    alone: (folded text, start, end)."""
    units = list(_CJK_UNIT.finditer(chunk))
    for n, unit in enumerate(units):
        end = units[n + 1].end() if n + 1 < len(units) else unit.end()
        yield fold(chunk[unit.start() : end]), start + unit.start(), start + end


def fold(word: str) -> str:
    """One word (or a whole text) as the index keeps it: casefolded, accents off, NFC."""
    if word.isascii():
        return word.lower()
    word = unicodedata.normalize("NFKD", word.casefold())
    if "\u0306" in word:
        word = _SHORT_I.sub("й", word)
    # NFC again: NFKD took Hangul syllables apart into letters, which it puts back.
    return unicodedata.normalize("NFC", word.translate(_FOLDING))


def _pairs(run: re.Match[str]) -> str:
    chunk = run.group()
    return " " + " ".join(chunk[n : n + 2] for n in range(len(chunk))) + " "


def index_words(text: str) -> list[str]:
    """``words(text)``, fast: the text is folded whole and split by regular
    expressions, not word by word in Python (a rebuild folds every message).
    tests/search/test_text.py holds the two equal."""
    folded = fold(prepared(text))
    if folded.isascii():
        found = _ASCII_WORD.findall(folded)
    else:
        if _CJK.search(folded):
            folded = _CJK_SPANS.sub(_pairs, folded)
        found = _WORD.findall(folded.replace("_", " "))
    if max(map(len, found), default=0) > MAX_TOKEN:
        return [word[:MAX_TOKEN] for word in found]
    return found


def prepared(text: str) -> str:
    """The text the tokens' positions refer to (NFKC)."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


@dataclass(frozen=True)
class Token:
    """A word of ``prepared(text)``, folded, with where it stands there."""

    text: str
    start: int
    end: int
    #: cut from Chinese, Japanese or Korean text: a pair of characters, or the last one alone
    cjk: bool = False


def tokens(text: str) -> Iterator[Token]:
    """The tokens of a prepared text, in order."""
    for word in _WORD.finditer(text.replace("_", " ")):
        offset = word.start()
        for run in _CJK_RUNS.finditer(word.group()):
            chunk, start = run.group(), offset + run.start()
            if _CJK.match(chunk):
                for pair, pair_start, pair_end in _pairs_of(chunk, start):
                    yield Token(pair, pair_start, pair_end, cjk=True)
            else:
                folded = fold(chunk)[:MAX_TOKEN]
                if folded:
                    yield Token(folded, start, start + len(chunk))


def words(text: str) -> list[str]:
    """The folded tokens of any text, in order."""
    return [token.text for token in tokens(prepared(text))]


def query_groups(text: str) -> list[tuple[tuple[str, ...], bool]]:
    """The tokens a typed term looks for, in groups that must stand together.

    ``(tokens, cjk)``: the words of a Latin, Cyrillic, ... stretch form one
    group (``anna@example.com`` is the phrase ``anna example com``); each run
    of Chinese, Japanese or Korean text is a group of its pairs of characters,
    without the lone last character the index adds (it would stand between
    the pairs and what follows), or a single character alone.
    """
    groups: list[tuple[tuple[str, ...], bool]] = []
    plain: list[str] = []
    for word in _WORD.finditer(prepared(text).replace("_", " ")):
        for run in _CJK_RUNS.finditer(word.group()):
            chunk = run.group()
            if not _CJK.match(chunk):
                folded = fold(chunk)[:MAX_TOKEN]
                if folded:
                    plain.append(folded)
                continue
            if plain:
                groups.append((tuple(plain), False))
                plain = []
            pairs = [pair for pair, _start, _end in _pairs_of(chunk, 0)]
            groups.append((tuple(pairs[:-1] or pairs), True))
    if plain:
        groups.append((tuple(plain), False))
    return groups
