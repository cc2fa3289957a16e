"""Charsets (declared, mislabelled, missing) and transfer encodings.

Imported by make_corpus.py, which writes the files.
"""

from __future__ import annotations

import base64
import quopri

from corpus_helpers import FROM, RUSSIAN, b64, qword, simple, uuencode, word

FRENCH = "Bonjour, je n'arrive pas à me connecter à mon compte. Merci d'avance, Hélène"
HELLO = b"hello world\n"
CONFIG = b"[server]\nhost=mail.example.com\nport=143\nuser=support\ntls=true\n"

MESSAGES: dict[str, bytes] = {}

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
]
MESSAGES.update(_entries)
