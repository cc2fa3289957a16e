"""The second half of the stored corpus: charsets, encodings, headers, machines.

Imported by make_corpus.py, which writes the files; see its docstring.
"""

from __future__ import annotations

import base64
import binascii
import quopri

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
RUSSIAN = "Здравствуйте! У меня не работает почта, помогите пожалуйста разобраться."
FRENCH = "Bonjour, je n'arrive pas à me connecter à mon compte. Merci d'avance, Hélène"
HELLO = b"hello world\n"
SIGNATURE = b"0\x82\x01\x00fake-signature"
CONFIG = b"[server]\nhost=mail.example.com\nport=143\nuser=support\ntls=true\n"
PGP_BLOCK = """-----BEGIN PGP MESSAGE-----

hQEMA5x8k2bZqYcVAQf/Xq3Zb1pQm7yV0s8kR2wT4nL6uJ9cE5dH1aF3gK0oB7iM
2vN8xC4zP6qW1eR9tY3uI5oA7sD0fG2hJ4kL6zX8cV1bN3mQ5wE7rT9yU2iO4pA
=Q2x9
-----END PGP MESSAGE-----"""


def b64(data: bytes) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return "\n".join(encoded[i : i + 76] for i in range(0, len(encoded), 76))


def word(text: str, charset: str = "utf-8") -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode('ascii')}?="


def qword(text: str, charset: str) -> str:
    encoded = "".join(
        "_" if byte == 32 else (chr(byte) if chr(byte).isalnum() and byte < 128 else f"={byte:02X}")
        for byte in text.encode(charset)
    )
    return f"=?{charset}?Q?{encoded}?="


def uuencode(name: str, data: bytes) -> str:
    """A uuencoded block as the old uuencode(1) writes it, with backticks for zeros."""
    lines = [binascii.b2a_uu(data[i : i + 45], backtick=True) for i in range(0, len(data), 45)]
    return f"begin 644 {name}\n" + b"".join(lines).decode("ascii") + "`\nend\n"


def eml(template: str, **raw: bytes) -> bytes:
    data = template.lstrip("\n").encode("utf-8")
    for name, value in raw.items():
        data = data.replace(b"{" + name.encode("ascii") + b"}", value)
    return data


def simple(name: str, headers: str, text: str = "Hello.\n", **raw: bytes) -> tuple[str, bytes]:
    """A message from ``headers`` (From, To, Subject... as needed) and a body ``text``."""
    return name, eml(headers.strip("\n") + "\n\n" + text, **raw)


def long_subject() -> tuple[str, str]:
    """A 2,000-character subject and its header: UTF-8 encoded words folded over many lines."""
    text = ""
    number = 0
    while len(text) < 2000:
        number += 1
        text += f"Очень длинная тема {number} "
    text = text[:1999] + "!"
    chunks = [text[i : i + 20] for i in range(0, len(text), 20)]
    return text, "Subject: " + "\n ".join(word(chunk) for chunk in chunks)


LONG_SUBJECT, LONG_SUBJECT_HEADER = long_subject()
FROM = "From: Test Sender <sender@test.example>\nTo: support@frontdesk.example\n"

