"""Bytes to text in any charset, HTML sanitised, HTML to text (SPEC S13, S31; DESIGN rule 5)."""

from __future__ import annotations

import pytest

from mail import parse as parse_module
from mail.charsets import decode_bytes, resolve
from mail.html import html_to_text, sanitize_html, strip_tags, too_complex
from mail.parse import parse

RUSSIAN = "Здравствуйте! У меня не работает почта, помогите пожалуйста разобраться."


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("utf-8", "utf-8"),
        ("UTF8", "utf-8"),
        ('"iso-8859-1"', "cp1252"),
        ("gb2312", "gb18030"),
        ("ks_c_5601-1987", "cp949"),
        ("shift_jis", "cp932"),
        ("ISO-2022-JP", "iso2022_jp_ext"),
        ("windows-1251", "cp1251"),
        ("koi8-r", "koi8-r"),
        ("x-unknown", None),
        ("", None),
        (None, None),
        ("unicode_escape", None),
        ("raw-unicode-escape", None),
        ("zlib", None),
        ("rot13", None),
        ("idna", None),
    ],
)
def test_charset_labels_resolve_to_what_senders_mean(label: str | None, codec: str | None) -> None:
    assert resolve(label) == codec


@pytest.mark.parametrize(
    ("charset", "encoding", "text"),
    [
        ("windows-1251", "cp1251", RUSSIAN),
        ("koi8-r", "koi8_r", RUSSIAN),
        ("iso-2022-jp", "iso2022_jp", "テストです"),
        ("gb18030", "gb18030", "您好𠀀"),
        ("big5", "big5", "你好"),
        ("euc-kr", "euc_kr", "안녕하세요"),
        ("utf-16", "utf-16", RUSSIAN),
        ("iso-8859-7", "iso8859_7", "Καλημέρα"),
        ("iso-8859-1", "latin-1", "Café \x81"),
    ],
)
def test_text_in_its_declared_charset_is_read_without_a_problem(
    charset: str, encoding: str, text: str
) -> None:
    assert decode_bytes(text.encode(encoding), charset) == (text, "")


def test_a_body_labelled_utf8_that_is_windows_1251_is_detected() -> None:
    text, problem = decode_bytes(RUSSIAN.encode("cp1251"), "utf-8")
    assert text == RUSSIAN
    assert (
        problem == "text: declared charset utf-8 does not fit the bytes; read as cp1251 (detected)"
    )


def test_a_few_bad_bytes_in_utf8_are_replaced_not_guessed_around() -> None:
    data = ("Ünïcödé text " * 20).encode() + b"\xff"
    text, problem = decode_bytes(data, "utf-8")
    assert text.endswith("\ufffd")
    assert problem == "text: undecodable bytes in charset utf-8 replaced"


def test_8bit_text_without_a_charset_falls_back_to_utf8_then_detection() -> None:
    assert decode_bytes("Grüße".encode(), None) == (
        "Grüße",
        "text: 8-bit text without a declared charset; read as UTF-8",
    )
    assert decode_bytes(b"plain ascii", None) == ("plain ascii", "")
    text, problem = decode_bytes(RUSSIAN.encode("koi8_r"), None)
    assert text == RUSSIAN
    assert problem.endswith("read as koi8-r (detected)")


def test_a_hint_is_tried_before_the_detector() -> None:
    text, problem = decode_bytes("Привет".encode("cp1251"), None, hint="windows-1251")
    assert (text, problem) == (
        "Привет",
        "text: 8-bit text without a declared charset; read as cp1251",
    )


def test_undetectable_bytes_end_as_latin1() -> None:
    text, problem = decode_bytes(bytes(range(128, 256)) * 3, "us-ascii")
    assert len(text) == 384
    assert problem.startswith("text: declared charset us-ascii does not fit the bytes; read as")


def test_a_utf8_byte_order_mark_is_not_text() -> None:
    assert decode_bytes(b"\xef\xbb\xbfhello", "utf-8") == ("hello", "")


