"""The MIME tree of a parsed message to body text, HTML and attachments.

Which parts are the body: text/plain and text/html parts that are neither
marked as attachments nor named. In multipart/alternative the last plain
and the last HTML alternative win (RFC 2046 5.1.4 orders them by fidelity);
in multipart/mixed, related, signed and report the body parts are joined in
order. Everything else is an attachment, images with a Content-ID included
(the caller shows those referenced from the HTML inline). A forwarded
message/rfc822 stays whole as an .eml attachment: its text is someone else's
mail and is not merged into this one's body.

The walk recurses, but never deeper than the depth limit, and the feed parser
never built a deeper tree (mail.nesting), so the recursion stays shallow.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import html as html_module
import mimetypes
import re
from dataclasses import dataclass, field
from email import policy
from email.errors import InvalidBase64LengthDefect
from email.message import EmailMessage, Message

from mail import headers
from mail.charsets import (
    clean_text,
    decode_bytes,
    decode_words,
    html_meta_charset,
    recover_header,
)
from mail.html import html_to_text, sanitize_html

# Serialises forwarded messages as they came: long header lines are not refolded.
_EML_POLICY = policy.default.clone(refold_source="none", linesep="\r\n")
_MIME_TYPES = mimetypes.MimeTypes()  # the built-in table, not this machine's mime.types
_NAMED_TYPES = {
    "message/delivery-status": "delivery-status.txt",
    "message/global-delivery-status": "delivery-status.txt",
    "message/disposition-notification": "disposition-notification.txt",
    "message/global-disposition-notification": "disposition-notification.txt",
    "text/rfc822-headers": "headers.txt",
    "message/global-headers": "headers.txt",
    "application/pgp-signature": "signature.asc",
    "application/pgp-keys": "key.asc",
    "text/calendar": "invite.ics",
}
_PGP_BEGIN = "-----BEGIN PGP MESSAGE-----"
_PGP_END = "-----END PGP MESSAGE-----"
_UU_BEGIN = re.compile(r"begin [0-7]{3,4} (\S[^\r\n]*)$")
_DEFECTS = {
    "InvalidBase64PaddingDefect": "base64 with bad padding repaired",
    "InvalidBase64CharactersDefect": "base64 with invalid characters repaired",
    "InvalidBase64LengthDefect": "base64 of impossible length; the last character was dropped",
    "StartBoundaryNotFoundDefect": "multipart without its start boundary",
    "CloseBoundaryNotFoundDefect": "multipart without its closing boundary",
    "NoBoundaryInMultipartDefect": "multipart without a boundary; read as text",
    "MissingHeaderBodySeparatorDefect": "no blank line after the headers",
    "MultipartInvariantViolationDefect": "multipart type on a part that has no parts",
}
_SAFE_NAME_LENGTH = 200
_BLANK_LINES = re.compile(r"\n{3,}")
_QUOTE_MARKS = re.compile(r"^>+")
_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/]")
_BASE64_REPAIRS = ("InvalidBase64PaddingDefect", "InvalidBase64LengthDefect")


@dataclass
class Body:
    text: str = ""
    html: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    pgp_blocks: list[str] = field(default_factory=list)
    is_pgp_mime: bool = False
    charset: str = ""  # the first charset a text part declares: a hint for raw 8-bit headers
    problems: list[str] = field(default_factory=list)


@dataclass
class Attachment:
    filename: str
    content_type: str
    content: bytes
    content_id: str = ""


@dataclass
class Limits:
    parts: int
    depth: int
    attachment_bytes: int
    cut_type: str  # the marker type mail.nesting gave to entities it made opaque


def read_body(message: Message, limits: Limits) -> Body:
    walker = _Walker(limits)
    plain, html = walker.walk(message, 0)
    body = walker.body
    body.text = "\n\n".join(piece.strip("\n").rstrip() for piece in plain if piece.strip())
    body.html = "\n".join(piece.strip() for piece in html if piece.strip())
    return body


class _Walker:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.body = Body()
        self.parts_seen = 0

    def walk(self, part: Message, depth: int) -> tuple[list[str], list[str]]:
        """The plain and HTML body pieces of this part's subtree."""
        self.parts_seen += 1
        if self.parts_seen > self.limits.parts:
            self._problem(f"more than {self.limits.parts} MIME parts; the rest were not read")
            return [], []
        content_type = _content_type(part)
        pieces: tuple[list[str], list[str]] = ([], [])
        if content_type == self.limits.cut_type or (
            part.is_multipart() and depth >= self.limits.depth
        ):
            self._problem(f"parts nested deeper than {self.limits.depth} levels were not read")
        elif content_type.startswith("message/"):
            self._keep_message(part, content_type)
        elif part.is_multipart():
            pieces = self._walk_multipart(part, content_type, depth)
        elif content_type.startswith("multipart/"):
            # A multipart that never met its boundary, or has none: its text is
            # the message's text (issue 12), not an attachment.
            pieces = [self._extract_uuencoded(self._partless_text(part))], []
        else:
            pieces = self._read_leaf(part, content_type)
        # After reading: decoding the payload is what finds bad base64.
        self._note_defects(part)
        return pieces

    def _walk_multipart(
        self, part: Message, content_type: str, depth: int
    ) -> tuple[list[str], list[str]]:
        children = _payload_list(part)
        if content_type == "multipart/encrypted" and _param(part, "protocol").lower() == (
            "application/pgp-encrypted"
        ):
            self._read_pgp_mime(children)
            return [], []
        results = [self.walk(child, depth + 1) for child in children]
        if content_type == "multipart/alternative":
            best_plain = next((p for p, _h in reversed(results) if "".join(p).strip()), [])
            best_html = next((h for _p, h in reversed(results) if "".join(h).strip()), [])
            return best_plain, best_html
        results = _in_order(results)
        plain = [piece for pieces, _html in results for piece in pieces]
        html = [piece for _plain, pieces in results for piece in pieces]
        return plain, html

    def _read_leaf(self, part: Message, content_type: str) -> tuple[list[str], list[str]]:
        disposition = _disposition(part)
        filename = _filename(part, self.body.charset)
        is_body = content_type in ("text/plain", "text/html") and disposition != "attachment"
        # RFC 2183: an inline text part is shown even when it has a file name
        # (Apple Mail attaches text files so), and so is a plain text part with
        # only a name and no disposition; it is kept as that file too.
        if (
            is_body
            and filename
            and (disposition == "inline" or (not disposition and content_type == "text/plain"))
        ):
            self._keep_attachment(part, content_type, filename)
            filename = ""
        if is_body and not filename:
            text = self._decode_text(part, content_type)
            if content_type == "text/html":
                return [], [text]
            if _param(part, "format").lower() == "flowed":
                text = _unflow(text, delete_space=_param(part, "delsp").lower() == "yes")
            return [self._extract_uuencoded(text)], []
        self._keep_attachment(part, content_type, filename)
        return [], []

    def _decode_text(self, part: Message, content_type: str) -> str:
        data = _payload_bytes(part)
        declared = _param(part, "charset") or None
        if declared is None and content_type == "text/html":
            declared = html_meta_charset(data)
        if declared and not self.body.charset and declared.lower() not in ("us-ascii", "ascii"):
            self.body.charset = declared
        text, problem = decode_bytes(data, declared, what=content_type)
        if problem:
            self._problem(problem)
        text, changed = clean_text(text.replace("\r\n", "\n").replace("\r", "\n"))
        if changed:
            self._problem(f"{content_type}: control characters removed")
        return text

    def _partless_text(self, part: Message) -> str:
        """The text of a multipart without parts, without a closing boundary line."""
        text = self._decode_text(part, "text/plain")
        boundary = _param(part, "boundary")
        if boundary:
            lines = text.rstrip("\n").split("\n")
            if lines and lines[-1].strip() == f"--{boundary}--":
                text = "\n".join(lines[:-1])
        return text

    def _keep_attachment(self, part: Message, content_type: str, filename: str) -> None:
        content = _payload_bytes(part)
        self._add_attachment(
            filename or self._default_name(content_type),
            content_type,
            content,
            _content_id(part),
        )

    def _keep_message(self, part: Message, content_type: str) -> None:
        nested = _payload_list(part)
        if content_type == "message/delivery-status":
            content = b"".join(_serialise(block) + b"\r\n" for block in nested)
        elif nested:
            content = _serialise(nested[0])
        else:
            content = _payload_bytes(part)
        filename = _filename(part, self.body.charset)
        if not filename and content_type in ("message/rfc822", "message/global") and nested:
            subject, _problems = headers.subject(_raw_header(nested[0], "subject") or "")
            filename = _safe_filename(subject[:100]) + ".eml" if subject else "message.eml"
        self._add_attachment(
            filename or self._default_name(content_type), content_type, content, _content_id(part)
        )

    def _read_pgp_mime(self, children: list[Message]) -> None:
        self.body.is_pgp_mime = True
        for child in children:
            if _content_type(child) == "application/pgp-encrypted":
                continue  # the RFC 3156 control part: "Version: 1"
            armored = _payload_bytes(child).decode("ascii", errors="replace")
            blocks = find_pgp_blocks(armored)
            if blocks:
                self.body.pgp_blocks.extend(blocks)
            else:
                self._keep_attachment(child, _content_type(child), _filename(child, ""))

    def _add_attachment(
        self, filename: str, content_type: str, content: bytes, content_id: str
    ) -> None:
        if len(content) > self.limits.attachment_bytes:
            self._problem(
                f"attachment {filename} of {len(content)} bytes is over the limit of "
                f"{self.limits.attachment_bytes} bytes; not kept"
            )
            return
        self.body.attachments.append(Attachment(filename, content_type, content, content_id))

    def _extract_uuencoded(self, text: str) -> str:
        """Text with uuencoded files (old mailers put them in the body) moved to attachments."""
        if "begin " not in text:
            return text
        lines = text.split("\n")
        kept: list[str] = []
        number = 0
        while number < len(lines):
            begin = _UU_BEGIN.match(lines[number])
            if not begin:
                kept.append(lines[number])
                number += 1
                continue
            end = next(
                (i for i in range(number + 1, len(lines)) if lines[i].rstrip() == "end"), None
            )
            if end is None:
                # No later "begin" can have an "end" either: the rest is text.
                kept.extend(lines[number:])
                break
            try:
                content = _uudecode(lines[number + 1 : end])
            except (binascii.Error, ValueError, IndexError):
                self._problem("uuencoded block cannot be decoded; left in the text")
                kept.extend(lines[number : end + 1])
            else:
                name = _safe_filename(begin.group(1)) or self._default_name(
                    "application/octet-stream"
                )
                self._add_attachment(name, _guess_type(name), content, "")
            number = end + 1
        return _BLANK_LINES.sub("\n\n", "\n".join(kept))

    def _default_name(self, content_type: str) -> str:
        if content_type in _NAMED_TYPES:
            return _NAMED_TYPES[content_type]
        extension = _MIME_TYPES.guess_extension(content_type) or (
            ".txt" if content_type.startswith("text/") else ".bin"
        )
        return f"attachment-{len(self.body.attachments) + 1}{extension}"

    def _note_defects(self, part: Message) -> None:
        for defect in getattr(part, "defects", []):
            described = _DEFECTS.get(type(defect).__name__)
            if described:
                self._problem(described)

    def _problem(self, problem: str) -> None:
        if problem not in self.body.problems:
            self.body.problems.append(problem)