_entries = [
    simple(
        "iso2022jp.eml",
        FROM.replace("Test Sender", word("山田 太郎", "iso-2022-jp"))
        + f"""Subject: {word("ログインできません", "iso-2022-jp")}
Date: Tue, 11 Mar 2025 09:00:00 +0900
Message-ID: <jp-1@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=ISO-2022-JP
Content-Transfer-Encoding: 7bit""",
        "{body}\n",
        body="お世話になっております。昨日からログインできません。".encode("iso2022_jp"),
    ),
    simple(
        "windows1251.eml",
        FROM
        + f"""Subject: {word("Не работает почта", "windows-1251")}
Date: Tue, 11 Mar 2025 10:00:00 +0300
Message-ID: <ru-1251@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset="windows-1251"
Content-Transfer-Encoding: 8bit""",
        "{body}\n",
        body=RUSSIAN.encode("cp1251"),
    ),
    simple(
        "koi8r.eml",
        FROM
        + f"""Subject: {qword("Проблема с почтой", "koi8-r")}
Date: Tue, 11 Mar 2025 11:00:00 +0300
Message-ID: <ru-koi8@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=koi8-r
Content-Transfer-Encoding: 8bit""",
        "{body}\n",
        body=RUSSIAN.encode("koi8_r"),
    ),
    simple(
        "gb18030.eml",
        FROM
        + f"""Subject: {word("无法登录邮箱", "gb18030")}
Date: Tue, 11 Mar 2025 12:00:00 +0800
Message-ID: <zh-1@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset="GB18030"
Content-Transfer-Encoding: base64""",
        b64("您好，我的邮箱无法登录，请帮忙处理一下。谢谢！𠀀".encode("gb18030")) + "\n",
    ),
    simple(
        "gb2312_label_gbk_bytes.eml",
        FROM
        + f"""Subject: {word("中国", "gb2312")}
Date: Tue, 11 Mar 2025 12:30:00 +0800
Message-ID: <zh-2@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=gb2312
Content-Transfer-Encoding: 8bit""",
        "{body}\n",
        body="繁體與简体：镕".encode("gbk"),
    ),
    simple(
        "ks_c_5601_outlook.eml",
        FROM
        + f"""Subject: {word("문의 드립니다", "ks_c_5601-1987")}
Date: Tue, 11 Mar 2025 13:00:00 +0900
Message-ID: <ko-1@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset="ks_c_5601-1987"
Content-Transfer-Encoding: base64""",
        b64("안녕하세요. 비밀번호를 잊어버렸습니다.".encode("cp949")) + "\n",
    ),
    simple(
        "shift_jis_extensions.eml",
        FROM
        + """Subject: Shift_JIS with NEC extensions
Date: Tue, 11 Mar 2025 13:30:00 +0900
Message-ID: <jp-2@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=Shift_JIS
Content-Transfer-Encoding: 8bit""",
        "{body}\n",
        body="注文番号①の件、㈱テスト".encode("cp932"),
    ),
    simple(
        "utf16_body.eml",
        FROM
        + """Subject: UTF-16 body
Date: Tue, 11 Mar 2025 14:00:00 +0000
Message-ID: <utf16-1@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-16
Content-Transfer-Encoding: base64""",
        b64("Text in UTF-16 with a BOM: ½".encode("utf-16")) + "\n",
    ),
    simple(
        "mislabelled_utf8_is_cp1251.eml",
        FROM
        + """Subject: Mislabelled body
Date: Tue, 11 Mar 2025 15:00:00 +0300
Message-ID: <mis-1@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit""",
        "{body}\n",
        body=RUSSIAN.encode("cp1251"),
    ),
    simple(
        "mislabelled_ascii_8bit.eml",
        FROM
        + """Subject: ASCII label, UTF-8 bytes
Date: Tue, 11 Mar 2025 15:30:00 +0000
Message-ID: <mis-2@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 8bit""",
        "Ärger mit dem Drucker — bitte helfen.\n",
    ),
    simple(
        "mislabelled_latin1_is_utf8.eml",
        FROM
        + """Subject: Latin-1 label, UTF-8 bytes
Date: Tue, 11 Mar 2025 16:00:00 +0000
Message-ID: <mis-3@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: 8bit""",
        "Café crème, s'il vous plaît.\n",
    ),
    simple(
        "missing_charset_8bit.eml",
        FROM
        + """Subject: No charset
Date: Tue, 11 Mar 2025 16:30:00 +0100
Message-ID: <nocs-1@test.example>
MIME-Version: 1.0
Content-Type: text/plain
Content-Transfer-Encoding: 8bit""",
        "{body}\n",
        body=FRENCH.encode("cp1252"),
    ),
    simple(
        "missing_content_type_utf8.eml",
        FROM
        + """Subject: No Content-Type at all
Date: Tue, 11 Mar 2025 17:00:00 +0100
Message-ID: <nocs-2@test.example>""",
        "Grüße aus Köln.\n",
    ),
    simple(
        "unknown_charset_label.eml",
        FROM
        + """Subject: Unknown label
Date: Tue, 11 Mar 2025 17:30:00 +0000
Message-ID: <unk-1@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset="x-unknown"
Content-Transfer-Encoding: 8bit""",
        "Ça marche — presque.\n",
    ),
    simple(
        "raw_8bit_headers_utf8.eml",
        """From: Jürgen Müller <juergen@test.example>
To: Support Team <support@frontdesk.example>
Subject: Drucker streikt schon wieder – Hilfe!
Date: Tue, 11 Mar 2025 18:00:00 +0100
Message-ID: <raw-1@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit""",
        "Der Drucker druckt nur leere Seiten.\n",
    ),
    simple(
        "raw_8bit_subject_cp1251.eml",
        """From: {sender} <ivan@test.example>
To: support@frontdesk.example
Subject: {subject}
Date: Tue, 11 Mar 2025 18:30:00 +0300
Message-ID: <raw-2@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=windows-1251
Content-Transfer-Encoding: 8bit""",
        "{body}\n",
        sender="Иван Петров".encode("cp1251"),
        subject="Проблема с доступом".encode("cp1251"),
        body=RUSSIAN.encode("cp1251"),
    ),
    simple(
        "subject_split_multibyte.eml",
        FROM
        + """Subject: =?UTF-8?B?5pel5pys?= =?UTF-8?B?6Kqe4oCU?=
 =?UTF-8?Q?r=C3=A9sum=C3?= =?UTF-8?Q?=A9?=
Date: Tue, 11 Mar 2025 19:00:00 +0000
Message-ID: <split-1@test.example>""",
    ),
    simple(
        "quoted_printable.eml",
        FROM
        + """Subject: Quoted-printable
Date: Wed, 12 Mar 2025 08:00:00 +0000
Message-ID: <qp-1@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable""",
        quopri.encodestring(
            ("A long line that the sender's mailer had to wrap with soft line breaks " * 3)
            .strip()
            .encode()
            + "\nEquals sign: a=b, tab\tend, naïve café.\n".encode()
        ).decode("ascii"),
    ),
    simple(
        "base64_bad_padding.eml",
        FROM
        + """Subject: Base64 without padding
Date: Wed, 12 Mar 2025 08:30:00 +0000
Message-ID: <b64-1@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64""",
        base64.b64encode(b"Padding was stripped by a broken gateway.").decode().rstrip("=") + "\n",
    ),
    simple(
        "base64_invalid_characters.eml",
        FROM
        + """Subject: Base64 with junk
Date: Wed, 12 Mar 2025 08:45:00 +0000
Message-ID: <b64-2@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64""",
        "SnVuayBpbnNpZGUgYmFz!!ZTY0IGlzIHNraXBwZWQu\n",
    ),
    simple(
        "uuencode_in_body.eml",
        FROM
        + """Subject: Old client with uuencode
Date: Wed, 12 Mar 2025 09:00:00 +0000
Message-ID: <uu-1@test.example>""",
        "Here is the config file.\n\n" + uuencode("config.ini", CONFIG) + "\nThanks.\n",
    ),
    simple(
        "uuencode_transfer_encoding.eml",
        FROM
        + f"""Subject: x-uuencode part
Date: Wed, 12 Mar 2025 09:30:00 +0000
Message-ID: <uu-2@test.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="uu"

--uu
Content-Type: text/plain

The file is attached.
--uu
Content-Type: application/octet-stream; name="hello.txt"
Content-Disposition: attachment; filename="hello.txt"
Content-Transfer-Encoding: x-uuencode

{uuencode("hello.txt", HELLO)}--uu--""",
        "",
    ),
    simple(
        "nul_bytes.eml",
        FROM
        + """Subject: NUL bytes in the body
Date: Wed, 12 Mar 2025 10:00:00 +0000
Message-ID: <nul-1@test.example>
Content-Type: text/plain; charset=utf-8""",
        "Before\x00after.\n",
    ),
    simple(
        "no_message_id.eml",
        FROM
        + """Subject: No Message-ID
Date: Wed, 12 Mar 2025 10:30:00 +0000""",
        "A message without a Message-ID header.\n",
    ),
    simple(
        "repeated_message_id_a.eml",
        FROM
        + """Subject: Same id, first
Date: Wed, 12 Mar 2025 11:00:00 +0000
Message-ID: <same-id@test.example>""",
        "First message with this id.\n",
    ),
    simple(
        "repeated_message_id_b.eml",
        FROM
        + """Subject: Same id, second
Date: Wed, 12 Mar 2025 11:05:00 +0000
Message-ID: <same-id@test.example>""",
        "Second message with this id.\n",
    ),
    simple(
        "two_from_headers.eml",
        """From: Alice <alice@a.example>
From: Boss <ceo@frontdesk.example>
To: support@frontdesk.example
Subject: Two senders
Date: Wed, 12 Mar 2025 11:30:00 +0000
Message-ID: <twofrom-1@test.example>""",
    ),
    simple(
        "ambiguous_from.eml",
        """From: alice@a.example)<ceo@frontdesk.example>
To: support@frontdesk.example
Subject: Ambiguous sender
Date: Wed, 12 Mar 2025 11:45:00 +0000
Message-ID: <ambig-1@test.example>""",
    ),
    simple(
        "from_two_mailboxes.eml",
        """From: Alice <alice@a.example>, Bob <bob@b.example>
Sender: Alice <alice@a.example>
To: support@frontdesk.example
Subject: Two authors
Date: Wed, 12 Mar 2025 12:00:00 +0000
Message-ID: <authors-1@test.example>""",
    ),
    simple(
        "no_from.eml",
        """To: support@frontdesk.example
Subject: Nobody sent this
Date: Wed, 12 Mar 2025 12:15:00 +0000
Message-ID: <nofrom-1@test.example>""",
    ),
    simple(
        "long_subject_2000.eml",
        FROM
        + LONG_SUBJECT_HEADER
        + """
Date: Wed, 12 Mar 2025 12:30:00 +0000
Message-ID: <long-1@test.example>""",
    ),
    simple(
        "non_ascii_display_names.eml",
        f"""From: {word("José María Núñez")} <jose@test.example>
To: {word("山田 太郎", "iso-2022-jp")} <support@frontdesk.example>,
 {word("Наталья", "koi8-r")} <natalia@test.example>
Cc: "=?utf-8?Q?M=C3=BCller=2C_J=C3=BCrgen?=" <juergen@test.example>
Reply-To: {word("Büro Núñez")} <office@test.example>
Subject: Names
Date: Wed, 12 Mar 2025 13:00:00 +0000
Message-ID: <names-2@test.example>""",
    ),
    simple(
        "reply_with_references.eml",
        """From: Alice <alice@a.example>
To: Support <support@frontdesk.example>
Subject: Re: [#1042] Cannot log in
Date: Wed, 12 Mar 2025 13:30:00 +0000
Message-ID: <reply-2@a.example>
In-Reply-To: <fd.1042.3.AbCdEf@frontdesk.example>
References: <original-1@a.example>
 <fd.1042.2.XyZ123@frontdesk.example>
 <fd.1042.3.AbCdEf@frontdesk.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8""",
        "It works now, thanks!\n\n> Please try again.\n",
    ),
    simple(
        "reply_ids_without_brackets.eml",
        """From: Old Client <old@client.example>
To: support@frontdesk.example
Subject: RE: ticket
Date: Wed, 12 Mar 2025 14:00:00 +0000
Message-ID: bare-id-1@client.example
In-Reply-To: fd.77.1.QwErTy@frontdesk.example (Support's message of Wed)
References: <a@client.example> (comment) <fd.77.1.QwErTy@frontdesk.example>""",
    ),
    simple(
        "delivered_to_headers.eml",
        """Delivered-To: support@frontdesk.example
X-Original-To: billing@frontdesk.example
Delivered-To: catchall@frontdesk.example
From: Customer <customer@test.example>
To: "Billing" <Billing@Frontdesk.Example>
Cc: colleague@test.example, "Boss, The" <boss@test.example>
Reply-To: replies@test.example
Subject: Routing headers
Date: Wed, 12 Mar 2025 14:30:00 +0000
Message-ID: <route-1@test.example>""",
    ),
    simple(
        "bad_date.eml",
        FROM
        + """Subject: Unparseable date
Date: Someday soon, hopefully
Message-ID: <date-1@test.example>""",
    ),
    simple(
        "date_minus_zero.eml",
        FROM
        + """Subject: Date with -0000
Date: Wed, 12 Mar 2025 15:00:00 -0000
Message-ID: <date-2@test.example>""",
    ),
    simple(
        "no_body.eml",
        FROM
        + """Subject: Empty
Date: Wed, 12 Mar 2025 15:30:00 +0000
Message-ID: <empty-1@test.example>""",
        "",
    ),
    simple(
        "only_attachment.eml",
        FROM
        + """Subject: Just the file
Date: Wed, 12 Mar 2025 16:00:00 +0000
Message-ID: <onlyatt-1@test.example>
MIME-Version: 1.0
Content-Type: image/png; name="photo.png"
Content-Disposition: attachment; filename="photo.png"
Content-Transfer-Encoding: base64""",
        b64(PNG) + "\n",
    ),
    simple(
        "crlf_line_endings.eml",
        FROM
        + """Subject: CRLF
Date: Wed, 12 Mar 2025 16:30:00 +0000
Message-ID: <crlf-1@test.example>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="crlf"

--crlf
Content-Type: text/plain; charset=utf-8

Line one.
Line two.
--crlf
Content-Type: text/html; charset=utf-8

<p>Line one.<br>Line two.</p>
--crlf--""",
        "",
    ),
    simple(
        "missing_close_boundary.eml",
        FROM
        + """Subject: Truncated multipart
Date: Wed, 12 Mar 2025 17:00:00 +0000
Message-ID: <trunc-1@test.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="cut"

--cut
Content-Type: text/plain; charset=utf-8

The text survives the truncation.
--cut
Content-Type: application/pdf; name="half.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQK""",
        "",
    ),
    simple(
        "empty_plain_alternative.eml",
        FROM
        + """Subject: Empty plain part
Date: Wed, 12 Mar 2025 17:30:00 +0000
Message-ID: <emptyplain-1@test.example>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="ep"

--ep
Content-Type: text/plain; charset=utf-8


--ep
Content-Type: text/html; charset=utf-8

<p>Only the HTML part says something.</p>
--ep--""",
        "",
    ),
    simple(
        "digest.eml",
        """From: List Digest <digest@lists.example>
To: support@frontdesk.example
Subject: Weekly digest
Date: Wed, 12 Mar 2025 18:00:00 +0000
Message-ID: <digest-1@lists.example>
MIME-Version: 1.0
Content-Type: multipart/digest; boundary="dg"

--dg

From: One <one@lists.example>
Subject: First post

First digest post.
--dg

From: Two <two@lists.example>
Subject: Second post

Second digest post.
--dg--""",
        "",
    ),
    simple(
        "dsn_bounce.eml",
        """From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
To: support@frontdesk.example
Subject: Undelivered Mail Returned to Sender
Date: Thu, 13 Mar 2025 08:00:00 +0000
Message-Id: <20250313080000.4F2A1C0@mx.example.net>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="4F2A1C0.1741852800/mx.example.net"

This is a MIME-encapsulated message.

--4F2A1C0.1741852800/mx.example.net
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<nobody@nowhere.example>: host mx.nowhere.example said: 550 5.1.1 User unknown

--4F2A1C0.1741852800/mx.example.net
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Arrival-Date: Thu, 13 Mar 2025 07:59:58 +0000 (UTC)

Final-Recipient: rfc822; nobody@nowhere.example
Original-Recipient: rfc822;nobody@nowhere.example
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--4F2A1C0.1741852800/mx.example.net
Content-Description: Undelivered Message
Content-Type: message/rfc822

From: Support <support@frontdesk.example>
To: nobody@nowhere.example
Subject: [#1042] Your ticket
Message-ID: <fd.1042.4.SiGnEd@frontdesk.example>

We answered your ticket.

--4F2A1C0.1741852800/mx.example.net--""",
        "",
    ),
    simple(
        "dsn_headers_only.eml",
        """From: Microsoft Outlook <postmaster@corp.example>
To: <support@frontdesk.example>
Subject: Undeliverable: [#88] Welcome
Date: Thu, 13 Mar 2025 08:30:00 +0000
Message-ID: <ndr-88@corp.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="ndr"

--ndr
Content-Type: text/plain; charset=utf-8

Delivery has failed to these recipients: gone@corp.example
--ndr
Content-Type: message/delivery-status

Reporting-MTA: dns;corp.example

Final-Recipient: rfc822;gone@corp.example
Action: failed
Status: 5.1.10
--ndr
Content-Type: text/rfc822-headers

From: Support <support@frontdesk.example>
Subject: [#88] Welcome
Message-ID: <fd.88.1.HeAdErS@frontdesk.example>
--ndr--""",
        "",
    ),
    simple(
        "mdn_read_receipt.eml",
        """From: Reader <reader@test.example>
To: support@frontdesk.example
Subject: Read: [#90] Answer
Date: Thu, 13 Mar 2025 09:00:00 +0000
Message-ID: <mdn-90@test.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=disposition-notification; boundary="mdn"

--mdn
Content-Type: text/plain; charset=utf-8

Your message was displayed.
--mdn
Content-Type: message/disposition-notification

Reporting-UA: reader.test.example; Mail
Final-Recipient: rfc822;reader@test.example
Original-Message-ID: <fd.90.1.MdN@frontdesk.example>
Disposition: manual-action/MDN-sent-manually; displayed
--mdn--""",
        "",
    ),
    simple(
        "out_of_office.eml",
        """From: Erik Svensson <erik@away.example>
To: support@frontdesk.example
Subject: Automatic reply: [#1042] Cannot log in
Date: Thu, 13 Mar 2025 09:30:00 +0000
Message-ID: <ooo-1@away.example>
In-Reply-To: <fd.1042.5.OoO@frontdesk.example>
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
Precedence: auto_reply
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8""",
        "I am out of the office until Monday.\n",
    ),
    simple(
        "mailing_list.eml",
        """From: Dev Person <dev@project.example>
Sender: "dev-list" <dev-list-bounces@lists.project.example>
To: dev-list@lists.project.example
Cc: support@frontdesk.example
Subject: [dev-list] Release 2.0 tomorrow
Date: Thu, 13 Mar 2025 10:00:00 +0000
Message-ID: <list-1@project.example>
List-Id: Developer discussion <dev-list.lists.project.example>
List-Unsubscribe: <mailto:dev-list-leave@lists.project.example>
List-Post: <mailto:dev-list@lists.project.example>
Precedence: list
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8""",
        "The release is tomorrow.\n\n_______________________________________________\ndev-list\n",
    ),
    simple(
        "pgp_inline.eml",
        """From: Secret Customer <secret@test.example>
To: support@frontdesk.example
Subject: My credentials (encrypted)
Date: Thu, 13 Mar 2025 10:30:00 +0000
Message-ID: <pgp-1@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8""",
        "Here are the credentials:\n\n" + PGP_BLOCK + "\n\nThanks.\n",
    ),
    simple(
        "pgp_mime.eml",
        f"""From: Secret Customer <secret@test.example>
To: support@frontdesk.example
Subject: ...
Date: Thu, 13 Mar 2025 11:00:00 +0000
Message-ID: <pgp-2@test.example>
MIME-Version: 1.0
Content-Type: multipart/encrypted; protocol="application/pgp-encrypted";
 boundary="------------enc"

This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)
--------------enc
Content-Type: application/pgp-encrypted
Content-Description: PGP/MIME version identification

Version: 1

--------------enc
Content-Type: application/octet-stream; name="encrypted.asc"
Content-Description: OpenPGP encrypted message
Content-Disposition: inline; filename="encrypted.asc"

{PGP_BLOCK}

--------------enc--""",
        "",
    ),
    simple(
        "pgp_signed_mime.eml",
        """From: Careful Customer <careful@test.example>
To: support@frontdesk.example
Subject: Signed request
Date: Thu, 13 Mar 2025 11:30:00 +0000
Message-ID: <pgp-3@test.example>
MIME-Version: 1.0
Content-Type: multipart/signed; micalg=pgp-sha256;
 protocol="application/pgp-signature"; boundary="sig"

--sig
Content-Type: text/plain; charset=utf-8

Please close my account.
--sig
Content-Type: application/pgp-signature; name="OpenPGP_signature.asc"
Content-Description: OpenPGP digital signature
Content-Disposition: attachment; filename="OpenPGP_signature.asc"

-----BEGIN PGP SIGNATURE-----

wnsEARYIACMWIQR3dGVzdHNpZ25hdHVyZWtleWZwcgUCZ9K2AAUDAAAAAAAKCRB0
=AbCd
-----END PGP SIGNATURE-----
--sig--""",
        "",
    ),
    simple(
        "smime_signed.eml",
        f"""From: Corporate User <user@corp.example>
To: support@frontdesk.example
Subject: S/MIME signed
Date: Thu, 13 Mar 2025 12:00:00 +0000
Message-ID: <smime-1@corp.example>
MIME-Version: 1.0
Content-Type: multipart/signed; protocol="application/pkcs7-signature";
 micalg=sha-256; boundary="smime"

--smime
Content-Type: text/plain; charset=utf-8

Signed with a certificate.
--smime
Content-Type: application/pkcs7-signature; name="smime.p7s"
Content-Disposition: attachment; filename="smime.p7s"
Content-Transfer-Encoding: base64

{b64(SIGNATURE)}
--smime--""",
        "",
    ),
    simple(
        "mixed_plain_and_html_parts.eml",
        FROM
        + """Subject: Text then HTML
Date: Thu, 13 Mar 2025 12:30:00 +0000
Message-ID: <mixed-1@test.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mx"

--mx
Content-Type: text/plain; charset=utf-8

First, plain text.
--mx
Content-Type: text/html; charset=utf-8

<p>Then an HTML part.</p>
--mx
Content-Type: text/plain; charset=utf-8

And a plain footer.
--mx--""",
        "",
    ),
]

_parts = "".join(
    f'--many\nContent-Type: text/plain; name="part{number:04d}.txt"\n'
    f'Content-Disposition: attachment; filename="part{number:04d}.txt"\n\n{number}\n'
    for number in range(1, 1001)
)
_entries.append(
    simple(
        "many_parts.eml",
        FROM
        + """Subject: A thousand parts
Date: Thu, 13 Mar 2025 13:00:00 +0000
Message-ID: <many-1@test.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="many\"""",
        _parts + "--many--\n",
    )
)

MESSAGES_PART_TWO: dict[str, bytes] = dict(_entries)
CRLF = {"crlf_line_endings.eml", "dsn_bounce.eml", "outlook_related.eml"}
