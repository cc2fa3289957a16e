"""Mail from machines (bounces, receipts, auto-replies, lists) and encrypted mail.

Imported by make_corpus.py, which writes the files.
"""

from __future__ import annotations

from corpus_helpers import b64, simple

PGP_BLOCK = """-----BEGIN PGP MESSAGE-----

hQEMA5x8k2bZqYcVAQf/Xq3Zb1pQm7yV0s8kR2wT4nL6uJ9cE5dH1aF3gK0oB7iM
2vN8xC4zP6qW1eR9tY3uI5oA7sD0fG2hJ4kL6zX8cV1bN3mQ5wE7rT9yU2iO4pA
=Q2x9
-----END PGP MESSAGE-----"""
SIGNATURE = b"0\x82\x01\x00fake-signature"

MESSAGES: dict[str, bytes] = {}

_entries = [
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
]
MESSAGES.update(_entries)
