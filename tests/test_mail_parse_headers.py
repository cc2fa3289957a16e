"""Header values as text, a strictly parsed sender, addresses, Message-IDs and dates."""

from __future__ import annotations

import pytest

from mail import headers
from mail.charsets import decode_words
from mail.parse import parse


@pytest.mark.parametrize(
    ("value", "address", "name"),
    [
        ("alice@a.example", "alice@a.example", ""),
        ("Alice <Alice@A.Example>", "alice@a.example", "Alice"),
        ('"Doe, Jane" <jane@d.example>', "jane@d.example", "Doe, Jane"),
        ("John Q. Public <john@p.example>", "john@p.example", "John Q. Public"),
        ("john@p.example (John Public)", "john@p.example", ""),
        ("=?utf-8?q?Ren=C3=A9e?= <renee@r.example>", "renee@r.example", "Renée"),
        ("Jürgen <j@m.example>", "j@m.example", "Jürgen"),
        ('"bob@evil.example" <alice@a.example>', "alice@a.example", "bob@evil.example"),
        ("<alice@a.example>", "alice@a.example", ""),
        ("Alice <alice@a.example>,", "alice@a.example", "Alice"),
    ],
)
def test_it_reads_an_unambiguous_sender(value: str, address: str, name: str) -> None:
    assert headers.sender([value]) == (address, name, [])


@pytest.mark.parametrize(
    "value",
    [
        "alice@a.example)<ceo@frontdesk.example>",
        "alice@a.example <ceo@frontdesk.example>",
        "Alice <alice@a.example> ceo@frontdesk.example",
        "alice@a.example, bob@b.example",
        "Undisclosed recipients:;",
        "alice@",
        "<>",
        "garbage",
        "",
        "(" * 2000 + "alice@a.example",
        "a" * 20_000 + "@a.example",
    ],
)
def test_it_refuses_a_sender_it_might_misread(value: str) -> None:
    address, name, problems = headers.sender([value])
    assert (address, name) == ("", "")
    assert problems and problems[0].endswith("sender unknown")


def test_two_from_headers_make_the_sender_unknown() -> None:
    assert headers.sender(["alice@a.example", "alice@a.example"]) == (
        "",
        "",
        ["2 From headers; sender unknown"],
    )


def test_raw_8bit_sender_names_are_decoded_with_the_message_charset() -> None:
    value = "Иван <ivan@r.example>".encode("cp1251").decode("ascii", "surrogateescape")
    assert headers.sender([value], hint="windows-1251") == ("ivan@r.example", "Иван", [])


def test_address_lists_are_lower_cased_and_unique() -> None:
    values = ['"Doe, J" <J@D.example>, b@b.example', "j@d.example, (comment) c@c.example"]
    assert headers.addresses(values) == ["j@d.example", "b@b.example", "c@c.example"]


def test_a_malformed_address_list_still_yields_its_addresses() -> None:
    assert headers.addresses(["alice@, bob@b.example"]) == ["bob@b.example"]


def test_a_huge_address_list_is_read_as_far_as_the_parsing_limit() -> None:
    value = ", ".join(f"user{number}@x.example" for number in range(20_000))
    found = headers.addresses([value])
    assert found[0] == "user0@x.example"
    assert 500 < len(found) < 20_000
    raw = b"From: a@a.example\nTo: " + value.encode() + b"\n\nhello"
    assert parse(raw).problems == [
        f"To header of {len(value)} characters; only the first 16384 were parsed"
    ]


@pytest.mark.parametrize(
    ("value", "ids"),
    [
        ("<a@x>", ["a@x"]),
        ("<a@x> <b@y>\r\n <c@z>", ["a@x", "b@y", "c@z"]),
        ("< spaced@x >", ["spaced@x"]),
        ("<a@x> (comment) <a@x>", ["a@x"]),
        ("bare@x (their message of Monday)", ["bare@x"]),
        ("bare@x, other@y", ["bare@x", "other@y"]),
        ("no id here", []),
        ("", []),
        ("<" + "a" * 2000 + "@x>", []),
    ],
)
def test_message_ids_lose_their_brackets(value: str, ids: list[str]) -> None:
    assert headers.message_ids(value) == ids


def test_a_message_without_message_id_has_an_empty_one() -> None:
    assert parse(b"From: a@a.example\n\nhello").message_id == ""


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("Tue, 4 Mar 2025 09:15:02 +0100", "2025-03-04T09:15:02+01:00"),
        ("4 Mar 2025 09:15 GMT", "2025-03-04T09:15:00+00:00"),
        ("Tue, 4 Mar 2025 09:15:02 -0000", "2025-03-04T09:15:02+00:00"),
    ],
)
def test_dates_are_timezone_aware(value: str, iso: str) -> None:
    parsed = headers.date(value)
    assert parsed is not None and parsed.isoformat() == iso


@pytest.mark.parametrize("value", ["", "yesterday", "Tue, 99 Foo 2025 99:99:99 +0100", "9" * 500])
def test_an_unreadable_date_is_none(value: str) -> None:
    assert headers.date(value) is None


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("plain", "plain"),
        ("=?utf-8?q?caf=C3=A9?=", "café"),
        ("=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?=", "éé"),
        ("=?utf-8?q?a?= b =?utf-8?q?c?=", "a b c"),
        ("=?utf-8?b?5pel?=\r\n =?utf-8?b?5pys?=", "日本"),
        ("=?utf-8?q?r=C3?= =?utf-8?q?=A9sum=C3=A9?=", "résumé"),
        ("=?iso-2022-jp?B?GyRCJUYlOSVIGyhC?=", "テスト"),
        ("=?koi8-r?B?8NLJ18XU?=", "Привет"),
        ("=?utf-8*en?q?lang?=", "lang"),
        ("=?utf-8?b?w6k?=", "é"),
        ("=?utf-8?q?under_score?=", "under score"),
        ("Re:=?utf-8?q?x?=", "Re:x"),
        ("=?x-nothing?q?caf=C3=A9?=", "café"),
    ],
)
def test_encoded_words_are_decoded(value: str, text: str) -> None:
    decoded, _problems = headers.text(value)
    assert decoded == text


def test_an_encoded_word_in_an_unknown_charset_is_decoded_by_fallback() -> None:
    decoded, problems = decode_words("=?x-nothing?q?caf=E9?=", hint="windows-1252")
    assert decoded == "café"
    assert problems == [
        "header: unknown charset x-nothing; read as cp1252",
    ]


def test_subjects_are_unfolded_and_their_whitespace_folded() -> None:
    subject, problems = headers.subject("  Re:   a\r\n\tlong\r\n   subject  ")
    assert (subject, problems) == ("Re: a long subject", [])


def test_control_characters_never_reach_a_header_value() -> None:
    text, problems = headers.text("bad=?utf-8?q?=00=07?=value")
    assert text == "badvalue"
    assert problems == ["header: control characters removed"]
