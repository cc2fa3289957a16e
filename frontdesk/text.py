"""Characters nobody sees: control characters taken out of input, direction marks shown.

PostgreSQL refuses NUL in text and SQLite ends a LIKE pattern at it (so a
search for it matches everything); other control characters only hide in what
people read. Bidirectional controls reorder what follows them, so
``invoice\\u202efdp.exe`` reads "invoiceexe.pdf": file names lose them, other
names show them as a visible marker.
"""

from __future__ import annotations

import re

# C0 controls and DEL, but tab, line feed and carriage return, which text may hold.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_CONTROLS = re.compile("[\t\n\r]+")
# A lone surrogate cannot be encoded for any database.
_SURROGATES = re.compile("[\ud800-\udfff]")

#: Marks and embeddings, overrides and isolates of the Unicode bidirectional algorithm.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
_MARKER = re.compile(r"⟨U\+([0-9A-F]{4})⟩")


def without_controls(text: str) -> str:
    """The text without control characters (tab and line breaks stay)."""
    return _SURROGATES.sub("\ufffd", _CONTROLS.sub("", text))


def one_line(text: str) -> str:
    """The text without control characters, tabs and line breaks becoming spaces."""
    return _LINE_CONTROLS.sub(" ", without_controls(text))


def without_bidi_controls(text: str) -> str:
    return _BIDI.sub("", text)


def marker(character: str) -> str:
    return f"⟨U+{ord(character):04X}⟩"


def visible_controls(text: str) -> str:
    """Each bidirectional control as a visible marker such as ⟨U+202E⟩."""
    return _BIDI.sub(lambda match: marker(match.group()), text)


def restore_controls(text: str) -> str:
    """The inverse of ``visible_controls``: a field that showed markers saves what it showed."""

    def character(match: re.Match[str]) -> str:
        found = chr(int(match.group(1), 16))
        return found if found in BIDI_CONTROLS else match.group()

    return _MARKER.sub(character, text)
