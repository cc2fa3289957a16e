"""Structure and text that real mail gets wrong (issue 12, class 1).

Outlook's unquoted boundaries holding "=", multiparts that never meet their
boundary, inline text parts with a file name, x-uuencode bodies, base64 of an
impossible length, and header blocks broken by a gateway. Imported by
make_corpus.py, which writes the files.
"""

from __future__ import annotations

import base64

from corpus_helpers import FROM, eml, uuencode

_NEXT_PART = "----=_NextPart_000_0012_01DB8C2A.5E6F7A80"
# 54 bytes: 72 base64 characters without padding; one more makes 4n + 1.
_IMPOSSIBLE = base64.b64encode(b"Decoded as far as it goes, then one stray character.\n\n")

MESSAGES: dict[str, bytes] = {
    "outlook_unquoted_boundary.eml": eml(
        f"""
From: "Lee, Jordan" <jordan.lee@corp.example>
To: support@frontdesk.example
Subject: Printer prints blank pages
Date: Thu, 13 Mar 2025 08:00:00 +0100
Message-ID: <000001db8c2a$5e6f7a80$1b2c3d4e@corp.example>
MIME-Version: 1.0
Content-Type: multipart/alternative;
\tboundary={_NEXT_PART}
X-Mailer: Microsoft Outlook 16.0

This is a multi-part message in MIME format.

--{_NEXT_PART}
Content-Type: text/plain;
\tcharset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

The printer on floor 3 prints blank pages since Monday.

--{_NEXT_PART}
Content-Type: text/html;
\tcharset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

<html><body><p>The printer on floor 3 prints <b>blank</b> pages since Monday.</p></body></html>

--{_NEXT_PART}--
"""
    ),
    "multipart_boundary_never_met.eml": eml(
        FROM
        + """Subject: Boundary never met
Date: Thu, 13 Mar 2025 08:05:00 +0000
Message-ID: <never-met@test.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="this-boundary-never-comes"

The boundary never comes, and this text must still be read.
"""
    ),
    "multipart_without_parts.eml": eml(
        FROM
        + """Subject: Multipart without parts
Date: Thu, 13 Mar 2025 08:06:00 +0000
Message-ID: <no-parts@test.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="empty"

A preamble holds the only text of this message.
--empty--
"""
    ),
    "inline_text_with_filename.eml": eml(
        FROM
        + """Subject: Log inline
Date: Thu, 13 Mar 2025 08:10:00 +0000
Message-ID: <inline-text@test.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="it"

--it
Content-Type: text/plain; charset=utf-8

The error log is below.
--it
Content-Type: text/plain; charset=utf-8; name="error.log"
Content-Disposition: inline; filename="error.log"

ERROR 42: disk full on /var
--it
Content-Type: text/plain; charset=utf-8

Thanks for looking.
--it--
"""
    ),
    "x_uuencode_text_body.eml": eml(
        FROM
        + """Subject: x-uuencode text body
Date: Thu, 13 Mar 2025 08:15:00 +0000
Message-ID: <uu-body@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: x-uuencode

"""
        + uuencode("message.txt", "Grüße, the whole body was uuencoded.\n".encode())
    ),
    "x_uuencode_without_begin.eml": eml(
        FROM
        + """Subject: x-uuencode without a begin line
Date: Thu, 13 Mar 2025 08:16:00 +0000
Message-ID: <uu-nobegin@test.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="nb"

--nb
Content-Type: text/plain

The report follows.
--nb
Content-Type: text/plain; name="report.txt"
Content-Disposition: attachment; filename="report.txt"
Content-Transfer-Encoding: x-uuencode

"""
        + "\n".join(uuencode("report.txt", b"all systems nominal\n").splitlines()[1:-1])
        + "\n--nb--\n"
    ),
    "base64_impossible_length.eml": eml(
        FROM
        + """Subject: Base64 of impossible length
Date: Thu, 13 Mar 2025 08:20:00 +0000
Message-ID: <b64-length@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

"""
        + _IMPOSSIBLE.decode("ascii")
        + "Q\n"
    ),
    "header_continuation_without_space.eml": eml(
        """
From: Customer <customer@test.example>
To: support@frontdesk.example
Subject: A subject that a broken gateway
folded without a leading space
Date: Thu, 13 Mar 2025 08:25:00 +0000
Message-ID: <broken-fold@test.example>

The headers above were folded wrongly.
"""
    ),
    "header_first_line_junk.eml": eml(
        """
>From customer@test.example  Thu Mar 13 08:30:00 2025
From: Customer <customer@test.example>
To: support@frontdesk.example
Subject: First line is no header
Date: Thu, 13 Mar 2025 08:30:00 +0000
Message-ID: <first-line-junk@test.example>

A mailbox escaped the envelope line.
"""
    ),
}