def find_pgp_blocks(text: str) -> list[str]:
    """Armored PGP messages in a text, found in one pass (a regex would be quadratic)."""
    blocks: list[str] = []
    position = 0
    while (start := text.find(_PGP_BEGIN, position)) >= 0:
        end = text.find(_PGP_END, start)
        if end < 0:
            break
        # The last BEGIN before this END: a stray BEGIN must not swallow the block.
        start = text.rfind(_PGP_BEGIN, start, end)
        blocks.append(text[start : end + len(_PGP_END)])
        position = end + len(_PGP_END)
    return blocks


def _content_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:
        return "application/octet-stream"


def _disposition(part: Message) -> str:
    try:
        return (part.get_content_disposition() or "").lower()
    except Exception:
        return ""


def _param(part: Message, name: str) -> str:
    try:
        value = part.get_param(name)
    except Exception:
        return ""
    if isinstance(value, tuple):  # RFC 2231 (charset, language, value)
        value = value[2]
    return str(value or "").strip()


def _payload_list(part: Message) -> list[Message]:
    try:
        payload = part.get_payload()
    except Exception:
        return []
    if not isinstance(payload, list):
        return []
    return [child for child in payload if isinstance(child, Message)]


def _payload_bytes(part: Message) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    defects = getattr(part, "defects", None)
    if (
        isinstance(payload, bytes)
        and isinstance(defects, list)
        and any(type(defect).__name__ in _BASE64_REPAIRS for defect in defects)
        and _is_base64(part)
    ):
        # Base64 of 4n + 1 characters cannot be decoded whole: the email package
        # then returns the base64 text itself and notes bad padding that is not
        # there. Decode as far as it goes instead (only parts it found bad pay).
        fixed = _base64_as_far_as_it_goes(part)
        if fixed is not None:
            payload = fixed
            defects[:] = [
                defect
                for defect in defects
                if type(defect).__name__
                not in ("InvalidBase64PaddingDefect", "InvalidBase64LengthDefect")
            ]
            defects.append(InvalidBase64LengthDefect())
    return payload if isinstance(payload, bytes) else b""


