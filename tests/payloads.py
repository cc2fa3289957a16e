"""Hostile text: what a stranger's mail, a customer or a careless paste puts into a field.

Each payload is a small function of a marker, a word like ``hx-title-script!``
that names the field and the payload. Shown as text, the marker is on the page;
run as markup, it disappears into a tag or an attribute, or the payload does
what it says: every ``script`` sets ``window.__pwned`` or calls ``alert``, which
the browser tests watch. Used by tests/browser/test_hostile_text.py and
tests/panel/test_hostile_pages.py through tests/hostile_desk.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

Payload = Callable[[str], str]

#: Far more than anyone types in a field: a pasted log, a mail without line breaks.
LONG = 100_000


def script(m: str) -> str:
    return f"<script>window.__pwned=1</script>{m}"


def img_onerror(m: str) -> str:
    return f"<img src=x onerror=alert(1)>{m}"


def svg_onload(m: str) -> str:
    return f"<svg onload=alert(1)>{m}</svg>"


def svg_script(m: str) -> str:
    return f"<svg><script>window.__pwned=1</script><text>{m}</text></svg>"


def javascript_url(m: str) -> str:
    return f'<a href="javascript:alert(1)">{m}</a>'


def data_url(m: str) -> str:
    return f'<a href="data:text/html,<script>alert(1)</script>">{m}</a>'


def iframe(m: str) -> str:
    return f'<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>{m}'


def object_tag(m: str) -> str:
    return f'<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">{m}'


def unclosed_tag(m: str) -> str:
    # As markup the marker would be an attribute of a tag that never closes.
    return f'<b><i><div title="{m}'


def comment(m: str) -> str:
    # As markup everything after it, the rest of the page, would be a comment.
    return f"<!-- {m}"


def double_quote(m: str) -> str:
    return f'"><script>alert(1)</script>{m}'


def single_quote(m: str) -> str:
    return f"'><svg/onload=alert(1)>{m}"


def unquoted_attribute(m: str) -> str:
    return f"x onmouseover=alert(1) autofocus onfocus=alert(1) {m}"


def close_textarea(m: str) -> str:
    return f"</textarea><img src=x onerror=alert(1)>{m}"


def close_title(m: str) -> str:
    return f"</title><script>alert(1)</script>{m}"


def mathml(m: str) -> str:
    # Mutation XSS: the tree a sanitiser saw is not the one a browser builds from its output.
    return f"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>{m}"


def noscript(m: str) -> str:
    return f'<noscript><p title="</noscript><img src=x onerror=alert(1)>">{m}'


def meta_refresh(m: str) -> str:
    return f'<meta http-equiv="refresh" content="0;url=javascript:alert(1)">{m}'


def form_action(m: str) -> str:
    return f'<form action="javascript:alert(1)"><button>{m}</button></form>'


def style_tag(m: str) -> str:
    return f"<style>body{{display:none}}</style>{m}"


def style_attribute(m: str) -> str:
    return f'<p style="position:fixed;inset:0;background:red">{m}</p>'


def base_tag(m: str) -> str:
    return f'<base href="https://evil.example/">{m}'


def template_variable(m: str) -> str:
    return f"{{{{ 7*7 }}}}{{{{ request.user.password }}}}{m}"


def template_tag(m: str) -> str:
    return f"{{% debug %}}{{% load static %}}{m}"


def entities(m: str) -> str:
    # Shown as typed: "&lt;" stays four characters, never "<".
    return f"&lt;script&gt;&#x3C;b&#62;{m}&amp;"


def bidi_override(m: str) -> str:
    return f"{m}\u202egnp.exe\u202c\u2066\u200f"


def zero_width(m: str) -> str:
    return f"{m}\u200b\u200c\u200d\u2060\ufeff"


def control_characters(m: str) -> str:
    return f"{m}\x00\x07\x08\x1b[31m\x7f"


PAYLOADS: dict[str, Payload] = {
    "script": script,
    "imgerror": img_onerror,
    "svgload": svg_onload,
    "svgscript": svg_script,
    "jsurl": javascript_url,
    "dataurl": data_url,
    "iframe": iframe,
    "object": object_tag,
    "unclosed": unclosed_tag,
    "comment": comment,
    "dquote": double_quote,
    "squote": single_quote,
    "unquoted": unquoted_attribute,
    "textarea": close_textarea,
    "titletag": close_title,
    "mathml": mathml,
    "noscript": noscript,
    "metarefresh": meta_refresh,
    "formaction": form_action,
    "styletag": style_tag,
    "styleattr": style_attribute,
    "basetag": base_tag,
    "tplvar": template_variable,
    "tpltag": template_tag,
    "entities": entities,
    "bidi": bidi_override,
    "zerowidth": zero_width,
    "controls": control_characters,
}

#: Payloads whose marker markup itself hides (inside a tag, a comment, an element the
#: sanitiser drops whole): in mail HTML, where markup is meant, their markers may be gone,
#: and an unclosed one takes what follows with it, so they come last there.
HIDDEN_AS_MARKUP = {"svgscript", "unclosed", "comment", "mathml", "noscript"}

#: Valid e-mail addresses (a quoted local part may hold <, >, /, = and quotes of the
#: other kind, but no space) that are markup when pasted into a page unescaped.
ADDRESS_PAYLOADS: dict[str, Payload] = {
    "svgload": lambda m: f'"<svg/onload=alert(1)>{m}"@evil.example',
    "script": lambda m: f'"<script>alert(1)</script>{m}"@evil.example',
    "squote": lambda m: f'"\'><img/src/onerror=alert(1)>{m}"@evil.example',
}


def marker(field: str, name: str) -> str:
    """``hx-title-script!``: the "!" ends it, so no marker is the start of another."""
    return f"hx-{field}-{name}!"


def long_word(m: str, length: int = LONG) -> str:
    """One word of ``length`` characters: nothing to break a line at."""
    return m + "W" * (length - len(m))


def everything(field: str, *, long: int = LONG, html: bool = False) -> str:
    """Every payload, one a line, and a long word: for fields that hold any text.
    ``html``: the ones markup hides last (mail HTML)."""
    hidden = HIDDEN_AS_MARKUP if html else set()
    lines = [
        payload(marker(field, name)) for name, payload in PAYLOADS.items() if name not in hidden
    ]
    if long:
        lines.append(long_word(marker(field, "long"), long))
    lines += [PAYLOADS[name](marker(field, name)) for name in PAYLOADS if name in hidden]
    return "\n".join(lines)


def as_many_as_fit(field: str, limit: int, names: Iterable[str] = PAYLOADS) -> str:
    """Payloads one after another, as many as fit in ``limit`` characters."""
    text = ""
    for name in names:
        piece = PAYLOADS[name](marker(field, name))
        if len(text) + len(piece) + 1 > limit:
            break
        text = f"{text} {piece}".lstrip()
    return text


def without_nul(text: str) -> str:
    """What a field kept by the ORM alone can hold: PostgreSQL refuses NUL in text, and
    Django's form fields refuse it before it gets there. Other controls stay."""
    return text.replace("\x00", "")


