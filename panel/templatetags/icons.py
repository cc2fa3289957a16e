"""``{% icon "search" %}``: a Lucide icon of panel/icons/, written into the page.

Inline, so the page fetches nothing more and the Content-Security-Policy has
nothing to allow; ``aria-hidden``, since every icon stands beside its word. The
file's comment and size attributes are dropped: the stylesheet sizes ``.icon``
to the text around it, and ``currentColor`` follows it in both themes.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

FOLDER = Path(__file__).resolve().parent.parent / "icons"
_NAME = re.compile(r"^[a-z0-9-]+$")


@cache
def _markup(name: str) -> str:
    if not _NAME.match(name):
        raise template.TemplateSyntaxError(f"{name!r} is not an icon's name")
    text = (FOLDER / f"{name}.svg").read_text(encoding="utf-8")
    shapes = re.search(r"<svg[^>]*>(.*)</svg>", text, re.S)
    if shapes is None:
        raise template.TemplateSyntaxError(f"panel/icons/{name}.svg holds no <svg>")
    inner = " ".join(line.strip() for line in shapes.group(1).splitlines() if line.strip())
    return (
        '<svg class="icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
        'stroke-width="2" stroke-linecap="round" stroke-linejoin="round" '
        f'aria-hidden="true" focusable="false">{inner}</svg>'
    )


@register.simple_tag
def icon(name: str) -> SafeString:
    # Our own files, read once: no text of anybody's reaches this markup.
    return mark_safe(_markup(name))  # noqa: S308
