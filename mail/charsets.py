"""Bytes of mail to text, whatever charset the sender declared (SPEC S13, S31).

Mail declares its charset, and mail often lies: a body labelled utf-8 that is
windows-1251, a us-ascii label on 8-bit text, no label at all, labels Python
does not know (``ks_c_5601-1987``, ``x-unknown``). ``decode_bytes`` tries the
declared charset (through the superset that senders actually mean), then
UTF-8, then a caller's hint, then a detector, then latin-1, and says which it
used when it was not the declared one.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re

import charset_normalizer

from mail import guess, jis

# Senders write the narrower label and mean the Windows superset (as browsers
# do, WHATWG Encoding): gb2312 mail carries GBK characters, shift_jis mail
# carries cp932's NEC and IBM extensions, and so on.
_SUPERSETS = {
    "ascii": "ascii",
    "us-ascii": "ascii",
    "ansi_x3.4-1968": "ascii",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "iso-8859-9": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "windows-874": "cp874",
    "gb2312": "gb18030",
    "gb_2312-80": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "big5": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "iso-2022-jp": "iso2022_jp_ext",
    "csiso2022jp": "iso2022_jp_ext",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "ksc5601": "cp949",
    "x-windows-949": "cp949",
    "iso-8859-8-i": "iso8859_8",
    "iso-8859-6-i": "iso8859_6",
    "x-mac-roman": "mac_roman",
    "macintosh": "mac_roman",
    "x-mac-cyrillic": "mac_cyrillic",
    "utf8": "utf-8",
}

# Codecs that are "text encodings" to Python but that no mail charset label
# may select: they turn attacker bytes into escapes or punycode, not text.
_REFUSED_CODECS = {"unicode-escape", "raw-unicode-escape", "idna", "punycode", "undefined"}

# Where a declared single-byte charset is wrong, the text is most often UTF-8;
# multibyte charsets (and UTF-7, ISO-2022-JP) fail loudly on the wrong bytes.
_SINGLE_BYTE_PREFIXES = ("cp12", "iso8859", "koi8", "mac-", "mac_", "cp874", "cp85", "cp86")

# The detector only chooses among charsets that mail is written in; on short
# samples several tie, and the tie goes to the one most mail uses.
_DETECTABLE = [
    "utf_8",
    "cp1252",
    "cp1251",
    "gb18030",
    "cp932",
    "cp949",
    "big5",
    "euc_jp",
    "koi8_r",
    "koi8_u",
    "cp1250",
    "iso8859_2",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "cp874",
]
_POPULARITY = {name: rank for rank, name in enumerate(_DETECTABLE)}

# A declared charset with a few bad bytes is a damaged message, not a
# mislabelled one: keep the label and replace those bytes.
_TOLERATED_BAD_BYTE_RATIO = 0.1
_DETECTOR_SAMPLE_BYTES = 64 * 1024
_ASCII_BYTES = bytes(range(128))

_ENCODED_WORD = re.compile(
    r"=\?(?P<charset>[^?\s*]+)(?:\*[^?\s]*)?\?(?P<encoding>[bBqQ])\?(?P<text>[^?]*)\?="
)
_SURROGATES = re.compile("[\ud800-\udfff]")
_CONTROL_EXCEPT_WHITESPACE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.I
)


def resolve(label: str | None) -> str | None:
    """The Python codec for a charset label, or None when there is no usable one."""
    if not label:
        return None
    name = label.strip().strip("\"'").strip().lower()
    name = _SUPERSETS.get(name, name)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _REFUSED_CODECS:
        return None
    return info.name


def decode_bytes(
    data: bytes, declared: str | None, *, hint: str | None = None, what: str = "text"
) -> tuple[str, str]:
    """Text of ``data`` and a problem ("" when none) saying which fallback was used."""
    if not data:
        return "", ""
    codec = resolve(declared)
    label = (declared or "").strip().lower()
    problem_prefix = f"{what}: "
    if codec is not None and codec.startswith("iso2022_jp") and data.isascii():
        text, bad = jis.decode(data)
        if not bad:
            # Windows' extensions (CP50220) under the plain label: what the sender meant.
            return text, ""
    if codec == "ascii" and jis.looks_like(data):
        return jis.decode(data)[0], (
            f"{problem_prefix}declared charset {label} but the text is ISO-2022-JP; "
            "read as iso-2022-jp"
        )
    if codec is None and jis.looks_like(data):
        what_label = f"unknown charset {label}" if label else "text without a declared charset"
        return jis.decode(data)[0], f"{problem_prefix}{what_label}; read as iso-2022-jp"
    if codec is not None:
        if _is_single_byte(codec) and not data.isascii() and _is_utf8(data):
            return _strip_bom(data.decode("utf-8")), (
                f"{problem_prefix}declared charset {label} but the bytes are UTF-8; read as UTF-8"
            )
        try:
            return _strip_bom(data.decode(codec)), ""
        except UnicodeDecodeError:
            pass
        if codec == "cp1252":
            # Labelled latin-1 and using its C1 range, which cp1252 leaves undefined.
            return data.decode("latin-1"), ""
        damaged = data.decode(codec, errors="replace")
        if codec != "ascii" and _few_bad_bytes(data, damaged):
            return _strip_bom(damaged), (
                f"{problem_prefix}undecodable bytes in charset {label} replaced"
            )
        reason = f"declared charset {label} does not fit the bytes"
    elif label:
        reason = f"unknown charset {label}"
    elif data.isascii():
        return data.decode("ascii"), ""
    else:
        reason = "8-bit text without a declared charset"

    if codec != "utf-8" and _is_utf8(data):
        return _strip_bom(data.decode("utf-8")), f"{problem_prefix}{reason}; read as UTF-8"
    # The caller's hint (another part's label) and the detector's choice are
    # preferred, but every common charset is tried, and one that reads the bytes
    # clearly better wins: a detector misreads short text, a hint may not apply.
    hinted = resolve(hint)
    hinted = hinted if hinted not in (codec, "utf-8", "ascii") else None
    detected = detect(data)
    chosen = guess.best(data, [name for name in (hinted, detected) if name and name != codec])
    if chosen:
        text = data.decode(chosen, errors="replace")
        how = "" if chosen == hinted else " (detected)"
        return _strip_bom(text), f"{problem_prefix}{reason}; read as {resolve(chosen)}{how}"
    return data.decode("latin-1"), f"{problem_prefix}{reason}; read as latin-1"


def detect(data: bytes) -> str | None:
    """The most likely mail charset of ``data``, or None when it looks binary."""
    try:
        matches = charset_normalizer.from_bytes(
            data[:_DETECTOR_SAMPLE_BYTES], cp_isolation=_DETECTABLE
        )
    except Exception:
        # The detector is a heuristic; its failure must not fail the message.
        return None
    candidates = list(matches)
    if not candidates:
        return None
    least_chaos = min(match.chaos for match in candidates)
    tied = [match for match in candidates if match.chaos == least_chaos]
    best = min(
        tied,
        key=lambda match: (-match.coherence, _POPULARITY.get(match.encoding, len(_POPULARITY))),
    )
    return resolve(best.encoding)


def html_meta_charset(data: bytes) -> str | None:
    """The charset an HTML part declares in its own <meta>, for parts whose MIME header has none."""
    found = _META_CHARSET.search(data[:4096])
    return found.group(1).decode("ascii") if found else None


def recover_header(value: str, *, hint: str | None = None) -> tuple[str, str]:
    """A header value as parsed from bytes, with raw 8-bit bytes decoded.

    The email package keeps undecodable header bytes as surrogate escapes;
    senders put raw UTF-8 (or their local charset) in headers all the time.
    """
    if not _SURROGATES.search(value):
        if "\x1b" in value and value.isascii() and jis.looks_like(value.encode("ascii")):
            # Old Japanese mailers put ISO-2022-JP in headers unencoded.
            return jis.decode(value.encode("ascii"))[0], (
                "header: text without a declared charset; read as iso-2022-jp"
            )
        return value, ""
    data = value.encode("utf-8", "surrogateescape")
    if _is_utf8(data):
        return data.decode("utf-8"), ""
    return decode_bytes(data, None, hint=hint, what="header")


def decode_words(value: str, *, hint: str | None = None) -> tuple[str, list[str]]:
    """RFC 2047 encoded words decoded, in any charset, joining adjacent words.

    Adjacent words in one charset are decoded together because many mailers
    split a multibyte character across two words.
    """
    problems: list[str] = []
    if "=?" not in value:
        return value, problems
    pieces: list[str] = []
    pending: bytearray = bytearray()
    pending_charset = ""
    position = 0

    def flush() -> None:
        nonlocal pending, pending_charset
        if pending or pending_charset:
            text, problem = decode_bytes(bytes(pending), pending_charset, hint=hint, what="header")
            pieces.append(text)
            if problem:
                problems.append(problem)
        pending = bytearray()
        pending_charset = ""

    for word in _ENCODED_WORD.finditer(value):
        between = value[position : word.start()]
        # RFC 2047 6.2: whitespace between adjacent encoded words is not text.
        if between and not (between.isspace() and (pending or pending_charset)):
            flush()
            pieces.append(between)
        charset = word.group("charset")
        if pending_charset and charset.lower() != pending_charset.lower():
            flush()
        pending_charset = charset
        pending += _word_bytes(word.group("encoding"), word.group("text"))
        position = word.end()
    flush()
    pieces.append(value[position:])
    return "".join(pieces), problems


def clean_text(text: str) -> tuple[str, bool]:
    """Text safe to store anywhere: no NUL or other control bytes, no lone surrogates.

    PostgreSQL refuses NUL in text columns and every encoder refuses lone
    surrogates, so neither may leave the parser. Returns whether it changed.
    """
    cleaned = _CONTROL_EXCEPT_WHITESPACE.sub("", text)
    cleaned = _SURROGATES.sub("\ufffd", cleaned)
    return cleaned, cleaned != text


def _word_bytes(encoding: str, text: str) -> bytes:
    raw = text.encode("utf-8", "surrogateescape")
    if encoding in "qQ":
        return binascii.a2b_qp(raw, header=True)
    raw = re.sub(rb"[^A-Za-z0-9+/]", b"", raw)
    raw = raw[: len(raw) - len(raw) % 4] if len(raw) % 4 == 1 else raw + b"=" * (-len(raw) % 4)
    try:
        return base64.b64decode(raw)
    except (binascii.Error, ValueError):
        return b""


def _is_single_byte(codec: str) -> bool:
    return codec.startswith(_SINGLE_BYTE_PREFIXES) or codec == "latin-1"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _few_bad_bytes(data: bytes, decoded: str) -> bool:
    non_ascii = len(data.translate(None, _ASCII_BYTES))
    bad = decoded.count("\ufffd")
    return bad <= max(1, non_ascii * _TOLERATED_BAD_BYTE_RATIO)


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text
