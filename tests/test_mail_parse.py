"""The mail parser's contract: never raises, limits hold, bodies and attachments (SPEC S31)."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest

from mail import parse as parse_module
from mail.nesting import limit_nesting
from mail.parse import ParsedMessage, parse

CORPUS = Path(__file__).parent / "mail"
HEADERS = (
    b"From: Alice <alice@a.example>\n"
    b"To: support@frontdesk.example\n"
    b"Subject: Test\n"
    b"Message-ID: <t-1@a.example>\n"
    b"MIME-Version: 1.0\n"
)


def message(content_type: bytes, body: bytes, extra: bytes = b"") -> bytes:
    return HEADERS + extra + b"Content-Type: " + content_type + b"\n\n" + body


def multipart(*parts: bytes, subtype: bytes = b"mixed") -> bytes:
    body = b"".join(b"--p\n" + part + b"\n" for part in parts) + b"--p--\n"
    return message(b"multipart/" + subtype + b'; boundary="p"', body)


def corpus() -> list[bytes]:
    return [path.read_bytes() for path in sorted(CORPUS.glob("*.eml"))]


def assert_well_formed(parsed: ParsedMessage, raw: bytes) -> None:
    assert isinstance(parsed, ParsedMessage)
    assert parsed.content_hash == hashlib.sha256(raw).hexdigest()
    for text in [parsed.subject, parsed.text, parsed.html, parsed.from_name]:
        assert "\x00" not in text
        text.encode("utf-8")  # no lone surrogates: every database can store it
    for name, value in parsed.headers:
        (name + value).encode("utf-8")
    for attachment in parsed.attachments:
        attachment.filename.encode("utf-8")
        assert "/" not in attachment.filename
        assert attachment.filename


# Never an exception to the caller


def test_it_never_raises_for_random_bytes() -> None:
    generator = random.Random(4)
    for length in [0, 1, 2, 10, 100, 1000, 10_000] * 20:
        raw = generator.randbytes(length)
        assert_well_formed(parse(raw), raw)


def test_it_never_raises_for_random_header_like_lines() -> None:
    generator = random.Random(5)
    alphabet = b'From:To:Subject:Content-Type:multipart/mixed;boundary="=?utf-8?b?<>@,;\n\r\t -'
    for _ in range(300):
        raw = bytes(generator.choice(alphabet) for _ in range(generator.randint(0, 400)))
        assert_well_formed(parse(raw), raw)


def test_it_never_raises_for_truncated_corpus_messages() -> None:
    for raw in corpus():
        for cut in sorted({1, 10, 50, len(raw) // 3, len(raw) // 2, len(raw) - 7}):
            truncated = raw[: max(cut, 0)]
            assert_well_formed(parse(truncated), truncated)


def test_it_never_raises_for_damaged_corpus_messages() -> None:
    generator = random.Random(6)
    for raw in corpus():
        for _ in range(5):
            damaged = bytearray(raw)
            for _ in range(generator.randint(1, 20)):
                damaged[generator.randrange(len(damaged))] = generator.randrange(256)
            assert_well_formed(parse(bytes(damaged)), bytes(damaged))


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\n\n\n",
        b"From: alice@\n\nbody",
        b"From: <>\n\n",
        b"Content-Type: multipart/mixed\n\nno boundary",
        b'Content-Type: multipart/mixed; boundary=""\n\n--\n\n----\n',
        b"Content-Type: message/rfc822\n\n",
        b"Content-Type: message/delivery-status\n\n\n\n",
        b'Content-Type: text/plain; charset="\xff\xfe"\n\n\xff',
        b"Content-Type: text/plain; charset=unicode_escape\n\n\\u0041",
        b"Content-Transfer-Encoding: base64\n\n====",
        b"Content-Transfer-Encoding: x-uuencode\n\nbegin 644 x\n!!!!\nend\n",
        b"Content-Disposition: attachment; filename*=bogus''%ZZ\n\nx",
        b"Date: Mon, 99 Foo 99999 99:99:99 +9999\n\n",
        b"Subject: =?utf-8?b?####?= =?x-nothing?q?=ZZ?=\n\n",
        b"\xff\xfe\x00\x00" * 100,
        b"From: " + b"a" * 100_000 + b"\n\n",
    ],
)
def test_it_never_raises_for_hostile_shapes(raw: bytes) -> None:
    assert_well_formed(parse(raw), raw)


def test_it_reports_a_parser_bug_as_a_problem_instead_of_raising(monkeypatch) -> None:
    def broken(message, limits):
        raise RuntimeError("bug")

    monkeypatch.setattr(parse_module, "read_body", broken)
    parsed = parse(HEADERS + b"\nhello")
    assert parsed.problems == ["message cannot be parsed (RuntimeError)"]
    assert parsed.content_hash == hashlib.sha256(HEADERS + b"\nhello").hexdigest()


def test_it_accepts_any_bytes_like_object() -> None:
    raw = HEADERS + b"\nhello\n"
    assert parse(bytearray(raw)) == parse(raw)
    assert parse(memoryview(raw)) == parse(raw)


# Limits


def test_a_message_over_the_size_limit_is_read_for_its_headers_only(monkeypatch) -> None:
    monkeypatch.setattr(parse_module, "MAX_MESSAGE_BYTES", 1000)
    raw = message(b"text/plain", b"x" * 2000)
    parsed = parse(raw)
    assert parsed.subject == "Test"
    assert parsed.from_address == "alice@a.example"
    assert parsed.text == ""
    assert parsed.problems == [
        f"message of {len(raw)} bytes is over the limit of 1000 bytes; only its headers were read"
    ]


def test_an_attachment_over_the_limit_is_not_kept(monkeypatch) -> None:
    monkeypatch.setattr(parse_module, "MAX_ATTACHMENT_BYTES", 10)
    raw = multipart(
        b"Content-Type: text/plain\n\nSee the files.",
        b'Content-Type: application/octet-stream; name="small.bin"\n\n0123456789',
        b'Content-Type: application/octet-stream; name="large.bin"\n\n0123456789A',
    )
    parsed = parse(raw)
    assert parsed.text == "See the files."
    assert [attachment.filename for attachment in parsed.attachments] == ["small.bin"]
    assert parsed.problems == [
        "attachment large.bin of 11 bytes is over the limit of 10 bytes; not kept"
    ]


def test_parts_beyond_the_part_limit_are_not_read(monkeypatch) -> None:
    monkeypatch.setattr(parse_module, "MAX_PARTS", 3)
    raw = multipart(*[f"Content-Type: text/plain\n\npart {n}".encode() for n in range(1, 6)])
    parsed = parse(raw)
    assert parsed.text == "part 1\n\npart 2"
    assert parsed.problems == ["more than 3 MIME parts; the rest were not read"]


def test_parts_beyond_the_depth_limit_are_not_read(monkeypatch) -> None:
    monkeypatch.setattr(parse_module, "MAX_DEPTH", 2)
    raw = message(
        b'multipart/mixed; boundary="a"',
        b"--a\nContent-Type: text/plain\n\nlevel one\n"
        b'--a\nContent-Type: multipart/mixed; boundary="b"\n\n'
        b"--b\nContent-Type: text/plain\n\nlevel two\n"
        b'--b\nContent-Type: multipart/mixed; boundary="c"\n\n'
        b"--c\nContent-Type: text/plain\n\nlevel three\n--c--\n"
        b"--b--\n--a--\n",
    )
    parsed = parse(raw)
    assert parsed.text == "level one\n\nlevel two"
    assert parsed.problems == ["parts nested deeper than 2 levels were not read"]


def test_the_headers_list_is_capped_but_every_header_is_read(monkeypatch) -> None:
    monkeypatch.setattr(parse_module, "MAX_HEADERS", 3)
    raw = b"X-A: 1\nX-B: 2\nX-C: 3\nX-D: 4\n" + HEADERS + b"\nhello"
    parsed = parse(raw)
    assert [name for name, _value in parsed.headers] == ["X-A", "X-B", "X-C"]
    assert parsed.subject == "Test"
    assert parsed.from_address == "alice@a.example"
    assert parsed.problems == ["9 headers; only the first 3 are listed"]


def test_the_nesting_guard_leaves_shallow_messages_untouched() -> None:
    for raw in corpus():
        assert limit_nesting(raw, 50, "application/x-cut") == (raw, 0)


def test_the_nesting_guard_cuts_digest_parts_that_nest_without_a_content_type() -> None:
    inner = b"Subject: inner\n\ntext\n"
    for level in range(60):
        boundary = b"d%d" % level
        digest = b'Content-Type: multipart/digest; boundary="' + boundary + b'"\n\n'
        inner = digest + b"--" + boundary + b"\n\n" + inner + b"--" + boundary + b"--\n"
    raw = HEADERS + inner
    prepared, cut = limit_nesting(raw, 10, "application/x-cut")
    assert cut == 1
    assert prepared.count(b"Content-Type: application/x-cut") == 1
    assert parse(raw).problems == ["parts nested deeper than 50 levels were not read"]


# Bodies


def test_alternative_parts_give_the_text_and_the_sanitised_html() -> None:
    raw = multipart(
        b"Content-Type: text/plain; charset=utf-8\n\nplain words",
        b"Content-Type: text/html; charset=utf-8\n\n<p onclick='x()'>html <b>words</b></p>",
        subtype=b"alternative",
    )
    parsed = parse(raw)
    assert parsed.text == "plain words"
    assert parsed.html == "<p>html <b>words</b></p>"


def test_html_only_mail_gets_a_text_version() -> None:
    parsed = parse(message(b"text/html", b"<p>One</p><p>Two<br>Three</p><script>x</script>"))
    assert parsed.text == "One\n\nTwo\nThree"


def test_text_keeps_its_lines_whatever_the_line_endings() -> None:
    raw = (HEADERS + b"Content-Type: text/plain\n\n").replace(b"\n", b"\r\n")
    parsed = parse(raw + b"one\r\ntwo\rthree\r\n")
    assert parsed.text == "one\ntwo\nthree"


def test_format_flowed_lines_are_joined_and_quotes_kept_apart() -> None:
    body = b"A soft \nbreak.\n> Quoted soft \n> break.\nHard\n-- \nSignature\n"
    parsed = parse(message(b"text/plain; format=flowed", body))
    assert parsed.text == "A soft break.\n> Quoted soft break.\nHard\n-- \nSignature"
    deleted = parse(message(b"text/plain; format=flowed; delsp=yes", b"Zusammen \ngesetzt\n"))
    assert deleted.text == "Zusammengesetzt"


def test_an_image_is_inline_only_when_the_html_refers_to_it() -> None:
    image = b"Content-Type: image/png\nContent-Transfer-Encoding: base64\n"
    raw = multipart(
        b'Content-Type: text/html\n\n<img src="CID:Logo@X" alt="logo">',
        image + b"Content-ID: <logo@x>\n\niVBORw0KGgo=",
        image + b"Content-ID: <other@x>\n\niVBORw0KGgo=",
        subtype=b"related",
    )
    parsed = parse(raw)
    assert [(a.content_id, a.is_inline) for a in parsed.attachments] == [
        ("logo@x", True),
        ("other@x", False),
    ]


def test_attachment_names_cannot_be_paths_or_pages_long() -> None:
    long_name = "x" * 300 + ".pdf"
    raw = multipart(
        b'Content-Type: application/pdf\nContent-Disposition: attachment; filename="/etc/passwd"'
        b"\n\n1",
        b'Content-Type: application/pdf\nContent-Disposition: attachment; filename="..\\\\a.exe"'
        b"\n\n2",
        b'Content-Type: application/pdf\nContent-Disposition: attachment; filename="'
        + long_name.encode()
        + b'"\n\n3',
        b'Content-Type: application/pdf\nContent-Disposition: attachment; filename="a\tb\x01c.pdf"'
        b"\n\n4",
        b'Content-Type: application/pdf\nContent-Disposition: attachment; filename="..."\n\n5',
    )
    names = [attachment.filename for attachment in parse(raw).attachments]
    assert names[:2] == ["passwd", "a.exe"]
    assert len(names[2]) == 200 and names[2].endswith(".pdf")
    assert names[3] == "a bc.pdf"
    assert names[4] == "attachment-5.pdf"


def test_an_undecodable_uuencoded_block_stays_in_the_text() -> None:
    body = b"Look:\nbegin 644 broken.bin\n\xe2\x82\xac\xe2\x82\xac\nend\n"
    parsed = parse(message(b"text/plain; charset=utf-8", body))
    assert "begin 644 broken.bin" in parsed.text
    assert parsed.attachments == []
    assert parsed.problems == ["uuencoded block cannot be decoded; left in the text"]


def test_pgp_mime_without_an_armored_block_keeps_the_payload_as_an_attachment() -> None:
    raw = message(
        b'multipart/encrypted; protocol="application/pgp-encrypted"; boundary="e"',
        b"--e\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n"
        b'--e\nContent-Type: application/octet-stream; name="msg.gpg"\n\n\x85\x01binary\n--e--\n',
    )
    parsed = parse(raw)
    assert parsed.is_pgp_mime
    assert parsed.pgp_blocks == []
    assert [attachment.filename for attachment in parsed.attachments] == ["msg.gpg"]


def test_remote_images_are_counted_and_dropped() -> None:
    html = b'<img src="https://t.example/1.gif"><img src="http://t.example/2.gif"><img src="cid:a">'
    parsed = parse(message(b"text/html", html))
    assert parsed.remote_images_removed == 2
    assert parsed.html == '<img><img><img src="cid:a">'
    assert parsed.problems == ["remote images removed from the HTML: 2"]


def test_headers_are_listed_decoded_and_found_case_insensitively() -> None:
    raw = HEADERS + b"X-Note: =?utf-8?q?caf=C3=A9?=\nx-note: second\n\nhello"
    parsed = parse(raw)
    assert parsed.header("X-NOTE") == ["café", "second"]
    assert parsed.headers[0] == ("From", "Alice <alice@a.example>")
