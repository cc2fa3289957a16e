"""The portal's mail, sent by the worker so that no page waits for it (portal/mails.py)."""

from __future__ import annotations

from django.conf import settings
from huey.contrib.djhuey import db_task

from mail import tokens
from portal import links, mails, password_reset, registration


# Retried a little: a mail server that is down for a minute costs no one their link.
@db_task(retries=2, retry_delay=60)
def mail_password_reset(email: str, client_address: str) -> int:
    return password_reset.mail_reset_link(email=email, client_address=client_address)


@db_task(retries=2, retry_delay=60)
def mail_registration(registration_id: int) -> None:
    registration.mail_for(registration_id)


@db_task(retries=2, retry_delay=60)
def mail_fresh_link(link_id: int | None, email: str) -> bool:
    renewed = links.renew(link_id=link_id, email=email)
    if renewed is None:
        return False
    ticket, link = renewed
    context = {"ticket": ticket, "link": link, "days": settings.PORTAL_LINK_DAYS}
    # The ticket's own kind of Message-ID: a reply to this mail threads to the ticket.
    message_id = tokens.make_message_id(ticket.number)
    mails.send("fresh_link", context, to=ticket.requester_email, message_id=message_id)
    return True
