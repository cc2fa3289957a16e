"""Every message of the mail corpus parses to its expected outcome (issue 4, SPEC S31).

The stored messages are in tests/mail/ (written by tests/mail/make_corpus.py);
the very large ones are generated here by fixtures. ``problems`` lists
fragments that must each appear in a problem; an empty tuple means the
message must parse without any problem at all.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from mail.parse import ParsedMessage, parse

CORPUS = Path(__file__).parent / "mail"
RUSSIAN = "Здравствуйте! У меня не работает почта, помогите пожалуйста разобраться."


@dataclass(frozen=True)
class Expected:
    subject: str
    from_address: str
    text: str  # a fragment of the text; "" means the text is empty
    attachments: tuple[str, ...] = ()  # file names, in order
    problems: tuple[str, ...] = ()
    from_name: str | None = None
    message_id: str | None = None
    not_in_text: str | None = None
    inline: tuple[str, ...] = ()  # attachments shown inside the HTML
    html: str | None = None  # a fragment of the sanitised HTML


EXPECTED: dict[str, Expected] = {
    # Client shapes
    "outlook_related.eml": Expected(
        "Invoice question",
        "maria.ivanova@corp.example",
        "invoice shows 120 € instead of 100 €",
        ("image001.png", "Счёт №42.pdf"),
        from_name="Мария Иванова",
        inline=("image001.png",),
        html='src="cid:image001.png@01DB8C2A.5E6F7A80"',
    ),
    "outlook_winmail_dat.eml": Expected(
        "RE: Printer setup",
        "jordan.lee@corp.example",
        "The printer still does not work",
        ("winmail.dat",),
        from_name="Lee, Jordan",
    ),
    "outlook_calendar_invite.eml": Expected(
        "Onboarding call", "sam.park@corp.example", "Let us talk on Friday.", ("invite.ics",)
    ),
    "outlook_no_filename_attachment.eml": Expected(
        "Scan", "scanner@office.example", "Scanned document.", ("attachment-1.pdf",)
    ),
    "gmail_alternative.eml": Expected(
        "Cannot reset my password",
        "jonas.becker@gmail.example",
        "Hi, the reset link says it expired. Grüße, Jonas",
        message_id="CAB4xY=7kPq_Zm2nW9vQhJ8tR3sL1uV6a@mail.gmail.com",
        html="<b>expired</b>",
    ),
    "gmail_attachment.eml": Expected(
        "Logs attached", "jonas.becker@gmail.example", "Here are the logs.", ("server.log",)
    ),
    "gmail_inline_image.eml": Expected(
        "Screenshot of the error",
        "jonas.becker@gmail.example",
        "See the screenshot:",
        ("error.png",),
        inline=("error.png",),
    ),
    "apple_mail_mixed_inline.eml": Expected(
        "Photos of the damaged box",
        "chloe.martin@icloud.example",
        "The box arrived broken:",
        ("IMG_0412.png",),
        from_name="Chloé Martin",
        html="And from the side:",
    ),
    "apple_mail_text_attachment.eml": Expected(
        "My notes",
        "chloe.martin@icloud.example",
        # RFC 2183: an inline text part is shown, even with a file name (issue 12).
        "Notes from the call are attached.\n\n1. Reinstall the agent.\n2. Restart.",
        ("notes.txt",),
    ),
    "thunderbird_flowed.eml": Expected(
        "VPN drops every hour",
        "lena.vogel@posteo.example",
        "Ich habe den Client schon neu installiert, ohne Erfolg.",
    ),
    "thunderbird_rfc2231.eml": Expected(
        "Contract",
        "lena.vogel@posteo.example",
        "The signed contract is attached.",
        ("Vertrag über die Wartung 2025.pdf",),
    ),
    # HTML
    "html_only.eml": Expected(
        "Order 5531 shipped",
        "team@shop.example",
        "Order 5531 left our warehouse.\n\n- 1 × cable\n- 2 × adapter",
        html="<h1>Your order shipped</h1>",
        not_in_text="font-family",
    ),
    "html_only_meta_charset.eml": Expected(
        "Reservation", "booking@hotel.example", "Your reservation at Café is confirmed."
    ),
    "html_xss.eml": Expected(
        "Please look at this",
        "mallory@evil.example",
        "Hello agent, click me.",
        problems=("remote images removed from the HTML: 1",),
        not_in_text="document.cookie",
        html='<a href="https://example.org/docs" rel="noopener noreferrer nofollow">docs</a>',
    ),
    "empty_plain_alternative.eml": Expected(
        "Empty plain part", "sender@test.example", "Only the HTML part says something."
    ),
    "mixed_plain_and_html_parts.eml": Expected(
        "Text then HTML",
        "sender@test.example",
        "First, plain text.\n\nThen an HTML part.\n\nAnd a plain footer.",
        html="<p>Then an HTML part.</p>",
    ),
    # Structure
    "outlook_unquoted_boundary.eml": Expected(
        "Printer prints blank pages",
        "jordan.lee@corp.example",
        "The printer on floor 3 prints blank pages since Monday.",
        from_name="Lee, Jordan",
        html="<b>blank</b>",
        not_in_text="NextPart",
    ),
    "multipart_boundary_never_met.eml": Expected(
        "Boundary never met",
        "sender@test.example",
        "The boundary never comes, and this text must still be read.",
        problems=("multipart without its start boundary",),
    ),
    "multipart_without_parts.eml": Expected(
        "Multipart without parts",
        "sender@test.example",
        "A preamble holds the only text of this message.",
        problems=("multipart without its start boundary",),
    ),
    "inline_text_with_filename.eml": Expected(
        "Log inline",
        "sender@test.example",
        "The error log is below.\n\nERROR 42: disk full on /var\n\nThanks for looking.",
        ("error.log",),
    ),
    "x_uuencode_text_body.eml": Expected(
        "x-uuencode text body",
        "sender@test.example",
        "Grüße, the whole body was uuencoded.",
        not_in_text="begin 644",
    ),
    "x_uuencode_without_begin.eml": Expected(
        "x-uuencode without a begin line",
        "sender@test.example",
        "The report follows.",
        ("report.txt",),
    ),
    "base64_impossible_length.eml": Expected(
        "Base64 of impossible length",
        "sender@test.example",
        "Decoded as far as it goes, then one stray character.",
        problems=("base64 of impossible length; the last character was dropped",),
    ),
    "header_continuation_without_space.eml": Expected(
        "A subject that a broken gateway folded without a leading space",
        "customer@test.example",
        "The headers above were folded wrongly.",
        problems=("header line without leading space joined to the header before it",),
        message_id="broken-fold@test.example",
        not_in_text="Message-ID",
    ),
    "header_first_line_junk.eml": Expected(
        "First line is no header",
        "customer@test.example",
        "A mailbox escaped the envelope line.",
        problems=("a first line that is no header was skipped",),
        message_id="first-line-junk@test.example",
    ),
    "nested_multipart.eml": Expected(
        "Nested parts",
        "nadia@deep.example",
        "Top text in level three.",
        ("attachment-1.png", "level2.csv", "level1.zip"),
        inline=("attachment-1.png",),
    ),
    "forwarded_rfc822.eml": Expected(
        "Fwd: Strange invoice",
        "omar@fwd.example",
        "is it genuine?",
        ("Strange invoice.eml",),
        not_in_text="inner forwarded text",
    ),
    "forwarded_inline_rfc822.eml": Expected(
        "Fwd: Meeting notes",
        "omar@fwd.example",
        "See the forwarded notes.",
        ("Meeting notes.eml",),
        not_in_text="Inline forwarded body",
    ),
    "inline_cid_images.eml": Expected(
        "Two images",
        "priya@images.example",
        "Before [first] after.",
        ("first.png", "unused.png"),
        inline=("first.png",),
    ),
    "rfc2231_filenames.eml": Expected(
        "Many file names",
        "files@names.example",
        "Five files.",
        (
            "£ tarifs été.txt",
            "long-name-part-one-part-two.txt",
            "日本語の資料.txt",
            "Übersicht März.txt",
            "system.ini",
        ),
    ),
    "digest.eml": Expected(
        "Weekly digest", "digest@lists.example", "", ("First post.eml", "Second post.eml")
    ),
    "missing_close_boundary.eml": Expected(
        "Truncated multipart",
        "sender@test.example",
        "The text survives the truncation.",
        ("half.pdf",),
        problems=("multipart without its closing boundary",),
    ),
    "many_parts.eml": Expected(
        "A thousand parts",
        "sender@test.example",
        "",
        tuple(f"part{number:04d}.txt" for number in range(1, 500)),
        problems=("more than 500 MIME parts",),
    ),
    "crlf_line_endings.eml": Expected("CRLF", "sender@test.example", "Line one.\nLine two."),
    "no_body.eml": Expected("Empty", "sender@test.example", ""),
    "only_attachment.eml": Expected("Just the file", "sender@test.example", "", ("photo.png",)),
    # Charsets
    "iso2022jp.eml": Expected(
        "ログインできません",
        "sender@test.example",
        "お世話になっております。昨日からログインできません。",
        from_name="山田 太郎",
    ),
    # Without a label, or a label that does not fit (issue 12)
    "iso2022jp_unlabelled.eml": Expected(
        "ログインできません",
        "sender@test.example",
        "お世話になっております。昨日からログインできません。",
        problems=("text without a declared charset; read as iso-2022-jp",),
    ),
    "iso2022jp_cp50220_extensions.eml": Expected(
        "注文①の件", "sender@test.example", "注文番号①の件、㈱テストの№3、Ⅲ型です。"
    ),
    "gbk_unlabelled.eml": Expected(
        "GBK without a label",
        "sender@test.example",
        "您好，文件无法打开，请帮忙看一下。谢谢！",
        problems=("8-bit text without a declared charset; read as gb18030",),
    ),
    "gb2312_unlabelled_short.eml": Expected(
        "Short GB2312 without a label",
        "sender@test.example",
        "无法登录邮箱",
        problems=("8-bit text without a declared charset; read as gb18030",),
    ),
    "shift_jis_unlabelled.eml": Expected(
        "Shift_JIS without a label",
        "sender@test.example",
        "お世話になっております。昨日からログインできません。",
        problems=("8-bit text without a declared charset; read as cp932",),
    ),
    "raw_subject_cp1251_latin1_body.eml": Expected(
        "Проблема с доступом",
        "ivan@test.example",
        "Réunion à Paris, café à 10 h.",
        problems=("header: 8-bit text without a declared charset; read as cp1251",),
    ),
    "raw_subject_gbk_utf8_body.eml": Expected(
        "无法登录邮箱",
        "li@test.example",
        "Hello, the subject says it.",
        problems=("header: 8-bit text without a declared charset; read as gb18030",),
    ),
    "raw_subject_koi8r_cp1252_body.eml": Expected(
        "Не работает почта",
        "olga@test.example",
        "Grüße – bitte um Rückruf.",
        problems=("header: 8-bit text without a declared charset; read as koi8-r",),
    ),
    "windows1251.eml": Expected("Не работает почта", "sender@test.example", RUSSIAN),
    "koi8r.eml": Expected("Проблема с почтой", "sender@test.example", RUSSIAN),
    "gb18030.eml": Expected(
        "无法登录邮箱", "sender@test.example", "您好，我的邮箱无法登录，请帮忙处理一下。谢谢！𠀀"
    ),
    "gb2312_label_gbk_bytes.eml": Expected("中国", "sender@test.example", "繁體與简体：镕"),
    "ks_c_5601_outlook.eml": Expected(
        "문의 드립니다", "sender@test.example", "안녕하세요. 비밀번호를 잊어버렸습니다."
    ),
    "shift_jis_extensions.eml": Expected(
        "Shift_JIS with NEC extensions", "sender@test.example", "注文番号①の件、㈱テスト"
    ),
    "utf16_body.eml": Expected(
        "UTF-16 body", "sender@test.example", "Text in UTF-16 with a BOM: ½"
    ),
    "mislabelled_utf8_is_cp1251.eml": Expected(
        "Mislabelled body",
        "sender@test.example",
        RUSSIAN,
        problems=("declared charset utf-8 does not fit the bytes; read as cp1251",),
    ),
    "mislabelled_ascii_8bit.eml": Expected(
        "ASCII label, UTF-8 bytes",
        "sender@test.example",
        "Ärger mit dem Drucker — bitte helfen.",
        problems=("declared charset us-ascii does not fit the bytes; read as UTF-8",),
    ),
    "mislabelled_latin1_is_utf8.eml": Expected(
        "Latin-1 label, UTF-8 bytes",
        "sender@test.example",
        "Café crème, s'il vous plaît.",
        problems=("declared charset iso-8859-1 but the bytes are UTF-8",),
    ),
    "missing_charset_8bit.eml": Expected(
        "No charset",
        "sender@test.example",
        "je n'arrive pas à me connecter à mon compte. Merci d'avance, Hélène",
        problems=("8-bit text without a declared charset; read as cp1252",),
    ),
    "missing_content_type_utf8.eml": Expected(
        "No Content-Type at all",
        "sender@test.example",
        "Grüße aus Köln.",
        problems=("8-bit text without a declared charset; read as UTF-8",),
    ),
    "unknown_charset_label.eml": Expected(
        "Unknown label",
        "sender@test.example",
        "Ça marche — presque.",
        problems=("unknown charset x-unknown; read as UTF-8",),
    ),
    "raw_8bit_headers_utf8.eml": Expected(
        "Drucker streikt schon wieder – Hilfe!",
        "juergen@test.example",
        "Der Drucker druckt nur leere Seiten.",
        from_name="Jürgen Müller",
    ),
    "raw_8bit_subject_cp1251.eml": Expected(
        "Проблема с доступом",
        "ivan@test.example",
        RUSSIAN,
        problems=("header: 8-bit text without a declared charset; read as cp1251",),
        from_name="Иван Петров",
    ),
    "subject_split_multibyte.eml": Expected("日本語—résumé", "sender@test.example", "Hello."),
    "non_ascii_display_names.eml": Expected(
        "Names", "jose@test.example", "Hello.", from_name="José María Núñez"
    ),
    # Transfer encodings
    "quoted_printable.eml": Expected(
        "Quoted-printable",
        "sender@test.example",
        "with soft line breaks A long line that the sender's mailer",
    ),
    "base64_bad_padding.eml": Expected(
        "Base64 without padding",
        "sender@test.example",
        "Padding was stripped by a broken gateway.",
        problems=("base64 with bad padding repaired",),
    ),
    "base64_invalid_characters.eml": Expected(
        "Base64 with junk",
        "sender@test.example",
        "Junk inside base64 is skipped.",
        problems=("base64 with invalid characters repaired",),
    ),
    "uuencode_in_body.eml": Expected(
        "Old client with uuencode",
        "sender@test.example",
        "Here is the config file.\n\nThanks.",
        ("config.ini",),
        not_in_text="begin 644",
    ),
    "uuencode_transfer_encoding.eml": Expected(
        "x-uuencode part", "sender@test.example", "The file is attached.", ("hello.txt",)
    ),
    "nul_bytes.eml": Expected(
        "NUL bytes in the body",
        "sender@test.example",
        "Beforeafter.",
        problems=("control characters removed",),
    ),
    # Identity and threading headers
    "no_message_id.eml": Expected(
        "No Message-ID", "sender@test.example", "A message without", message_id=""
    ),
    "repeated_message_id_a.eml": Expected(
        "Same id, first", "sender@test.example", "First message", message_id="same-id@test.example"
    ),
    "repeated_message_id_b.eml": Expected(
        "Same id, second",
        "sender@test.example",
        "Second message",
        message_id="same-id@test.example",
    ),
    "two_from_headers.eml": Expected(
        "Two senders", "", "Hello.", problems=("2 From headers; sender unknown",), from_name=""
    ),
    "ambiguous_from.eml": Expected(
        "Ambiguous sender", "", "Hello.", problems=("not one unambiguous address",)
    ),
    "from_two_mailboxes.eml": Expected(
        "Two authors", "", "Hello.", problems=("not one unambiguous address",)
    ),
    "no_from.eml": Expected("Nobody sent this", "", "Hello.", problems=("no From header",)),
    "long_subject_2000.eml": Expected(
        "Очень длинная тема 1 Очень длинная тема 2 Очень", "sender@test.example", "Hello."
    ),
    "reply_with_references.eml": Expected(
        "Re: [#1042] Cannot log in", "alice@a.example", "It works now, thanks!"
    ),
    "reply_ids_without_brackets.eml": Expected(
        "RE: ticket", "old@client.example", "Hello.", message_id="bare-id-1@client.example"
    ),
    "delivered_to_headers.eml": Expected("Routing headers", "customer@test.example", "Hello."),
    # Routing headers of each common MTA: queue addresses as aliases (issue 12)
    **{
        f"route_{name}.eml": Expected(subject, "customer@test.example", "invoice shows")
        for name, subject in [
            ("postfix_alias", "Postfix alias"),
            ("exim_envelope_to", "Exim alias, the desk in Bcc"),
            ("sendmail_bcc", "Sendmail, the desk in Bcc"),
            ("dovecot_lmtp", "Dovecot LMTP"),
            ("gmail_forwarding", "Gmail forwarding"),
        ]
    },
    # Senders as clients write them (issue 12)
    "sender_quoted_encoded_word.eml": Expected(
        "Quoted encoded word", "ivan@test.example", "Hello.", from_name="Иван Петров"
    ),
    "sender_encoded_comma.eml": Expected(
        "Encoded comma", "juergen.mueller@corp.example", "Hello.", from_name="Müller, Jürgen"
    ),
    "sender_quoted_encoded_comma.eml": Expected(
        "Quoted encoded comma", "jordan.lee@corp.example", "Hello.", from_name="Lee, Jordan"
    ),
    "sender_eai_utf8.eml": Expected(
        "Internationalised address",
        "jörg@bücher.example",
        "Grüße aus dem Bücherladen.",
        from_name="Jörg Müller",
    ),
    "sender_eai_cjk.eml": Expected(
        "EAI in Japanese", "山田@例え.テスト", "よろしくお願いします。", from_name="山田"
    ),
    "bad_date.eml": Expected("Unparseable date", "sender@test.example", "Hello."),
    "date_minus_zero.eml": Expected("Date with -0000", "sender@test.example", "Hello."),
    # Machines: bounces, receipts, auto-replies, lists
    "dsn_bounce.eml": Expected(
        "Undelivered Mail Returned to Sender",
        "mailer-daemon@mx.example.net",
        "550 5.1.1 User unknown",
        ("delivery-status.txt", "[#1042] Your ticket.eml"),
        not_in_text="We answered your ticket.",
    ),
    "dsn_headers_only.eml": Expected(
        "Undeliverable: [#88] Welcome",
        "postmaster@corp.example",
        "Delivery has failed to these recipients: gone@corp.example",
        ("delivery-status.txt", "headers.txt"),
    ),
    "mdn_read_receipt.eml": Expected(
        "Read: [#90] Answer",
        "reader@test.example",
        "Your message was displayed.",
        ("disposition-notification.txt",),
    ),
    "out_of_office.eml": Expected(
        "Automatic reply: [#1042] Cannot log in",
        "erik@away.example",
        "I am out of the office until Monday.",
    ),
    "mailing_list.eml": Expected(
        "[dev-list] Release 2.0 tomorrow", "dev@project.example", "The release is tomorrow."
    ),
    # Encryption and signatures
    "pgp_inline.eml": Expected(
        "My credentials (encrypted)",
        "secret@test.example",
        "-----BEGIN PGP MESSAGE-----",
    ),
    "pgp_mime.eml": Expected("...", "secret@test.example", ""),
    "pgp_signed_mime.eml": Expected(
        "Signed request",
        "careful@test.example",
        "Please close my account.",
        ("OpenPGP_signature.asc",),
    ),
    "smime_signed.eml": Expected(
        "S/MIME signed", "user@corp.example", "Signed with a certificate.", ("smime.p7s",)
    ),
}


def corpus_names() -> list[str]:
    return sorted(path.name for path in CORPUS.glob("*.eml"))


def read(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def assert_expected(message: ParsedMessage, expected: Expected) -> None:
    assert message.subject.startswith(expected.subject)
    assert message.from_address == expected.from_address
    if expected.text:
        assert expected.text in message.text
    else:
        assert message.text == ""
    assert [attachment.filename for attachment in message.attachments] == list(expected.attachments)
    if expected.problems:
        for fragment in expected.problems:
            assert any(fragment in problem for problem in message.problems), message.problems
    else:
        assert message.problems == []
    if expected.from_name is not None:
        assert message.from_name == expected.from_name
    if expected.message_id is not None:
        assert message.message_id == expected.message_id
    if expected.not_in_text is not None:
        assert expected.not_in_text not in message.text
    inline = [attachment.filename for attachment in message.attachments if attachment.is_inline]
    assert inline == list(expected.inline)
    if expected.html is not None:
        assert expected.html in message.html


def test_the_stored_corpus_holds_at_least_sixty_messages() -> None:
    assert len(corpus_names()) >= 60


def test_every_stored_message_has_an_expected_outcome() -> None:
    assert set(corpus_names()) == set(EXPECTED)


def test_the_stored_corpus_is_what_make_corpus_writes(monkeypatch) -> None:
    monkeypatch.syspath_prepend(str(CORPUS))
    make_corpus = importlib.import_module("make_corpus")
    assert make_corpus.corpus() == {name: read(name) for name in corpus_names()}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_it_parses_each_corpus_message_as_expected(name: str) -> None:
    raw = read(name)
    message = parse(raw)
    assert_expected(message, EXPECTED[name])
    assert message.content_hash == hashlib.sha256(raw).hexdigest()


def test_the_whole_corpus_parses_the_same_way_twice() -> None:
    first = [parse(read(name)) for name in corpus_names()]
    second = [parse(read(name)) for name in corpus_names()]
    assert first == second


def test_two_messages_with_one_message_id_differ_by_content_hash() -> None:
    first = parse(read("repeated_message_id_a.eml"))
    second = parse(read("repeated_message_id_b.eml"))
    assert first.message_id == second.message_id == "same-id@test.example"
    assert first.content_hash != second.content_hash


def test_the_2000_character_subject_is_kept_whole() -> None:
    message = parse(read("long_subject_2000.eml"))
    assert len(message.subject) == 2000
    assert message.subject.endswith("!")
    assert "  " not in message.subject


def test_replies_carry_their_thread_ids_without_brackets() -> None:
    reply = parse(read("reply_with_references.eml"))
    assert reply.in_reply_to == ["fd.1042.3.AbCdEf@frontdesk.example"]
    assert reply.references == [
        "original-1@a.example",
        "fd.1042.2.XyZ123@frontdesk.example",
        "fd.1042.3.AbCdEf@frontdesk.example",
    ]
    bare = parse(read("reply_ids_without_brackets.eml"))
    assert bare.in_reply_to == ["fd.77.1.QwErTy@frontdesk.example"]
    assert bare.references == ["a@client.example", "fd.77.1.QwErTy@frontdesk.example"]


def test_recipient_headers_are_lists_of_lower_case_addresses() -> None:
    message = parse(read("delivered_to_headers.eml"))
    assert message.to == ["billing@frontdesk.example"]
    assert message.cc == ["colleague@test.example", "boss@test.example"]
    assert message.reply_to == ["replies@test.example"]
    assert message.delivered_to == ["support@frontdesk.example", "catchall@frontdesk.example"]
    assert message.original_to == ["billing@frontdesk.example"]
    names = parse(read("non_ascii_display_names.eml"))
    assert names.to == ["support@frontdesk.example", "natalia@test.example"]
    assert names.cc == ["juergen@test.example"]
    assert "Наталья <natalia@test.example>" in names.header("to")[0]


def test_dates_are_aware_and_unparseable_dates_are_none() -> None:
    assert parse(read("bad_date.eml")).date is None
    minus_zero = parse(read("date_minus_zero.eml")).date
    assert minus_zero is not None and minus_zero.utcoffset() is not None
    assert minus_zero.isoformat() == "2025-03-12T15:00:00+00:00"


def test_machine_mail_keeps_the_headers_that_classify_it() -> None:
    out_of_office = parse(read("out_of_office.eml"))
    assert out_of_office.header("auto-submitted") == ["auto-replied"]
    assert out_of_office.in_reply_to == ["fd.1042.5.OoO@frontdesk.example"]
    listed = parse(read("mailing_list.eml"))
    assert listed.header("List-Id") == ["Developer discussion <dev-list.lists.project.example>"]
    assert listed.header("precedence") == ["list"]
    bounce = parse(read("dsn_bounce.eml"))
    status = bounce.attachments[0]
    assert status.content_type == "message/delivery-status"
    assert b"Final-Recipient: rfc822; nobody@nowhere.example" in status.content
    returned = parse(bounce.attachments[1].content)
    assert returned.message_id == "fd.1042.4.SiGnEd@frontdesk.example"


def test_a_forwarded_message_is_kept_whole_as_an_eml_attachment() -> None:
    message = parse(read("forwarded_rfc822.eml"))
    forwarded = message.attachments[0]
    assert forwarded.content_type == "message/rfc822"
    inner = parse(forwarded.content)
    assert inner.subject == "Strange invoice"
    assert inner.from_address == "billing@suspicious.example"
    assert "inner forwarded text" in inner.text
    assert [attachment.filename for attachment in inner.attachments] == ["invoice.pdf"]
    assert inner.attachments[0].content.startswith(b"%PDF-1.4")


def test_inline_pgp_and_pgp_mime_are_found_for_the_crypto_module() -> None:
    inline = parse(read("pgp_inline.eml"))
    assert not inline.is_pgp_mime
    assert len(inline.pgp_blocks) == 1
    assert inline.pgp_blocks[0].startswith("-----BEGIN PGP MESSAGE-----")
    assert inline.pgp_blocks[0].endswith("-----END PGP MESSAGE-----")
    pgp_mime = parse(read("pgp_mime.eml"))
    assert pgp_mime.is_pgp_mime
    assert pgp_mime.pgp_blocks == inline.pgp_blocks
    assert pgp_mime.attachments == []
    signed = parse(read("pgp_signed_mime.eml"))
    assert signed.pgp_blocks == []
    assert not signed.is_pgp_mime


def test_attachment_bytes_are_decoded_exactly() -> None:
    uu = parse(read("uuencode_in_body.eml")).attachments[0]
    assert uu.content == b"[server]\nhost=mail.example.com\nport=143\nuser=support\ntls=true\n"
    assert parse(read("uuencode_transfer_encoding.eml")).attachments[0].content == (
        b"hello world\n"
    )
    png = parse(read("only_attachment.eml")).attachments[0]
    assert png.content.startswith(b"\x89PNG\r\n")
    assert png.content_type == "image/png"


def test_the_whole_stored_corpus_parses() -> None:
    # Every message in one run, as ingest would meet them: nothing raises or hangs.
    parsed = [parse(read(name)) for name in corpus_names()]
    assert all(isinstance(message, ParsedMessage) for message in parsed)


# The generated part of the corpus: too large to store.


@pytest.fixture(scope="module")
def twenty_megabyte_attachment() -> tuple[bytes, bytes]:
    content = os.urandom(20 * 1024 * 1024)
    encoded = base64.encodebytes(content)
    raw = (
        b"From: Big Sender <big@test.example>\n"
        b"To: support@frontdesk.example\n"
        b"Subject: A 20 MB attachment\n"
        b"Message-ID: <big-1@test.example>\n"
        b"MIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="big"\n\n'
        b"--big\nContent-Type: text/plain; charset=utf-8\n\nThe dump is attached.\n"
        b"--big\nContent-Type: application/octet-stream\n"
        b'Content-Disposition: attachment; filename="core.dump"\n'
        b"Content-Transfer-Encoding: base64\n\n" + encoded + b"--big--\n"
    )
    return raw, content


def nested_multiparts(levels: int) -> bytes:
    lines = [
        "From: Deep Sender <deep@test.example>",
        "To: support@frontdesk.example",
        f"Subject: {levels} levels",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="level0"',
        "",
        "--level0",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Text at the top.",
    ]
    for level in range(levels):
        lines += [
            f"--level{level}",
            f'Content-Type: multipart/mixed; boundary="level{level + 1}"',
            "",
        ]
    lines += [f"--level{levels}", "Content-Type: text/plain", "", "Text at the bottom."]
    lines += [f"--level{level}--" for level in range(levels, -1, -1)]
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def nested_messages(levels: int) -> bytes:
    raw = "From: bottom@test.example\nSubject: bottom\n\nText at the bottom.\n"
    for level in range(levels + 1):
        sender = f"level{level}@test.example" if level < levels else "Deep <deep@test.example>"
        subject = f"level {level}" if level < levels else "forwarded deep"
        raw = f"From: {sender}\nSubject: {subject}\nContent-Type: message/rfc822\n\n{raw}"
    return raw.encode("ascii")


def test_a_twenty_megabyte_attachment_is_kept_whole(
    twenty_megabyte_attachment: tuple[bytes, bytes],
) -> None:
    raw, content = twenty_megabyte_attachment
    message = parse(raw)
    assert message.text == "The dump is attached."
    assert [attachment.filename for attachment in message.attachments] == ["core.dump"]
    assert message.attachments[0].content == content
    assert message.problems == []


def test_a_thousand_levels_of_multipart_nesting_are_cut_at_the_depth_limit() -> None:
    message = parse(nested_multiparts(1000))
    assert message.subject == "1000 levels"
    assert message.from_address == "deep@test.example"
    assert message.text == "Text at the top."
    assert "Text at the bottom." not in message.text
    assert message.problems == ["parts nested deeper than 50 levels were not read"]


def test_a_thousand_nested_forwarded_messages_do_not_exhaust_the_stack() -> None:
    message = parse(nested_messages(1000))
    assert message.subject == "forwarded deep"
    assert [attachment.filename for attachment in message.attachments] == ["level 999.eml"]
    assert message.problems == ["parts nested deeper than 50 levels were not read"]
    forwarded = parse(message.attachments[0].content)
    assert forwarded.subject == "level 999"