# What must never be in a page built from these payloads --------------------------------

#: Elements no page of ours contains: a payload that became one is markup, not text.
FORBIDDEN_ELEMENTS = {
    "iframe", "frame", "frameset", "object", "embed", "svg", "math", "base", "applet",
    "portal", "noscript", "template", "style",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc"}
_SCRIPT_URL = re.compile(r"^\s*(javascript|vbscript)\s*:", re.IGNORECASE)
_DATA_URL = re.compile(r"^\s*data\s*:", re.IGNORECASE)
#: Where a data: URL is only a picture (the panel's empty favicon is one).
DATA_URL_TAGS = {"img", "link"}
#: Scripts of this site (Django's admin loads its translations from a view).
OUR_SCRIPTS = ("/static/", "/admin/jsi18n/")


@dataclass(frozen=True)
class Finding:
    tag: str
    what: str

    def __str__(self) -> str:
        return f"<{self.tag}> {self.what}"


#: The attributes of the toolbar's icons (panel/templatetags/icons.py), exactly: the
#: one <svg> a panel page's own templates write outside the home's sparklines.
ICON_ATTRIBUTES = {
    "class": "icon",
    "viewbox": "0 0 24 24",
    "fill": "none",
    "stroke": "currentColor",
    "stroke-width": "2",
    "stroke-linecap": "round",
    "stroke-linejoin": "round",
    "aria-hidden": "true",
    "focusable": "false",
}


class MarkupAudit(HTMLParser):
    """What a page's HTML contains that its templates never write: scripts but our own
    static ones, frames and plugins, event handlers and style attributes, script URLs,
    a refresh. The browser tests check the live DOM with the same rules."""

    def __init__(self, *, allow: Iterable[str] = ()) -> None:
        super().__init__(convert_charrefs=True)
        self.forbidden = FORBIDDEN_ELEMENTS - set(allow)
        self.findings: list[Finding] = []
        self._in_toolbar_nav = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_toolbar_nav = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "nav" and attributes.get("aria-label") == "Agent panel":
            self._in_toolbar_nav = True
        if tag == "script" and not attributes.get("src", "").startswith(OUR_SCRIPTS):
            self.findings.append(Finding(tag, f"not one of ours: {attributes}"))
        icon = tag == "svg" and self._in_toolbar_nav and attributes == ICON_ATTRIBUTES
        if tag in self.forbidden and not icon:
            self.findings.append(Finding(tag, "element"))
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            self.findings.append(Finding(tag, "refresh"))
        for name, value in attributes.items():
            if name.startswith("on"):
                self.findings.append(Finding(tag, f"event handler {name}={value!r}"))
            elif name == "style":
                self.findings.append(Finding(tag, f"style attribute {value!r}"))
            elif name in URL_ATTRIBUTES and _SCRIPT_URL.match(value):
                self.findings.append(Finding(tag, f"script URL {name}={value!r}"))
            elif name in URL_ATTRIBUTES and tag not in DATA_URL_TAGS and _DATA_URL.match(value):
                self.findings.append(Finding(tag, f"data URL {name}={value!r}"))

    handle_startendtag = handle_starttag


def audit_markup(html: str, *, allow: Iterable[str] = ()) -> list[Finding]:
    """``allow``: elements the page's own templates use (Django's admin draws its icons
    with inline <svg>); a payload that became one still shows by its handler."""
    audit = MarkupAudit(allow=allow)
    audit.feed(html)
    audit.close()
    return audit.findings


_MARKER = re.compile(r"hx-([a-z0-9]+)-([a-z0-9]+)!")


def markers_in(text: str) -> list[str]:
    return list(dict.fromkeys(match.group() for match in _MARKER.finditer(text)))


def field_of(each: str) -> str:
    match = _MARKER.fullmatch(each)
    return match.group(1) if match else ""


def piece_of(text: str, each: str) -> str | None:
    """The payload in ``text`` that carries the marker ``each``, as it was written."""
    match = _MARKER.fullmatch(each)
    name = match.group(2) if match else ""
    for table in (ADDRESS_PAYLOADS, PAYLOADS):
        if name in table and table[name](each) in text:
            return table[name](each)
    return None


def unescaped(html: str, pieces: Iterable[tuple[str, str]]) -> list[str]:
    """The payloads whose markup stands in the page as written, right before their marker
    (the part before it is what would turn the marker into markup)."""
    found = []
    for piece, each in pieces:
        before = piece.split(each)[0]
        if re.search(r"[<>\"']", before) and before + each in html:
            found.append(piece)
    return found
