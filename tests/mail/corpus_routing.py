"""Routing headers as each common MTA writes them (issue 12, class 5).

The set-up the manual recommends: queue addresses are aliases of the main
support address, so the customer writes to billing@ and the mail lands in the
support@ mailbox. Each message is what the named MTA (or forwarder) leaves in
the headers of such a mail; the ticket must go to Billing, the address the
customer wrote to. Imported by make_corpus.py, which writes the files.
"""

from __future__ import annotations

from corpus_helpers import simple

_BODY = "Hello, my invoice shows the wrong amount.\n"

MESSAGES: dict[str, bytes] = dict(
    [
        simple(
            "route_postfix_alias.eml",
            """Return-Path: <customer@test.example>
X-Original-To: billing@frontdesk.example
Delivered-To: support@frontdesk.example
Received: from mx.test.example (mx.test.example [192.0.2.10])
\tby mail.frontdesk.example (Postfix) with ESMTPS id 4Z1aBc2dEfz9
\tfor <billing@frontdesk.example>; Wed, 12 Mar 2025 14:30:01 +0000 (UTC)
From: Customer <customer@test.example>
To: Billing <billing@frontdesk.example>
Subject: Postfix alias
Date: Wed, 12 Mar 2025 14:30:00 +0000
Message-ID: <route-postfix@test.example>""",
            _BODY,
        ),
        simple(
            "route_exim_envelope_to.eml",
            """Return-path: <customer@test.example>
Envelope-to: billing@frontdesk.example
Delivery-date: Wed, 12 Mar 2025 14:30:02 +0000
Delivered-To: support@frontdesk.example
Received: from mx.test.example ([192.0.2.10])
\tby mail.frontdesk.example with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384
\t(Exim 4.96)
\t(envelope-from <customer@test.example>)
\tid 1tsXyZ-000AbC-2B
\tfor billing@frontdesk.example;
\tWed, 12 Mar 2025 14:30:02 +0000
From: Customer <customer@test.example>
To: My team <team@test.example>
Subject: Exim alias, the desk in Bcc
Date: Wed, 12 Mar 2025 14:30:00 +0000
Message-ID: <route-exim@test.example>""",
            _BODY,
        ),
        simple(
            "route_sendmail_bcc.eml",
            """Return-Path: <customer@test.example>
Received: from mx.test.example (mx.test.example [192.0.2.10])
\tby mail.frontdesk.example (8.17.1/8.17.1) with ESMTP id 52CEU1aB012345
\tfor <billing@frontdesk.example>; Wed, 12 Mar 2025 14:30:01 GMT
Received: from laptop (laptop.test.example [192.0.2.99])
\tby mx.test.example (8.17.1/8.17.1) with ESMTPSA id 52CEU0xY001122
\tfor <team@test.example>; Wed, 12 Mar 2025 14:30:00 GMT
From: Customer <customer@test.example>
To: My team <team@test.example>
Subject: Sendmail, the desk in Bcc
Date: Wed, 12 Mar 2025 14:30:00 +0000
Message-ID: <route-sendmail@test.example>""",
            _BODY,
        ),
        simple(
            "route_dovecot_lmtp.eml",
            """Return-Path: <customer@test.example>
Delivered-To: support@frontdesk.example
Received: from mail.frontdesk.example
\tby imap.frontdesk.example with LMTP
\tid 8Hq3AbCdEmZ1MgAAk7bF0A
\t(envelope-from <customer@test.example>)
\tfor <support@frontdesk.example>; Wed, 12 Mar 2025 14:30:02 +0000
Received: from mx.test.example (mx.test.example [192.0.2.10])
\tby mail.frontdesk.example (Postfix) with ESMTPS id 4Z1aBc2dEfz9
\tfor <billing@frontdesk.example>; Wed, 12 Mar 2025 14:30:01 +0000 (UTC)
From: Customer <customer@test.example>
To: "Billing" <billing@frontdesk.example>
Cc: colleague@test.example
Subject: Dovecot LMTP
Date: Wed, 12 Mar 2025 14:30:00 +0000
Message-ID: <route-dovecot@test.example>""",
            _BODY,
        ),
        simple(
            "route_gmail_forwarding.eml",
            """Delivered-To: support@frontdesk.example
Received: by 2002:a05:6a10:b1a4:b0:5c1:1234:abcd with SMTP id q4csp123456pxb;
        Wed, 12 Mar 2025 07:30:03 -0700 (PDT)
X-Forwarded-Encrypted: i=2; AJvYcCXexample
X-Forwarded-To: support@frontdesk.example
X-Forwarded-For: billing@frontdesk.example support@frontdesk.example
Delivered-To: billing@frontdesk.example
Received: by 2002:a05:6a10:b1a4:b0:5c1:1234:abcd with SMTP id q4csp123455pxb;
        Wed, 12 Mar 2025 07:30:02 -0700 (PDT)
From: Customer <customer@test.example>
To: billing@frontdesk.example
Subject: Gmail forwarding
Date: Wed, 12 Mar 2025 14:30:00 +0000
Message-ID: <route-gmail@test.example>""",
            _BODY,
        ),
    ]
)