def _is_base64(part: Message) -> bool:
    try:
        return str(part.get("content-transfer-encoding", "")).strip().lower() == "base64"
    except Exception:
        return False


def _base64_as_far_as_it_goes(part: Message) -> bytes | None:
    """A base64 payload one character too long (4n + 1) without that character; else None."""
    try:
        encoded = str(part.get_payload(decode=False)).encode("ascii", errors="ignore")
    except Exception:
        return None
    data = _NOT_BASE64.sub(b"", encoded.split(b"=", 1)[0])
    if len(data) % 4 != 1:
        return None
    try:
        return base64.b64decode(data[:-1] + b"=" * (-(len(data) - 1) % 4))
    except (binascii.Error, ValueError):
        return None


def _in_order(results: list[tuple[list[str], list[str]]]) -> list[tuple[list[str], list[str]]]:
    """Body parts of a multipart/mixed with plain parts and HTML parts, each in both views.

    The text shows an HTML-only part as text and the HTML shows a plain-only part
    as preformatted text, so both views hold every part in order (issue 12).
    """
    has_plain_only = any(plain and not html for plain, html in results)
    has_html_only = any(html and not plain for plain, html in results)
    if not (has_plain_only and has_html_only):
        return results
    ordered: list[tuple[list[str], list[str]]] = []
    for plain, html in results:
        if plain and not html:
            text = "\n\n".join(plain)
            html = [f"<pre>{html_module.escape(text)}</pre>"] if text.strip() else []
        elif html and not plain:
            plain = [html_to_text(sanitize_html(piece)[0]) for piece in html]
        ordered.append((plain, html))
    return ordered


