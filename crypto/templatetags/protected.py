"""``{% protected_text message %}``: a message's text with each armored PGP block
shown as a *Show encrypted information* button (a POST with the CSRF token, by
htmx into the page's dialog, or a page of its own without JavaScript)."""

from __future__ import annotations

from typing import Any

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from crypto import blocks, keys
from tickets.models import Message

register = template.Library()


@register.simple_tag(takes_context=True)
def protected_text(context: dict[str, Any], message: Message) -> SafeString:
    text = message.text
    if not blocks.has_blocks(text):
        return conditional_escape(text)
    request = context.get("request")
    token = get_token(request) if request is not None else ""
    label = gettext("Show encrypted information")
    parts: list[str] = []
    number = 0
    for piece, is_block in blocks.segments(text):
        if not is_block:
            parts.append(conditional_escape(piece))
            continue
        number += 1
        url = reverse("panel:reveal_encrypted", args=[message.ticket_id, message.pk, number])
        parts.append(
            format_html(
                '<form method="post" action="{url}" class="encrypted-block" '
                'id="reveal-form-{pk}-{number}" hx-post="{url}" '
                'hx-target="#decrypted-dialog-body" hx-swap="innerHTML">'
                '<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
                '<button type="submit" id="reveal-{pk}-{number}" class="reveal">'
                "{label}</button></form>",
                url=url,
                token=token,
                pk=message.pk,
                number=number,
                label=label,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 - text escaped, the forms built by format_html


@register.inclusion_tag("portal/_encrypt_part.html")
def encrypt_part(field_id: str) -> dict[str, object]:
    """The portal's "Encrypt this part" for the message field ``field_id``, when a key
    is published."""
    return {"published": bool(keys.public_key()), "field_id": field_id}


@register.filter
def encrypted_marked(text: str, label: str) -> SafeString:
    """The portal's view of a message: each armored block as ``label``, not its armor."""
    if not blocks.has_blocks(text):
        return conditional_escape(text)
    marker = format_html('<span class="encrypted-marker">{}</span>', label)
    return mark_safe(  # noqa: S308 - the text is escaped, the marker built by format_html
        "".join(
            marker if is_block else conditional_escape(piece)
            for piece, is_block in blocks.segments(text)
        )
    )


@register.filter
def is_encrypted_file(filename: str) -> bool:
    """Is this attachment's name one of a file encrypted on its own (``.pgp``)?"""
    return blocks.is_encrypted_name(filename)
