"""ISO-2022-JP as Japanese mail writes it, Windows' extensions included (CP50220/CP50221).

Python's ``iso2022_jp`` codecs know JIS X 0208 and JIS X 0212 but not the NEC
special characters (row 13: ①, ㈱, №, Ⅲ...) nor the NEC-selected IBM rows that
Outlook and other Windows mailers send under the ISO-2022-JP label, and they
refuse the whole text for one such character. ``decode`` reads the escape
sequences itself and decodes each JIS X 0208 run through Shift_JIS with cp932,
which holds every one of those characters; half-width katakana (``ESC ( I``
and SO/SI) are read too. Unlabelled text is recognised by its escape sequences.
"""

from __future__ import annotations

import re

_ESCAPES = {
    b"\x1b(B": "ascii",
    b"\x1b(J": "ascii",  # JIS X 0201 Roman: ASCII but for yen and overline
    b"\x1b(H": "ascii",  # an old, wrong spelling of the above
    b"\x1b(I": "kana",
    b"\x1b$@": "jis",
    b"\x1b$B": "jis",
    b"\x1b&@\x1b$B": "jis",  # JIS X 0208-1990 announcer
    b"\x1b$(B": "jis",
    b"\x1b$(Q": "jis",  # JIS X 0213 plane 1: its JIS X 0208 part is what senders use
    b"\x1b$(D": "jis0212",
}
_ESCAPE = re.compile(b"|".join(re.escape(sequence) for sequence in sorted(_ESCAPES, key=len)[::-1]))
# A text is ISO-2022-JP when it switches to a two-byte set somewhere.
_SIGNATURE = re.compile(rb"\x1b\$[@B]|\x1b\$\([BDQ]|\x1b\(I")
_SHIFT_OUT, _SHIFT_IN = 0x0E, 0x0F


def looks_like(data: bytes) -> bool:
    """7-bit bytes holding ISO-2022-JP escape sequences."""
    return data.isascii() and _SIGNATURE.search(data) is not None


def decode(data: bytes) -> tuple[str, int]:
    """The text of ISO-2022-JP bytes, and how many characters could not be read."""
    pieces: list[str] = []
    bad = 0
    mode = "ascii"
    position = 0
    for escape in [*_ESCAPE.finditer(data), None]:
        end = escape.start() if escape is not None else len(data)
        text, run_bad = _run(data[position:end], mode)
        pieces.append(text)
        bad += run_bad
        if escape is None:
            break
        mode = _ESCAPES[escape.group(0)]
        position = escape.end()
    return "".join(pieces), bad


def _run(chunk: bytes, mode: str) -> tuple[str, int]:
    if not chunk:
        return "", 0
    if mode == "ascii":
        return _ascii_with_shifts(chunk)
    if mode == "kana":
        return _kana(chunk), 0
    pieces: list[str] = []
    bad = 0
    # Line breaks inside a two-byte run are broken mail; keep them as line breaks.
    for number, line in enumerate(re.split(rb"(\r?\n)", chunk)):
        if number % 2:
            pieces.append(line.decode("ascii"))
        elif line:
            text = _two_byte(line) if mode == "jis" else _jis0212(line)
            bad += text.count("\ufffd")
            pieces.append(text)
    return "".join(pieces), bad


def _ascii_with_shifts(chunk: bytes) -> tuple[str, int]:
    """ASCII, with SO ... SI runs of half-width katakana (CP50221)."""
    if _SHIFT_OUT not in chunk:
        return chunk.decode("ascii", errors="replace"), 0
    pieces: list[str] = []
    for number, run in enumerate(re.split(rb"[\x0e\x0f]", chunk)):
        pieces.append(_kana(run) if number % 2 else run.decode("ascii", errors="replace"))
    return "".join(pieces), 0


def _kana(chunk: bytes) -> str:
    return bytes(byte | 0x80 if 0x21 <= byte <= 0x5F else byte for byte in chunk).decode(
        "cp932", errors="replace"
    )


def _two_byte(chunk: bytes) -> str:
    shift_jis = bytearray()
    for index in range(0, len(chunk) - 1, 2):
        first, second = chunk[index], chunk[index + 1]
        if not (0x21 <= first <= 0x7E and 0x21 <= second <= 0x7E):
            shift_jis += b"\x81\x45"  # a middle dot stands for a pair that is no JIS
            continue
        lead = (first + 1) // 2 + (0x70 if first <= 0x5E else 0xB0)
        # Odd rows take the lower half of the trail byte range, even rows the upper.
        trail = second + (0x1F if second <= 0x5F else 0x20) if first % 2 else second + 0x7E
        shift_jis += bytes((lead, trail))
    text = bytes(shift_jis).decode("cp932", errors="replace")
    return text + ("\ufffd" if len(chunk) % 2 else "")


def _jis0212(chunk: bytes) -> str:
    return (b"\x1b$(D" + chunk + b"\x1b(B").decode("iso2022_jp_2", errors="replace")
