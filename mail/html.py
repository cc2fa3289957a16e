"""HTML from mail: sanitised for display, and converted to text (DESIGN rule 5).

The sanitiser is an allow-list (nh3, which wraps the Rust ammonia crate): no
scripts, no event handlers, no ``style`` (tags or attributes: CSS can overlay
our own page), no forms or frames, links only to http, https and mailto.

Images are kept only when they point into the message itself (``cid:``). A
remote image is a tracker that tells the sender when and where an agent read
the mail, so its ``src`` is dropped; its ``alt`` text stays, and the image is
counted so the caller can say what was removed. Nothing is fetched.

The text version is written by a small converter on ``html.parser`` rather
than a library: html2text is GPL, inscriptis brings lxml and requests, and
mail needs only paragraphs, line breaks, lists, quotes and link targets.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"title", "dir", "lang", "align"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "font": {"color"},
    "ol": {"start", "type"},
    "table": {"border", "cellpadding", "cellspacing", "width"},
    "td": {"colspan", "rowspan", "valign", "width"},
    "th": {"colspan", "rowspan", "valign", "width"},
}
# Links to these only; relative URLs are refused because in our pages they
# would point into the help desk itself.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "cid"}
# Elements dropped with their content, not just their tags.
DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "title",
    "noscript",
    "template",
    "textarea",
    "iframe",
    "object",
    "xmp",
    "noembed",
    "noframes",
    "select",
}
LINK_REL = "noopener noreferrer nofollow"


def sanitize_html(html: str, *, remote_images: bool = False) -> tuple[str, int]:
    """Safe HTML and the number of remote images whose source was removed.

    ``remote_images`` keeps http and https image sources: only for the isolated
    view where a staff member asked for them (mail.display).
    """
    removed = 0
    kept_sources = ("cid:", "http:", "https:") if remote_images else ("cid:",)

    def keep_attribute(tag: str, attribute: str, value: str) -> str | None:
        nonlocal removed
        if (
            tag == "img"
            and attribute == "src"
            and not value.strip().lower().startswith(kept_sources)
        ):
            removed += 1
            return None
        return value

    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=keep_attribute,
        url_schemes=ALLOWED_URL_SCHEMES,
        url_relative="deny",
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return cleaned, removed


def too_complex(html: str, *, max_tags: int, max_depth: int) -> bool:
    """Whether the HTML has more tags or deeper nesting than is safe to sanitise.

    ammonia's time grows with the square of the nesting depth (20,000 nested
    <div> take 3 s, 100,000 over a minute), and converting to text costs about
    12 microseconds a tag; mail that exceeds either limit is hostile or a
    machine's, and is not worth holding a worker for.
    """
    depth = 0
    for count, tag in enumerate(_TAG.finditer(html), start=1):
        if count > max_tags:
            return True
        name = tag.group(2).lower()
        if name in _NOT_NESTING:
            continue
        depth = max(0, depth - 1) if tag.group(1) else depth + 1
        if depth > max_depth:
            return True
    return False


def strip_tags(html: str) -> str:
    """Rough text of HTML too complex to convert properly: tags removed, entities decoded."""
    text = unescape(_ANY_TAG.sub(" ", html))
    text = _SPACES.sub(" ", text)
    return _BLANK_LINES.sub("\n\n", "\n".join(line.strip() for line in text.split("\n"))).strip()


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML body: paragraphs, lists, quotes, link targets."""
    writer = _TextWriter()
    writer.feed(html)
    writer.close()
    return writer.text()


_BLOCKS = {
    "address",
    "article",
    "aside",
    "caption",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "p",
    "section",
    "table",
    "tr",
}
_PARAGRAPHS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "dl"}
_SKIPPED = {"head", "script", "style", "title", "noscript", "template"}
_WHITESPACE = re.compile(r"[ \t\r\n\f\v]+")
_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
_ANY_TAG = re.compile(r"<[^<>]*>")  # [^<>]: a "<" without ">" must not scan to the end
# Elements that never open a level: void ones, and ones that close themselves.
_NOT_NESTING = {
    "area",
    "base",
    "br",
    "col",
    "dd",
    "dt",
    "embed",
    "hr",
    "img",
    "input",
    "li",
    "link",
    "meta",
    "option",
    "p",
    "param",
    "source",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "track",
    "wbr",
}
_BLANK_LINES = re.compile(r"\n{3,}")


