"""Raw mail bytes to a ParsedMessage (SPEC S31). The contract other modules use.

``parse(raw)`` never raises for anything a sender can put in a message: what it
had to repair or drop is listed in ``problems``, and the raw bytes are always
kept by the caller, so nothing is lost.

Limits (module constants, read at each call so tests can change them): a
message over ``MAX_MESSAGE_BYTES`` is read for its headers only; no more than
``MAX_PARTS`` MIME parts and ``MAX_DEPTH`` levels of nesting are read; an
attachment over ``MAX_ATTACHMENT_BYTES`` is not kept; the ``headers`` list
holds at most ``MAX_HEADERS`` headers (the fields above are read from all).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser

from mail import headers
from mail.body import Attachment, Body, Limits, find_pgp_blocks, read_body
from mail.html import html_to_text, sanitize_html, strip_tags, too_complex
from mail.nesting import limit_nesting

MAX_MESSAGE_BYTES = 50 * 1024 * 1024
MAX_PARTS = 500
MAX_DEPTH = 50
MAX_ATTACHMENT_BYTES = 30 * 1024 * 1024
MAX_HEADERS = 1000
MAX_HTML_TAGS = 20_000
MAX_HTML_DEPTH = 1000
# Headers of a message too large to parse are read from this much of its start.
_MAX_HEADER_BLOCK_BYTES = 1024 * 1024
_HEADER_END = re.compile(rb"\r?\n\r?\n")
# Outlook writes boundary=----=_NextPart_... unquoted, though "=" must be quoted
# (RFC 2045 5.1); the email package then reads the boundary as "----" and loses
# every part. Such a value is quoted before parsing, in each part's Content-Type.
_UNQUOTED_BOUNDARY = re.compile(
    rb"(^content-type[ \t]*:[^\r\n]*(?:\r?\n(?=[ \t])[^\r\n]*)*?[;\s]boundary[ \t]*=[ \t]*)"
    rb'([^\s";]*[=()<>@,:\\/\[\]?][^\s";]*)',
    re.IGNORECASE | re.MULTILINE,
)
_HEADER_FIELD = re.compile(rb"[\x21-\x39\x3b-\x7e]{1,200}[ \t]*:")
_UNIX_FROM = re.compile(rb"From ")
# Headers read with the email package's structured parser, which reads only
# the first MAX_PARSED_CHARS of a value; the others are read whole.
_STRUCTURED = {
    "from",
    "to",
    "cc",
    "reply-to",
    "delivered-to",
    "x-original-to",
    "envelope-to",
    "content-type",
    "content-disposition",
    "content-transfer-encoding",
}


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str
    content_type: str
    content: bytes
    content_id: str = ""  # without angle brackets; set for inline (cid:) images
    is_inline: bool = False  # has a Content-ID that the HTML body refers to


@dataclass(frozen=True)
class ParsedMessage:
    message_id: str  # without angle brackets; "" when the message has none
    in_reply_to: list[str]  # Message-IDs, without angle brackets
    references: list[str]
    subject: str  # decoded, whitespace-folded, complete (callers shorten it)
    from_address: str  # lower-cased; "" when missing or ambiguous (several From)
    from_name: str
    to: list[str]
    cc: list[str]
    reply_to: list[str]
    delivered_to: list[str]  # Delivered-To: the mailbox the MTA delivered to, newest first
    date: datetime | None
    text: str  # the body as text: text/plain, or derived from the HTML
    html: str  # sanitised with nh3; "" when the message has no HTML part
    attachments: list[ParsedAttachment]
    headers: list[tuple[str, str]]  # every header as decoded text, in order
    content_hash: str  # sha256 hex of the raw bytes
    problems: list[str] = field(default_factory=list)  # repairs, fallbacks, limits hit
    # Armored "-----BEGIN PGP MESSAGE-----" blocks, from the text (inline PGP)
    # and from a PGP/MIME payload, for the crypto module to decrypt on request.
    pgp_blocks: list[str] = field(default_factory=list)
    is_pgp_mime: bool = False  # multipart/encrypted (RFC 3156): the body is in pgp_blocks
    remote_images_removed: int = 0  # <img> sources outside the message, dropped from html
    # The envelope recipient before aliases were expanded: X-Original-To (Postfix,
    # Dovecot) and Envelope-to (Exim). The address the customer wrote to.
    original_to: list[str] = field(default_factory=list)
    # The "for <address>" clauses of the Received headers, newest first (Sendmail
    # records a Bcc recipient nowhere else).
    received_for: list[str] = field(default_factory=list)

    def header(self, name: str) -> list[str]:
        """Every value of a header, case-insensitive, in order."""
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]


def parse(raw: bytes) -> ParsedMessage:
    try:
        return _parse(bytes(raw))
    except Exception as error:
        # The contract: never an exception to the caller. Anything that gets
        # here is a parser bug; the raw message is kept by the caller.
        return _unreadable(raw, f"message cannot be parsed ({type(error).__name__})")


def _parse(raw: bytes) -> ParsedMessage:
    problems: list[str] = []
    cut_type = f"application/x-frontdesk-depth-cut-{secrets.token_hex(8)}"
    message = _read_mime(raw, cut_type, problems)
    limits = Limits(
        parts=MAX_PARTS, depth=MAX_DEPTH, attachment_bytes=MAX_ATTACHMENT_BYTES, cut_type=cut_type
    )
    body = read_body(message, limits)
    hint = body.charset or None

    raw_headers = [(str(name), str(value)) for name, value in message.raw_items()]
    by_name: dict[str, list[str]] = {}
    for name, value in raw_headers:
        by_name.setdefault(name.lower(), []).append(value)

    def first(name: str) -> str:
        return by_name.get(name, [""])[0]

    decoded_headers: list[tuple[str, str]] = []
    for name, value in raw_headers[:MAX_HEADERS]:
        text, header_problems = headers.text(value, hint=hint)
        decoded_headers.append((name, text))
        problems += header_problems
    if len(raw_headers) > MAX_HEADERS:
        problems.append(f"{len(raw_headers)} headers; only the first {MAX_HEADERS} are listed")
    for name, value in raw_headers:
        if name.lower() in _STRUCTURED and len(value) > headers.MAX_PARSED_CHARS:
            problems.append(
                f"{name} header of {len(value)} characters; "
                f"only the first {headers.MAX_PARSED_CHARS} were parsed"
            )

    subject, subject_problems = headers.subject(first("subject"), hint=hint)
    from_address, from_name, sender_problems = headers.sender(by_name.get("from", []), hint=hint)
    problems += subject_problems + sender_problems + body.problems

    html, text, remote_images = _display(body, problems)
    message_ids = headers.message_ids(first("message-id"))
    referenced = html.lower()
    attachments = [
        ParsedAttachment(
            filename=attachment.filename,
            content_type=attachment.content_type,
            content=attachment.content,
            content_id=attachment.content_id,
            is_inline=bool(attachment.content_id)
            and f"cid:{attachment.content_id}".lower() in referenced,
        )
        for attachment in body.attachments
    ]
    return ParsedMessage(
        message_id=message_ids[0] if message_ids else "",
        in_reply_to=headers.message_ids(" ".join(by_name.get("in-reply-to", []))),
        references=headers.message_ids(" ".join(by_name.get("references", []))),
        subject=subject,
        from_address=from_address,
        from_name=from_name,
        to=headers.addresses(by_name.get("to", []), hint=hint),
        cc=headers.addresses(by_name.get("cc", []), hint=hint),
        reply_to=headers.addresses(by_name.get("reply-to", []), hint=hint),
        delivered_to=headers.addresses(by_name.get("delivered-to", []), hint=hint),
        original_to=headers.addresses(
            by_name.get("x-original-to", []) + by_name.get("envelope-to", []), hint=hint
        ),
        received_for=headers.received_for(by_name.get("received", [])),
        date=headers.date(first("date")) if "date" in by_name else None,
        text=text,
        html=html,
        attachments=attachments,
        headers=decoded_headers,
        content_hash=hashlib.sha256(raw).hexdigest(),
        problems=_unique(problems),
        pgp_blocks=body.pgp_blocks + find_pgp_blocks(text),
        is_pgp_mime=body.is_pgp_mime,
        remote_images_removed=remote_images,
    )


def html_with_remote_images(raw: bytes) -> str:
    """The message's HTML sanitised as ``ParsedMessage.html`` is, but with its remote images.

    For the isolated HTML view, once a staff member asked for the images; "" when
    the message has no HTML or it cannot be read.
    """
    try:
        problems: list[str] = []
        cut_type = f"application/x-frontdesk-depth-cut-{secrets.token_hex(8)}"
        limits = Limits(
            parts=MAX_PARTS,
            depth=MAX_DEPTH,
            attachment_bytes=MAX_ATTACHMENT_BYTES,
            cut_type=cut_type,
        )
        body = read_body(_read_mime(bytes(raw), cut_type, problems), limits)
        if not body.html or too_complex(
            body.html, max_tags=MAX_HTML_TAGS, max_depth=MAX_HTML_DEPTH
        ):
            return ""
        return sanitize_html(body.html, remote_images=True)[0]
    except Exception:
        return ""


def _display(body: Body, problems: list[str]) -> tuple[str, str, int]:
    """The sanitised HTML, the text, and how many remote images the HTML lost."""
    if too_complex(body.html, max_tags=MAX_HTML_TAGS, max_depth=MAX_HTML_DEPTH):
        problems.append(
            f"HTML body of more than {MAX_HTML_TAGS} tags or {MAX_HTML_DEPTH} levels "
            "not displayed; kept as message.html"
        )
        content = b'<meta charset="utf-8">\n' + body.html.encode("utf-8")
        body.attachments.append(Attachment("message.html", "text/html", content))
        return "", body.text if body.text.strip() else strip_tags(body.html), 0
    html, remote_images = sanitize_html(body.html) if body.html else ("", 0)
    if remote_images:
        problems.append(f"remote images removed from the HTML: {remote_images}")
    return html, body.text if body.text.strip() else html_to_text(html), remote_images


def _read_mime(raw: bytes, cut_type: str, problems: list[str]) -> Message:
    """The MIME tree, or only the headers when the whole cannot be read."""
    if len(raw) > MAX_MESSAGE_BYTES:
        problems.append(
            f"message of {len(raw)} bytes is over the limit of {MAX_MESSAGE_BYTES} bytes; "
            "only its headers were read"
        )
        return _read_headers_only(raw)
    raw = _repair_header_block(raw, problems)
    if _may_have_unquoted_boundary(raw):
        raw = _UNQUOTED_BOUNDARY.sub(rb'\1"\2"', raw)
    prepared, cut = limit_nesting(raw, MAX_DEPTH, cut_type)
    if cut:
        # Also inside forwarded messages, which the body walk does not enter.
        problems.append(f"parts nested deeper than {MAX_DEPTH} levels were not read")
    try:
        return BytesParser(policy=headers.message_policy()).parsebytes(prepared)
    except RecursionError:
        problems.append("MIME structure too deeply nested to read; only the headers were read")
    except Exception as error:
        problems.append(f"MIME structure cannot be read ({type(error).__name__}); headers only")
    return _read_headers_only(raw)


def _repair_header_block(raw: bytes, problems: list[str]) -> bytes:
    """The header block with lines that are no header made readable, as far as they can be.

    A first line that is no header (a mailbox's ">From " envelope line, junk)
    ends the email package's header block at once, so the message loses every
    header; such lines before the first header are skipped. A line without a
    leading space in the middle of the headers (a gateway's broken folding)
    ends it too, and the headers after it become body text; when a header
    follows further on, the line is joined to the header before it. Otherwise
    it is where the body begins, as the email package reads it.
    """
    end = _HEADER_END.search(raw, 0, _MAX_HEADER_BLOCK_BYTES)
    block = raw[: end.start()] if end else raw[:_MAX_HEADER_BLOCK_BYTES]
    lines = block.splitlines(keepends=True)
    if not lines or all(_is_header_line(line) for line in lines):
        return raw
    fields = [number for number, line in enumerate(lines) if _HEADER_FIELD.match(line)]
    if not fields:
        return raw
    last_field = fields[-1]
    repaired: list[bytes] = []
    skipped = joined = 0
    seen_field = False
    for number, line in enumerate(lines):
        if _is_header_line(line) or (number == 0 and _UNIX_FROM.match(line)):
            repaired.append(line)
            seen_field = seen_field or bool(_HEADER_FIELD.match(line))
        elif number > last_field:
            break  # the body starts here, without a blank line before it
        elif not seen_field:
            skipped += 1
        else:
            repaired.append(b" " + line)
            joined += 1
    else:
        number = len(lines)
    if not skipped and not joined:
        return raw
    if skipped:
        problems.append("a first line that is no header was skipped")
    if joined:
        problems.append("header line without leading space joined to the header before it")
    rest = b"".join(lines[number:]) + raw[len(block) :]
    if number < len(lines):
        ending = b"\r\n" if lines[0].endswith(b"\r\n") else b"\n"
        rest = ending + rest
    return b"".join(repaired) + rest


def _may_have_unquoted_boundary(raw: bytes) -> bool:
    """A fast look for "boundary=" not followed by a quote (the regex is slow on 20 MB)."""
    for needle in (b"oundary=", b"OUNDARY="):
        start = raw.find(needle)
        while start >= 0:
            if raw[start + len(needle) : start + len(needle) + 1] not in (b'"', b""):
                return True
            start = raw.find(needle, start + 1)
    return False


def _is_header_line(line: bytes) -> bool:
    return line[:1] in (b" ", b"\t") or bool(_HEADER_FIELD.match(line))


def _read_headers_only(raw: bytes) -> Message:
    end = _HEADER_END.search(raw, 0, _MAX_HEADER_BLOCK_BYTES)
    block = raw[: end.start()] if end else raw[:_MAX_HEADER_BLOCK_BYTES]
    try:
        return BytesParser(policy=headers.message_policy()).parsebytes(
            block + b"\n\n", headersonly=True
        )
    except Exception:
        return EmailMessage(policy=policy.default)


def _unreadable(raw: object, problem: str) -> ParsedMessage:
    try:
        content_hash = hashlib.sha256(raw).hexdigest()  # type: ignore[arg-type]
    except Exception:
        content_hash = ""
    return ParsedMessage(
        message_id="",
        in_reply_to=[],
        references=[],
        subject="",
        from_address="",
        from_name="",
        to=[],
        cc=[],
        reply_to=[],
        delivered_to=[],
        date=None,
        text="",
        html="",
        attachments=[],
        headers=[],
        content_hash=content_hash,
        problems=[problem],
    )


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
