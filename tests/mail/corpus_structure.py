"""MIME structure: nesting, forwarded messages, inline images, file names, many parts.

Imported by make_corpus.py, which writes the files.
"""

from __future__ import annotations

from corpus_helpers import FROM, PDF, PNG, b64, eml, simple, word

_parts = "".join(
    f'--many\nContent-Type: text/plain; name="part{number:04d}.txt"\n'
    f'Content-Disposition: attachment; filename="part{number:04d}.txt"\n\n{number}\n'
    for number in range(1, 1001)
)

MESSAGES: dict[str, bytes] = {}

MESSAGES["nested_multipart.eml"] = eml(
    f"""
From: Nadia Haddad <nadia@deep.example>
To: support@frontdesk.example
Subject: Nested parts
Date: Mon, 10 Mar 2025 08:00:00 +0000
Message-ID: <nested-1@deep.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="L1"

--L1
Content-Type: multipart/mixed; boundary="L2"

--L2
Content-Type: multipart/alternative; boundary="L3"

--L3
Content-Type: text/plain; charset=utf-8

Top text in level three.
--L3
Content-Type: multipart/related; boundary="L4"

--L4
Content-Type: text/html; charset=utf-8

<p>Top text in level three.</p><img src="cid:deep@x">
--L4
Content-Type: image/png
Content-ID: <deep@x>
Content-Transfer-Encoding: base64

{b64(PNG)}
--L4--
--L3--
--L2
Content-Type: text/csv; name="level2.csv"
Content-Disposition: attachment; filename="level2.csv"

a,b
1,2
--L2--
--L1
Content-Type: application/zip
Content-Disposition: attachment; filename="level1.zip"
Content-Transfer-Encoding: base64

{b64(b"PK" + bytes(20))}
--L1--
"""
)

MESSAGES["forwarded_rfc822.eml"] = eml(
    f"""
From: Omar Farouk <omar@fwd.example>
To: support@frontdesk.example
Subject: Fwd: Strange invoice
Date: Mon, 10 Mar 2025 09:00:00 +0000
Message-ID: <fwd-1@fwd.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: text/plain; charset=utf-8

Forwarding the invoice mail I received, is it genuine?

--outer
Content-Type: message/rfc822
Content-Disposition: attachment

From: Billing <billing@suspicious.example>
To: omar@fwd.example
Subject: Strange invoice
Date: Sun, 9 Mar 2025 22:00:00 +0000
Message-ID: <inv-9@suspicious.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="inner"

--inner
Content-Type: text/plain; charset=utf-8

Pay now: inner forwarded text that must stay in the attachment.
--inner
Content-Type: application/pdf; name="invoice.pdf"
Content-Disposition: attachment; filename="invoice.pdf"
Content-Transfer-Encoding: base64

{b64(PDF)}
--inner--

--outer--
"""
)

MESSAGES["forwarded_inline_rfc822.eml"] = eml(
    """
From: Omar Farouk <omar@fwd.example>
To: support@frontdesk.example
Subject: Fwd: Meeting notes
Date: Mon, 10 Mar 2025 10:00:00 +0000
Message-ID: <fwd-2@fwd.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer2"

--outer2
Content-Type: text/plain; charset=utf-8

See the forwarded notes.
--outer2
Content-Type: message/rfc822
Content-Disposition: inline

From: Colleague <colleague@fwd.example>
To: omar@fwd.example
Subject: Meeting notes
Message-ID: <notes-3@fwd.example>

Inline forwarded body that is not ours.
--outer2--
"""
)

MESSAGES["inline_cid_images.eml"] = eml(
    f"""
From: Priya Nair <priya@images.example>
To: support@frontdesk.example
Subject: Two images
Date: Mon, 10 Mar 2025 11:00:00 +0000
Message-ID: <cid-1@images.example>
MIME-Version: 1.0
Content-Type: multipart/related; boundary="rel"; type="text/html"

--rel
Content-Type: text/html; charset=utf-8

<p>Before <img src="cid:part1.ABCD@images.example" alt="first"> after.</p>
--rel
Content-Type: image/png; name="first.png"
Content-ID: <part1.ABCD@images.example>
Content-Transfer-Encoding: base64

{b64(PNG)}
--rel
Content-Type: image/png; name="unused.png"
Content-ID: <part2.EFGH@images.example>
Content-Transfer-Encoding: base64

{b64(PNG)}
--rel--
"""
)

MESSAGES["rfc2231_filenames.eml"] = eml(
    f"""
From: Files Test <files@names.example>
To: support@frontdesk.example
Subject: Many file names
Date: Mon, 10 Mar 2025 12:00:00 +0000
Message-ID: <names-1@names.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="names"

--names
Content-Type: text/plain; charset=utf-8

Five files.
--names
Content-Type: application/octet-stream
Content-Disposition: attachment; filename*=iso-8859-1'fr'%A3%20tarifs%20%E9t%E9.txt

tarifs
--names
Content-Type: application/octet-stream
Content-Disposition: attachment;
 filename*0="long-name-part-one-";
 filename*1="part-two.txt"

two
--names
Content-Type: application/octet-stream; name="{word("日本語の資料.txt")}"

three
--names
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="{{raw_name}}"

four
--names
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="..\\\\..\\\\windows\\\\system.ini"

five
--names--
""",
    raw_name="Übersicht März.txt".encode(),
)

_entries = [
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
    simple(
        "many_parts.eml",
        FROM
        + """Subject: A thousand parts
Date: Thu, 13 Mar 2025 13:00:00 +0000
Message-ID: <many-1@test.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="many\"""",
        _parts + "--many--\n",
    ),
]
MESSAGES.update(_entries)
