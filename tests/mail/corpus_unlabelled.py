"""Text without a charset label, or with one that does not fit (issue 12, class 3).

ISO-2022-JP without a label (recognised by its escape sequences) and with the
NEC extensions of Windows' CP50220; GBK and Shift_JIS bodies without a label;
raw 8-bit subjects in another charset than the body's label. Imported by
make_corpus.py, which writes the files.
"""

from __future__ import annotations

from corpus_helpers import FROM, eml

JAPANESE = "お世話になっております。昨日からログインできません。"
CHINESE = "您好，文件无法打开，请帮忙看一下。谢谢！"


def cp50220(text: str) -> bytes:
    """ISO-2022-JP as Windows writes it (CP50220): JIS X 0208 rows plus cp932's NEC row 13."""
    out = bytearray()
    double = False
    for character in text:
        encoded = character.encode("cp932")
        if len(encoded) == 1:
            if double:
                out += b"\x1b(B"
                double = False
            out += encoded
            continue
        if not double:
            out += b"\x1b$B"
            double = True
        first, second = encoded
        first -= 0x70 if first < 0xA0 else 0xB0
        first *= 2
        if second < 0x9F:
            first -= 1
            second -= 0x1F if second < 0x80 else 0x20
        else:
            second -= 0x7E
        out += bytes((first, second))
    if double:
        out += b"\x1b(B"
    return bytes(out)


MESSAGES: dict[str, bytes] = {
    "iso2022jp_unlabelled.eml": eml(
        FROM
        + """Subject: {subject}
Date: Fri, 14 Mar 2025 09:00:00 +0900
Message-ID: <jis-nolabel@test.example>
MIME-Version: 1.0
Content-Type: text/plain
Content-Transfer-Encoding: 7bit

{body}
""",
        subject=cp50220("ログインできません"),
        body=cp50220(JAPANESE),
    ),
    "iso2022jp_cp50220_extensions.eml": eml(
        FROM
        + """Subject: =?ISO-2022-JP?B?{subject}?=
Date: Fri, 14 Mar 2025 09:05:00 +0900
Message-ID: <jis-nec@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=ISO-2022-JP
Content-Transfer-Encoding: 7bit

{body}
""",
        subject=__import__("base64").b64encode(cp50220("注文①の件")),
        body=cp50220("注文番号①の件、㈱テストの№3、Ⅲ型です。"),
    ),
    "gbk_unlabelled.eml": eml(
        FROM
        + """Subject: GBK without a label
Date: Fri, 14 Mar 2025 09:10:00 +0800
Message-ID: <gbk-nolabel@test.example>
MIME-Version: 1.0
Content-Type: text/plain
Content-Transfer-Encoding: 8bit

{body}
""",
        body=CHINESE.encode("gbk"),
    ),
    "gb2312_unlabelled_short.eml": eml(
        FROM
        + """Subject: Short GB2312 without a label
Date: Fri, 14 Mar 2025 09:11:00 +0800
Message-ID: <gb-short@test.example>
Content-Transfer-Encoding: 8bit

{body}
""",
        body="无法登录邮箱".encode("gb2312"),
    ),
    "shift_jis_unlabelled.eml": eml(
        FROM
        + """Subject: Shift_JIS without a label
Date: Fri, 14 Mar 2025 09:15:00 +0900
Message-ID: <sjis-nolabel@test.example>
MIME-Version: 1.0
Content-Type: text/plain
Content-Transfer-Encoding: 8bit

{body}
""",
        body=JAPANESE.encode("shift_jis"),
    ),
    "raw_subject_cp1251_latin1_body.eml": eml(
        """From: Ivan <ivan@test.example>
To: support@frontdesk.example
Subject: {subject}
Date: Fri, 14 Mar 2025 09:20:00 +0300
Message-ID: <raw-subject-1@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: 8bit

{body}
""",
        subject="Проблема с доступом".encode("cp1251"),
        body="Réunion à Paris, café à 10 h.".encode("latin-1"),
    ),
    "raw_subject_gbk_utf8_body.eml": eml(
        """From: Li <li@test.example>
To: support@frontdesk.example
Subject: {subject}
Date: Fri, 14 Mar 2025 09:25:00 +0800
Message-ID: <raw-subject-2@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Hello, the subject says it.
""",
        subject="无法登录邮箱".encode("gbk"),
    ),
    "raw_subject_koi8r_cp1252_body.eml": eml(
        """From: Olga <olga@test.example>
To: support@frontdesk.example
Subject: {subject}
Date: Fri, 14 Mar 2025 09:30:00 +0300
Message-ID: <raw-subject-3@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=windows-1252
Content-Transfer-Encoding: 8bit

{body}
""",
        subject="Не работает почта".encode("koi8-r"),
        body="Grüße – bitte um Rückruf.".encode("cp1252"),
    ),
}
