"""A mail's sanitised HTML as a document for an isolated frame (issue 12, SPEC S31).

The panel shows it in a sandboxed iframe (no scripts, no same origin) served
with a policy that allows images from ``data:`` only, so nothing leaves the
browser: images of the message itself (``cid:``) are put in as ``data:`` URIs,
remote images (trackers) stay out until a staff member asks for them. Then the
HTML is sanitised again from the raw message with its http(s) images kept, and
the frame's policy lets images, and only images, load from the network.
"""

from __future__ import annotations

import base64
import html
import re
import secrets

from mail.models import InboundMessage
from mail.parse import html_with_remote_images
from tickets.models import Message

# Image types a browser shows without running anything (no SVG).
_INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
_MAX_INLINE_BYTES = 5 * 1024 * 1024
_CID_SOURCE = re.compile(r'src="cid:([^"]{1,500})"', re.IGNORECASE)

# Our one style sheet in the frame, allowed by its nonce; the mail's HTML has no style.
_STYLE = (
    "body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2937;"
    "margin:1rem 1.25rem;overflow-wrap:anywhere}img{max-width:100%;height:auto}"
    "table{max-width:100%;border-collapse:collapse}blockquote{margin-left:0;padding-left:1rem;"
    "border-left:3px solid #d0d5dd;color:#475467}a{color:#1d5fb4}"
)


def frame_policy(nonce: str, *, remote_images: bool = False) -> str:
    """The frame's policy: only inline images (and remote ones when asked), no scripts."""
    images = "data: https: http:" if remote_images else "data:"
    return (
        f"default-src 'none'; img-src {images}; style-src 'nonce-{nonce}'; "
        "frame-ancestors 'self'; base-uri 'none'; form-action 'none'; "
        "sandbox allow-popups allow-popups-to-escape-sandbox"
    )


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def has_html(message: Message) -> bool:
    return bool(message.html.strip())


def remote_images_held(message: Message) -> int:
    """How many remote images the message's HTML had that the view holds back."""
    inbound = _inbound(message)
    if inbound is None:
        return 0
    removed = [p for p in inbound.problems if str(p).startswith("remote images removed")]
    if not removed:
        return 0
    number = str(removed[0]).rpartition(":")[2].strip()
    return int(number) if number.isdigit() else 1


def document(message: Message, nonce: str, *, remote_images: bool = False) -> str:
    """A whole HTML document of the message's sanitised HTML, images inlined."""
    body = message.html
    if remote_images:
        inbound = _inbound(message)
        if inbound is not None:
            try:
                with inbound.raw.open("rb") as handle:
                    raw = handle.read()
            except (OSError, ValueError):
                raw = b""
            body = html_with_remote_images(raw) or body
    body = _inline_images(body, message)
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8">'
        '<meta name="referrer" content="no-referrer"><base target="_blank">'
        f'<style nonce="{nonce}">{_STYLE}</style>'
        f"</head><body>{body}</body></html>"
    )


def _inbound(message: Message) -> InboundMessage | None:
    return InboundMessage.objects.filter(ticket_message=message).order_by("id").first()


def _inline_images(body: str, message: Message) -> str:
    if "cid:" not in body.lower():
        return body
    images = {
        attachment.content_id.lower(): attachment
        for attachment in message.attachments.all()
        if attachment.content_id
        and attachment.content_type.lower() in _INLINE_TYPES
        and attachment.size <= _MAX_INLINE_BYTES
    }

    def data_uri(match: re.Match[str]) -> str:
        attachment = images.get(html.unescape(match.group(1)).lower())
        if attachment is None:
            return 'src=""'
        try:
            with attachment.file.open("rb") as handle:
                content = handle.read()
        except (OSError, ValueError):
            return 'src=""'
        encoded = base64.b64encode(content).decode("ascii")
        return f'src="data:{attachment.content_type.lower()};base64,{encoded}"'

    return _CID_SOURCE.sub(data_uri, body)