# HTML


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<script>alert(1)</script><p>x</p>", "<p>x</p>"),
        ('<img src="cid:a" onerror="alert(1)">', '<img src="cid:a">'),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'),
        ('<a href="/relative">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'),
        (
            '<a href="https://e.example/" target="_top">x</a>',
            ('<a href="https://e.example/" rel="noopener noreferrer nofollow">x</a>'),
        ),
        ("<style>p{color:red}</style><p>x</p>", "<p>x</p>"),
        ('<p style="position:fixed" class="c" id="i">x</p>', "<p>x</p>"),
        ('<link rel="stylesheet" href="https://e.example/x.css"><p>x</p>', "<p>x</p>"),
        ('<iframe src="https://e.example/"></iframe><p>x</p>', "<p>x</p>"),
        ('<form action="https://e.example/"><input name="p"></form>', ""),
        ('<img src="data:image/png;base64,AAAA" alt="d">', '<img alt="d">'),
        ("<svg><script>alert(1)</script></svg>", ""),
        ("<!-- comment --><p>x</p>", "<p>x</p>"),
        ('<base href="https://e.example/"><p>x</p>', "<p>x</p>"),
        ('<meta http-equiv="refresh" content="0;url=https://e.example/">', ""),
        (
            '<table border="1"><tr><td colspan="2">x</td></tr></table>',
            ('<table border="1"><tbody><tr><td colspan="2">x</td></tr></tbody></table>'),
        ),
    ],
)
def test_html_is_sanitised_to_the_allow_list(dirty: str, clean: str) -> None:
    assert sanitize_html(dirty)[0] == clean


def test_remote_images_are_dropped_and_counted() -> None:
    clean, removed = sanitize_html(
        '<img src="https://t.example/p.gif" alt="logo"><img src="HTTP://t.example/q.gif">'
        '<img src="cid:inline@x">'
    )
    assert clean == '<img alt="logo"><img><img src="cid:inline@x">'
    assert removed == 2


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("a<br>b<br><br>c", "a\nb\n\nc"),
        ("<ul><li>x</li><li>y</li></ul>", "- x\n- y"),
        ('<ol start="3"><li>x</li><li>y</li></ol>', "3. x\n4. y"),
        ("<blockquote>quoted<br>lines</blockquote>after", "> quoted\n> lines\nafter"),
        ('<a href="https://e.example/x">here</a>', "here <https://e.example/x>"),
        ('<a href="https://e.example/">https://e.example/</a>', "https://e.example/"),
        ('<a href="mailto:a@b.example">write</a>', "write <a@b.example>"),
        ("<pre>  keep\n    indent</pre>", "keep\n    indent"),
        ("a&nbsp;&amp;&nbsp;b &lt;tag&gt;", "a & b <tag>"),
        ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"),
        ("<head><title>T</title><style>x</style></head><body>Body</body>", "Body"),
        ('<img alt="logo"> text', "[logo] text"),
        ("<hr>", "-----"),
        ("", ""),
    ],
)
def test_html_becomes_readable_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_html_too_complex_to_sanitise_is_recognised() -> None:
    assert not too_complex("<p>x</p>" * 100, max_tags=1000, max_depth=10)
    assert not too_complex("<p>" * 100 + "<br>" * 100, max_tags=1000, max_depth=10)
    assert too_complex("<b>x</b>" * 501, max_tags=1000, max_depth=10)
    assert too_complex("<div>" * 11, max_tags=1000, max_depth=10)
    assert too_complex("<div>" * 11 + "</div>" * 11, max_tags=1000, max_depth=10)


def test_html_too_complex_to_sanitise_is_kept_as_an_attachment(monkeypatch) -> None:
    monkeypatch.setattr(parse_module, "MAX_HTML_TAGS", 10)
    html = b"<p>Hello &amp; welcome</p>" + b"<b>x</b>" * 10
    parsed = parse(b"From: a@a.example\nContent-Type: text/html\n\n" + html)
    assert parsed.html == ""
    assert parsed.text.startswith("Hello & welcome")
    assert [attachment.filename for attachment in parsed.attachments] == ["message.html"]
    assert parsed.attachments[0].content.endswith(html)
    assert parsed.problems == [
        "HTML body of more than 10 tags or 1000 levels not displayed; kept as message.html"
    ]


def test_a_hundred_thousand_nested_elements_do_not_hold_the_parser() -> None:
    raw = b"From: a@a.example\nContent-Type: text/html\n\n" + b"<div>" * 100_000 + b"deep"
    parsed = parse(raw)
    assert parsed.text == "deep"
    assert parsed.html == ""


def test_rough_text_of_html_never_scans_past_an_unclosed_bracket() -> None:
    assert strip_tags("<p>a</p>" + "<" * 50_000 + "b") == "a " + "<" * 50_000 + "b"


def test_many_unfinished_blocks_in_a_text_body_do_not_hold_the_parser() -> None:
    body = b"begin 644 a\nM\n" * 20_000 + b"-----BEGIN PGP MESSAGE-----\nabc\n" * 20_000
    parsed = parse(b"From: a@a.example\nContent-Type: text/plain\n\n" + body)
    assert parsed.attachments == []
    assert parsed.pgp_blocks == []
    assert parsed.text.startswith("begin 644 a")