class _TextWriter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._out: list[str] = []
        self._at_line_start = True
        self._newlines = 0
        self._skip_depth = 0
        self._pre_depth = 0
        self._quote_depth = 0
        self._lists: list[int | None] = []  # None for <ul>, the next number for <ol>
        self._links: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip_depth += 1
        if self._skip_depth:
            return
        attributes = {name: value or "" for name, value in attrs}
        if tag == "br":
            self._break()
        elif tag in _PARAGRAPHS:
            self._ensure_newlines(2)
        elif tag in _BLOCKS:
            self._ensure_newlines(1)
        if tag == "pre":
            self._ensure_newlines(1)
            self._pre_depth += 1
        elif tag == "blockquote":
            self._ensure_newlines(1)
            self._quote_depth += 1
        elif tag == "ul":
            self._ensure_newlines(1)
            self._lists.append(None)
        elif tag == "ol":
            self._ensure_newlines(1)
            start = attributes.get("start", "1")
            self._lists.append(int(start) if start.isdigit() else 1)
        elif tag == "li":
            self._ensure_newlines(1)
            self._write(self._bullet(), raw=True)
        elif tag == "hr":
            self._ensure_newlines(1)
            self._write("-----", raw=True)
            self._ensure_newlines(1)
        elif tag in ("td", "th") and not self._at_line_start:
            self._write(" ", raw=True)
        elif tag == "img" and attributes.get("alt", "").strip():
            self._write(f"[{attributes['alt'].strip()}]")
        elif tag == "a":
            self._links.append((attributes.get("href", ""), len(self._out)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "hr", "img"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
            return
        if self._skip_depth:
            return
        if tag == "a" and self._links:
            href, start = self._links.pop()
            self._close_link(href, "".join(self._out[start:]).strip())
        elif tag == "pre":
            self._pre_depth = max(0, self._pre_depth - 1)
            self._ensure_newlines(1)
        elif tag == "blockquote":
            self._quote_depth = max(0, self._quote_depth - 1)
            self._ensure_newlines(1)
        elif tag in ("ul", "ol"):
            if self._lists:
                self._lists.pop()
            self._ensure_newlines(1)
        elif tag in _PARAGRAPHS:
            self._ensure_newlines(2)
        elif tag in _BLOCKS or tag == "li":
            self._ensure_newlines(1)

    def handle_data(self, data: str) -> None:
        if self._skip_depth or not data:
            return
        if self._pre_depth:
            for number, line in enumerate(data.split("\n")):
                if number:
                    self._break()
                if line:
                    self._write(line, raw=True)
            return
        # Outlook indents and spaces with &nbsp;, which means nothing in text.
        self._write(_WHITESPACE.sub(" ", data.replace("\xa0", " ")))

    def text(self) -> str:
        lines = [line.rstrip() for line in "".join(self._out).split("\n")]
        return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()

    def _close_link(self, href: str, label: str) -> None:
        target = href.strip()
        shown = target[len("mailto:") :] if target.lower().startswith("mailto:") else target
        if not target.lower().startswith(("http:", "https:", "mailto:")):
            return
        if label and shown and shown not in label:
            self._write(f" <{shown}>", raw=True)

    def _bullet(self) -> str:
        if not self._lists or self._lists[-1] is None:
            return "- "
        number = self._lists[-1]
        self._lists[-1] = number + 1
        return f"{number}. "

    def _write(self, text: str, *, raw: bool = False) -> None:
        if self._at_line_start:
            if not raw:
                text = text.lstrip(" ")
            if not text:
                return
            self._out.append("> " * self._quote_depth)
            self._at_line_start = False
        self._out.append(text)
        self._newlines = 0

    def _break(self) -> None:
        if self._at_line_start and self._quote_depth:
            self._out.append(">" * self._quote_depth)
        self._out.append("\n")
        self._at_line_start = True
        self._newlines += 1

    def _ensure_newlines(self, count: int) -> None:
        if not self._out:
            return
        while self._newlines < count:
            self._break()
