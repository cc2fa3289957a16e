"""Which charset unlabelled 8-bit text is in, when a detector alone guesses wrong.

A detector reads statistics that short texts (a subject, a two-line body) do
not have: six Chinese characters in GB2312 come out as Korean, a Russian
subject read with the body's latin-1 label comes out as "Ïðîáëåìà". Each
candidate charset's reading is scored for what mis-decoded text looks like:
control and unassigned characters, symbols where letters should be, words
mixing scripts (Latin with Cyrillic, Hangul with Han), Latin words made
mostly of accented letters, and capitals after small letters. The preferred
charsets (the detector's, then the caller's hint) win unless another reads
clearly better.
"""

from __future__ import annotations

import unicodedata

# What mail is written in, most used first.
CANDIDATES = (
    "cp1252",
    "cp1251",
    "gb18030",
    "cp932",
    "cp949",
    "koi8_r",
    "cp1250",
    "big5hkscs",
    "euc_jp",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "cp874",
    "koi8_u",
)
_SAMPLE_BYTES = 8 * 1024
# How much less implausible (per non-ASCII character) another reading must be.
_MARGIN = 0.1
# Cyrillic in KOI8-R read as cp1251 (and back) swaps small and capital letters.
_MOSTLY_CAPITALS = 0.7
_MIN_CASED = 6
_CJK_SCRIPTS = {"CJK", "HIRAGANA", "KATAKANA", "IDEOGRAPHIC", "FULLWIDTH", "HALFWIDTH"}
_ALLOWED_MIXES = ({"CJK", "LATIN"},)
_LATIN_END = 0x300
_HALF_WIDTH_KANA_START, _HALF_WIDTH_KANA_END = 0xFF66, 0xFF9F


def best(data: bytes, preferred: list[str]) -> str | None:
    """The charset that reads ``data`` most plausibly; None when none reads it."""
    sample = data[:_SAMPLE_BYTES]
    order: list[str] = []
    for codec in [*preferred, *CANDIDATES]:
        if codec and codec not in order:
            order.append(codec)
    scored: list[tuple[float, str]] = []
    for codec in order:
        text = _decode_sample(sample, codec, cut=len(data) > len(sample))
        if text is not None:
            scored.append((implausibility(text), codec))
    if not scored:
        return None
    first_score, first = scored[0]
    lowest, winner = min(scored, key=lambda item: item[0])
    return winner if lowest + _MARGIN <= first_score else first


def implausibility(text: str) -> float:
    """How much ``text`` looks mis-decoded, per non-ASCII character (0 for clean text)."""
    penalty = 0.0
    non_ascii = capitals = cased = 0
    for word in text.split():
        if word.isascii():
            continue
        scripts: set[str] = set()
        letters = accented = 0
        seen_lower = False
        previous = ""
        for character in word:
            if character.isascii():
                if character.isalpha():
                    letters += 1
                    scripts.add("LATIN")
                    if character.isupper() and seen_lower:
                        penalty += 0.5
                    seen_lower = seen_lower or character.islower()
                continue
            non_ascii += 1
            category = unicodedata.category(character)
            if category[0] == "C" or character == "\ufffd":
                penalty += 3
            elif category[0] == "L":
                letters += 1
                if _HALF_WIDTH_KANA_START <= ord(character) <= _HALF_WIDTH_KANA_END:
                    penalty += 1  # cp932's reading of 8-bit Cyrillic and other single bytes
                script = _script(character)
                scripts.add(script)
                if script == "LATIN":
                    accented += 1
                if category == "Lu" and seen_lower:
                    penalty += 1
                seen_lower = seen_lower or category == "Ll"
                if category in ("Lu", "Ll"):
                    cased += 1
                    capitals += category == "Lu"
            elif category in ("So", "Sm", "Sk", "No") and ord(character) < _LATIN_END:
                penalty += 1  # "³¹¬": symbols where a single-byte reading lost letters
            elif character in "¦¨ª¯´¸º":
                penalty += 1
            elif category[0] == "P" and previous.isalpha() and character not in "、。，・":
                penalty += 0.5  # "Za¿ó": punctuation inside a word
            previous = character
        if len(scripts) > 1 and scripts not in _ALLOWED_MIXES:
            penalty += 2
        if accented >= 3 and accented >= 0.8 * letters:
            penalty += accented  # "Ïðîáëåìà": a Latin word of accented letters only
    if cased >= _MIN_CASED and capitals > _MOSTLY_CAPITALS * cased:
        penalty += 0.5 * capitals
    return penalty / max(1, non_ascii)


def _script(character: str) -> str:
    name = unicodedata.name(character, "")
    script = name.split(" ", 1)[0]
    return "CJK" if script in _CJK_SCRIPTS else script


def _decode_sample(sample: bytes, codec: str, *, cut: bool) -> str | None:
    # A sample cut from longer text may end inside a multibyte character.
    for trim in range(4 if cut else 1):
        try:
            return sample[: len(sample) - trim].decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return None
