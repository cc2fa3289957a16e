"""Mail the portal sends about people's access: password reset, address verification,
"you have an account already", a fresh link to a ticket.

Each is three templates in portal/templates/portal/mail/ (subject, text, HTML).
They are sent by the worker (portal/tasks.py), never while a request waits: the
page must answer alike whether or not the address has an account. They skip
the outbox on purpose: their links are secrets that must not be kept in a
table, and a lost one is asked for again. Each is written in its reader's language
(accounts/preferences.py), else in ``language`` (a registration's, whose reader
has no user yet), else English.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from email.utils import formataddr

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from accounts import preferences
from mail import conf, tokens
from mail.outbound import clean_header
from tickets.models import HelpdeskSettings


def send(
    template: str,
    context: Mapping[str, object],
    *,
    to: str,
    message_id: str = "",
    language: str = "",
) -> None:
    desk = HelpdeskSettings.load()
    context = {**context, "desk": desk}
    with preferences.writing_to(preferences.person_for_address(to), language=language):
        subject = clean_header(render_to_string(f"portal/mail/{template}_subject.txt", context))
        text = render_to_string(f"portal/mail/{template}.txt", context)
        html = render_to_string(f"portal/mail/{template}.html", context)
    # Not a ticket's Message-ID unless given one: a reply to it is new mail.
    message_id = message_id or f"fd.portal.{secrets.token_hex(12)}@{conf.message_id_domain()}"
    headers = {
        "Message-ID": f"<{message_id}>",
        tokens.LOOP_HEADER: tokens.loop_mark(message_id),
        # RFC 3834: a program wrote it; no auto-replies to it, please.
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
    }
    email = EmailMultiAlternatives(
        subject=subject[:998],
        body=text,
        from_email=formataddr((clean_header(desk.company_name), desk.support_address)),
        to=[to],
        headers=headers,
    )
    email.attach_alternative(html, "text/html")
    email.send(fail_silently=False)