def _raw_header(part: Message, name: str) -> str | None:
    wanted = name.lower()
    for key, value in part.raw_items():
        if key.lower() == wanted:
            return str(value)
    return None


def _content_id(part: Message) -> str:
    raw = _raw_header(part, "content-id")
    if not raw:
        return ""
    ids = headers.message_ids(raw)
    if ids:
        return ids[0]
    cleaned, _changed = clean_text(raw.strip().strip("<>").strip())
    return cleaned


def _filename(part: Message, hint: str) -> str:
    """The attachment's name: RFC 2231, RFC 2047 words (Outlook, Gmail), raw 8-bit."""
    source: Message = part
    raw_values = [_raw_header(part, "content-disposition"), _raw_header(part, "content-type")]
    if any(value and not value.isascii() for value in raw_values):
        source = EmailMessage(policy=headers.message_policy())
        for name, value in zip(("Content-Disposition", "Content-Type"), raw_values, strict=True):
            if value:
                unfolded = re.sub(r"[\r\n]+", " ", value)
                # A header the registry refuses leaves that name to the fallback below.
                with contextlib.suppress(Exception):
                    source[name] = recover_header(unfolded, hint=hint)[0]
    try:
        name = source.get_filename() or ""
    except Exception:
        name = ""
    if isinstance(name, tuple):
        name = name[2]
    name, _problems = decode_words(str(name), hint=hint)
    return _safe_filename(name)


def _safe_filename(name: str) -> str:
    """A name that cannot be a path, a control sequence or a page long."""
    name, _changed = clean_text(name)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"\s+", " ", name).strip().strip(".").strip()
    if len(name) > _SAFE_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: _SAFE_NAME_LENGTH - len(extension) - 1] + "." + extension
        else:
            name = name[:_SAFE_NAME_LENGTH]
    return name


def _guess_type(filename: str) -> str:
    guessed, _encoding = _MIME_TYPES.guess_type(filename, strict=False)
    return guessed or "application/octet-stream"


def _serialise(message: Message) -> bytes:
    # The strict generator refuses some malformed headers that compat32 writes as they are.
    for serialise_policy in (_EML_POLICY, policy.compat32):
        with contextlib.suppress(Exception):
            return message.as_bytes(policy=serialise_policy)
    return b""


def _uudecode(encoded: list[str]) -> bytes:
    decoded = bytearray()
    for line in encoded:
        if not line.strip():
            continue
        data = line.encode("ascii")
        try:
            decoded += binascii.a2b_uu(data)
        except binascii.Error:
            # Encoders that strip trailing spaces leave lines short; the length
            # character says how many bytes the line holds (as the uu module did).
            length = (((data[0] - 32) & 63) * 4 + 5) // 3
            decoded += binascii.a2b_uu(data[:length])
    return bytes(decoded)


def _unflow(text: str, *, delete_space: bool) -> str:
    """RFC 3676 format=flowed: soft line breaks (a trailing space) joined back."""
    paragraphs: list[tuple[int, list[str]]] = []  # (quote depth, its lines)
    joining = False
    for line in text.split("\n"):
        marks = _QUOTE_MARKS.match(line)
        depth = len(marks.group(0)) if marks else 0
        content = line[depth:]
        if content.startswith(" "):
            content = content[1:]  # space-stuffing (RFC 3676 4.4)
        # The signature separator "-- " is the one line whose trailing space is hard.
        soft = content.endswith(" ") and content != "-- "
        if soft and delete_space:
            content = content[:-1]
        if joining and paragraphs and depth == paragraphs[-1][0]:
            paragraphs[-1][1].append(content)
        else:
            paragraphs.append((depth, [content]))
        joining = soft
    return "\n".join(
        (">" * depth + " " if depth else "") + "".join(lines) for depth, lines in paragraphs
    )
