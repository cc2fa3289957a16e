"""Articles' Markdown as safe HTML: markdown-it-py without raw HTML, then nh3.

markdown-it-py is a CommonMark parser (the reference test suite passes) that
keeps no HTML typed into the text when ``html`` is off: ``<script>`` arrives as
text. Its link check and ours below leave only http, https and mailto links
(and this site's own paths). Images load only from this site: an image from
elsewhere becomes a link to it, so reading an article tells no other server
who read it. nh3 (the allow-list sanitiser that already cleans mail HTML) then
keeps only the tags and attributes below, whatever a parser bug might let out.
"""

from __future__ import annotations

import html as entities
import re
from collections.abc import Sequence
from typing import Any

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# Characters browsers drop from a URL before reading its scheme ("java\tscript:").
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]")

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}


def allowed_link(url: str) -> bool:
    """http, https, mailto, or a path of this site; never a scheme-relative ``//host``."""
    url = _IGNORED_IN_URLS.sub("", url)
    match = _SCHEME.match(url)
    if match:
        return match.group(1).lower() in SCHEMES
    return not url.startswith(("//", "\\\\", "/\\", "\\/"))


def from_this_site(url: str) -> bool:
    url = _IGNORED_IN_URLS.sub("", url)
    return url.startswith("/") and allowed_link(url) and not _SCHEME.match(url)


def _keep_safe_urls(element: str, attribute: str, value: str) -> str | None:
    if attribute == "href":
        return value if allowed_link(value) else None
    if attribute == "src":
        return value if from_this_site(value) else None
    return value


# Render rules are bound to markdown-it's renderer, which comes first.


def _image(renderer: Any, tokens: Sequence[Token], index: int, options: Any, env: Any) -> str:
    token = tokens[index]
    source = str(token.attrGet("src") or "")
    alt = escape(renderer.renderInlineAsText(token.children or [], options, env))
    if from_this_site(source):
        return f'<img src="{escape(source)}" alt="{alt}" loading="lazy">'
    if allowed_link(source) and _SCHEME.match(source):
        return f'<a href="{escape(source)}">{alt or escape(source)}</a>'
    return str(alt)


def _heading(renderer: Any, tokens: Sequence[Token], index: int, options: Any, env: Any) -> str:
    # The article's title is the page's h1: its own headings start one level down.
    token = tokens[index]
    level = min(6, int(token.tag[1]) + 1)
    return f"<h{level}>" if token.nesting == 1 else f"</h{level}>\n"


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable(["table", "strikethrough"])
    parser.validateLink = allowed_link  # type: ignore[method-assign]
    parser.add_render_rule("image", _image)
    parser.add_render_rule("heading_open", _heading)
    parser.add_render_rule("heading_close", _heading)
    return parser


_PARSER = _parser()


def render(markdown: str) -> SafeString:
    """The article body as HTML that may be put in a page as it is."""
    html = _PARSER.render(markdown)
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_keep_safe_urls,
        url_schemes=set(SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308  (cleaned by nh3 with the allow-list above)


_SPACE = re.compile(r"\s+")


def excerpt(markdown: str, length: int = 180) -> str:
    """The beginning of the text without its markup, for lists and suggestions."""
    text = nh3.clean(_PARSER.render(markdown), tags=set())
    # nh3 returns text with HTML entities; the template escapes it again.
    text = _SPACE.sub(" ", entities.unescape(text)).strip()
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(",.;:") + "…"
