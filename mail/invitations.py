"""Invitations: a contact who was given a portal login, or a new staff member
(accounts/staff.py), chooses a password through a link.

Like every mail, three templates in mail/templates/mail/ (subject, text, HTML)
and one function that writes it to the outbox, inside the caller's transaction,
so the invitation exists exactly when the login and its audit entry do. It is
written in the contact's language when their login has one, else in English.
"""

from __future__ import annotations

import secrets
from email.utils import formataddr

from django.db import transaction
from django.template.loader import render_to_string

from accounts import preferences
from accounts.models import Contact, User
from mail import conf, outbox, tokens
from mail.models import OutgoingKind, OutgoingMail
from mail.outbound import clean_header
from tickets.models import HelpdeskSettings


def queue_portal_invitation(*, contact: Contact, link: str, invited_by: str) -> OutgoingMail:
    """The mail that brings ``contact`` to ``link`` (where they set their password)."""
    desk = HelpdeskSettings.load()
    context = {"contact": contact, "link": link, "desk": desk, "invited_by": invited_by}
    with preferences.writing_to(contact.user):
        subject = clean_header(render_to_string("mail/portal_invitation_subject.txt", context))
        text = render_to_string("mail/portal_invitation.txt", context)
        html = render_to_string("mail/portal_invitation.html", context)
    return _queue(to=contact.email, subject=subject, text=text, html=html, desk=desk)


def queue_staff_invitation(*, user: User, link: str, invited_by: str) -> OutgoingMail:
    """The mail that brings a new staff member to ``link`` (where they choose a password)."""
    desk = HelpdeskSettings.load()
    context = {"person": user, "link": link, "desk": desk, "invited_by": invited_by}
    with preferences.writing_to(user):
        subject = clean_header(render_to_string("mail/staff_invitation_subject.txt", context))
        text = render_to_string("mail/staff_invitation.txt", context)
        html = render_to_string("mail/staff_invitation.html", context)
    return _queue(to=user.email, subject=subject, text=text, html=html, desk=desk)


def _queue(*, to: str, subject: str, text: str, html: str, desk: HelpdeskSettings) -> OutgoingMail:
    # Not a ticket's Message-ID, so a reply to it is new mail, not a follow-up.
    message_id = f"fd.invitation.{secrets.token_hex(12)}@{conf.message_id_domain()}"
    headers = {
        tokens.LOOP_HEADER: tokens.loop_mark(message_id),
        # RFC 3834: a mail a program wrote, not a reply; no auto-replies to it, please.
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
    }
    row = OutgoingMail.objects.create(
        kind=OutgoingKind.INVITATION,
        from_address=formataddr((clean_header(desk.company_name), desk.support_address)),
        to=[to],
        subject=subject[:998],
        headers=headers,
        text=text,
        html=html,
        message_id=message_id,
        recipient=to.lower(),
    )
    # Robust: a broken task queue must not undo the invitation; the sweep sends it.
    transaction.on_commit(lambda: outbox.enqueue(row.pk), robust=True)
    return row
