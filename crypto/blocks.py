"""Armored PGP messages inside a message's text: where they are, and the text without them.

The blocks are found as mail/body.py ``find_pgp_blocks`` finds them (one pass;
the last BEGIN before an END starts the block), so a block's number here is
its number there.
"""

from __future__ import annotations

BEGIN = "-----BEGIN PGP MESSAGE-----"
END = "-----END PGP MESSAGE-----"


def segments(text: str) -> list[tuple[str, bool]]:
    """The text in order as (piece, is_block) pairs."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    searched = 0
    while (start := text.find(BEGIN, searched)) >= 0:
        end = text.find(END, start)
        if end < 0:
            break
        start = text.rfind(BEGIN, start, end)
        if start > position:
            pieces.append((text[position:start], False))
        stop = end + len(END)
        pieces.append((text[start:stop], True))
        position = searched = stop
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces


def has_blocks(text: str) -> bool:
    return BEGIN in text and END in text


def blocks(text: str) -> list[str]:
    return [piece for piece, is_block in segments(text) if is_block]


def without_blocks(text: str, marker: str = "") -> str:
    """The text with each block replaced by ``marker`` (for the search index, quotes)."""
    if not has_blocks(text):
        return text
    return "".join(marker if is_block else piece for piece, is_block in segments(text))


#: Names of files encrypted one by one (inline PGP mail, a file sent by hand).
ENCRYPTED_SUFFIXES = (".pgp", ".gpg", ".asc")


def is_encrypted_name(filename: str) -> bool:
    return filename.lower().endswith(ENCRYPTED_SUFFIXES)
