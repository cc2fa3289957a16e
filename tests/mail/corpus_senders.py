"""Senders as real clients write them (issue 12, class 2).

An encoded word inside a quoted display name (against RFC 2047, written by
many mailers), an encoded word holding a comma (Outlook's "Last, First"), and
internationalised addresses (RFC 6532: UTF-8 in the address itself). Each must
give its one sender. Imported by make_corpus.py, which writes the files.
"""

from __future__ import annotations

from corpus_helpers import qword, simple, word

MESSAGES: dict[str, bytes] = dict(
    [
        simple(
            "sender_quoted_encoded_word.eml",
            f"""From: "{word("Иван Петров", "windows-1251")}" <ivan@test.example>
To: support@frontdesk.example
Subject: Quoted encoded word
Date: Wed, 12 Mar 2025 13:00:00 +0000
Message-ID: <sender-1@test.example>""",
        ),
        simple(
            "sender_encoded_comma.eml",
            f"""From: {qword("Müller, Jürgen", "iso-8859-1")} <juergen.mueller@corp.example>
To: support@frontdesk.example
Subject: Encoded comma
Date: Wed, 12 Mar 2025 13:01:00 +0000
Message-ID: <sender-2@test.example>""",
        ),
        simple(
            "sender_quoted_encoded_comma.eml",
            f"""From: "{word("Lee, Jordan")}" <jordan.lee@corp.example>
To: support@frontdesk.example
Subject: Quoted encoded comma
Date: Wed, 12 Mar 2025 13:02:00 +0000
Message-ID: <sender-3@test.example>""",
        ),
        simple(
            "sender_eai_utf8.eml",
            """From: Jörg Müller <jörg@bücher.example>
To: support@frontdesk.example
Subject: Internationalised address
Date: Wed, 12 Mar 2025 13:03:00 +0000
Message-ID: <sender-4@bücher.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit""",
            "Grüße aus dem Bücherladen.\n",
        ),
        simple(
            "sender_eai_cjk.eml",
            """From: 山田 <山田@例え.テスト>
To: support@frontdesk.example
Subject: EAI in Japanese
Date: Wed, 12 Mar 2025 13:04:00 +0000
Message-ID: <sender-5@example.jp>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit""",
            "よろしくお願いします。\n",
        ),
    ]
)
