"""An article's Markdown becomes HTML in which nothing runs and nothing loads from elsewhere."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.markdown import ATTRIBUTES, TAGS, excerpt, render

SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")


class Parsed(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parsed(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Parsed()
    parser.feed(html)
    return parser.tags


def urls(html: str) -> list[str]:
    return [
        (attributes.get("href") or attributes.get("src") or "")
        for tag, attributes in parsed(html)
        if tag in ("a", "img")
    ]


def assert_harmless(html: str) -> None:
    """Only allowed tags and attributes; every URL is http(s), mailto or this site's path."""
    for tag, attributes in parsed(html):
        assert tag in TAGS, tag
        for name in attributes:
            assert name in ATTRIBUTES.get(tag, set()) | {"rel", "loading"}, (tag, name)
    for url in urls(html):
        # What a browser reads as the scheme: tabs, line breaks and spaces do not count.
        squeezed = "".join(url.split()).lower()
        scheme = SCHEME.match(squeezed)
        assert scheme is None or scheme.group(1) in ("http", "https", "mailto"), url
        assert not squeezed.startswith(("//", "\\\\", "/\\", "\\/")), url


def test_it_renders_the_usual_markdown():
    html = render("# Setup\n\nSome **bold**, *italic* and `code`.\n\n- one\n- two\n")
    assert "<h2>Setup</h2>" in html  # the page's title is the h1
    assert "<strong>bold</strong>" in html and "<em>italic</em>" in html
    assert "<code>code</code>" in html and "<li>one</li>" in html


def test_tables_render_without_inline_styles_the_policy_would_refuse():
    html = render("| a | b |\n|:-:|--:|\n| 1 | 2 |\n")
    assert "<table>" in html and "<td>2</td>" in html
    assert "style" not in html


@pytest.mark.parametrize(
    "typed",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="https://example.com" onclick="alert(1)">x</a>',
        "<iframe src=https://evil.example></iframe>",
        "<svg onload=alert(1)>",
        "<style>body{display:none}</style>",
        "<!-- <script>alert(1)</script> -->",
        '<div style="position:fixed">x</div>',
    ],
)
def test_raw_html_is_shown_as_text(typed):
    html = render(f"Before {typed} after\n\n{typed}\n")
    assert_harmless(html)
    assert "<script" not in html and "<iframe" not in html and "<svg" not in html
    assert "&lt;" in html  # the typed text is there, escaped


@pytest.mark.parametrize(
    "link",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](java\tscript:alert(1))",
        "[x]( javascript:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](&#x6A;avascript&#58;alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](file:///etc/passwd)",
        "<javascript:alert(1)>",
        "[x][ref]\n\n[ref]: javascript:alert(1)",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](DATA:text/html,<script>alert(1)</script>)",
        "[x](//evil.example/phish)",
    ],
)
def test_links_other_than_http_https_mailto_never_get_through(link):
    html = render(link)
    assert_harmless(html)
    assert urls(html) == [], html  # the link stays text, which runs nothing


def test_a_backslash_never_makes_a_link_to_another_host():
    # Browsers read a leading "\\" as "//"; encoded, it is a path of this site.
    for typed in ("[x](\\\\evil.example/share)", "[x](/\\evil.example)"):
        for url in urls(render(typed)):
            assert not url.startswith(("//", "\\", "/\\")), url


def test_http_https_mailto_and_own_links_stay():
    html = render("[a](https://example.com/a) [b](http://example.com) [c](mailto:help@example.com)")
    assert urls(html) == ["https://example.com/a", "http://example.com", "mailto:help@example.com"]
    assert urls(render("[d](/kb/3-printing/) [e](#top)")) == ["/kb/3-printing/", "#top"]


def test_links_open_nothing_for_the_page_they_leave():
    assert 'rel="noopener noreferrer"' in render("[a](https://example.com/)")


def test_an_image_from_elsewhere_becomes_a_link_and_nothing_loads():
    html = render("![Router lights](https://cdn.example.com/router.png)")
    assert "<img" not in html
    assert urls(html) == ["https://cdn.example.com/router.png"]
    assert "Router lights" in html


def test_images_of_this_site_are_shown():
    html = render("![Settings](/media/kb/settings.png)")
    assert '<img src="/media/kb/settings.png" alt="Settings"' in html


@pytest.mark.parametrize(
    "image",
    [
        "![x](data:image/png;base64,iVBORw0KGgo=)",
        "![x](data:image/svg+xml,<svg onload=alert(1)>)",
        "![x](javascript:alert(1))",
        "![x](//evil.example/pixel.gif)",
        '![x" onerror="alert(1)](/media/a.png)',
    ],
)
def test_data_scripted_and_foreign_images_never_get_through(image):
    html = render(image)
    assert_harmless(html)  # no onerror attribute either: only src, alt and title are kept
    assert not [url for url in urls(html) if url.lower().startswith(("data:", "//", "javascript"))]


def test_code_blocks_keep_html_as_text():
    html = render("```\n<b>bold?</b>\n```")
    assert "&lt;b&gt;bold?&lt;/b&gt;" in html


DANGEROUS = [
    "<script>",
    "</script>",
    "javascript:",
    "data:text/html,",
    "onerror=",
    "onclick=",
    "<img src=x ",
    "](",
    "[",
    ")",
    "![",
    "<",
    ">",
    '"',
    "'",
    "&#106;",
    "\n",
    " ",
    "<a href=",
    "style=",
    "//evil.example",
    "<iframe",
    "`",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(DANGEROUS) | st.text(max_size=5), max_size=30).map("".join))
def test_no_arrangement_of_dangerous_pieces_gets_through(text):
    assert_harmless(render(text))


def test_the_excerpt_is_text_without_markup():
    text = excerpt(
        "# Title\n\nSome **bold** text with a [link](https://example.com) and <b>tags</b>."
    )
    assert text == "Title Some bold text with a link and <b>tags</b>."


def test_a_long_excerpt_ends_at_a_word():
    text = excerpt("word " * 100, length=22)
    assert text == "word word word word…"
