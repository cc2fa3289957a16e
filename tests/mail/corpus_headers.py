"""Headers: senders, recipients, Message-IDs, threading, dates, subjects.

Imported by make_corpus.py, which writes the files.
"""

from __future__ import annotations

from corpus_helpers import FROM, simple, word


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

MESSAGES: dict[str, bytes] = {}

_entries = [
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
]
MESSAGES.update(_entries)
