"""One-time links in mail to customers: each opens one ticket once, without a password.

Every mail Frontdesk writes to a customer (the new-ticket confirmation, an
answer, the closed notice: mail/outbound.py) carries one when it goes to the
requester alone: ``FRONTDESK_URL/portal/link/<token>/``. Opening it shows a
page with a button; only that button's POST signs in, because mail scanners
follow links with GET and must not use them up. It signs in the person the
mail was written to: the contact's user, else whoever signs in with the
address, else a user made for the address with no usable password (a customer
of no account, who sees the tickets asked for from that address). The session
is scoped to that one ticket (portal/auth.py ``ticket_scope``).

A link works once, for ``PORTAL_LINK_DAYS``, while its address is still the
ticket's requester and its person may see the ticket. A staff address never
gets one and staff never sign in through one: a copy of a customer's mail must
not open the panel, nor sign staff in as a customer. Administrators revoke
links in the Django admin; changing a ticket's requester revokes its links.
A mail that others read too (an answer with CCs) gets the portal's address
instead, since a link signs in the one person it was written to.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import Contact, User
from frontdesk.public_url import absolute
from portal import tokens
from portal.models import PortalLink
from tickets.models import Ticket
from tickets.visibility import can_see, get_ticket_for

log = logging.getLogger(__name__)


class Refusal(StrEnum):
    #: No such link: mistyped, changed, or of another installation (or key).
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"
    #: It can sign nobody in any more: the requester, the contact or the person changed.
    INVALID = "invalid"


#: After these a fresh link may be mailed to the link's address.
RENEWABLE = frozenset({Refusal.EXPIRED, Refusal.USED})


class LinkRefused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


@dataclass(frozen=True)
class Opened:
    person: User
    number: int


def is_staff_address(email: str) -> bool:
    """Anybody with a staff profile signs in with it, active or not."""
    return User.objects.filter(email__same=email, staff_profile__isnull=False).exists()


def issue(*, ticket: Ticket, email: str) -> str | None:
    """A new link to ``ticket`` for its requester at ``email``, as a whole address;
    None when this address may not have one."""
    email = email.strip().lower()
    if email != ticket.requester_email.strip().lower() or is_staff_address(email):
        return None
    contact = Contact.objects.filter(email__same=email).select_related("user").first()
    person = _existing_person(contact, email)
    if person is not None and (
        not person.is_active or person.staff is not None or not can_see(person, ticket)
    ):
        return None
    token = tokens.new_token()
    now = timezone.now()
    PortalLink.objects.create(
        ticket=ticket,
        email=email,
        contact=contact,
        secret_hash=tokens.digest(token, tokens.LINK),
        created_at=now,
        expires_at=now + timedelta(days=max(settings.PORTAL_LINK_DAYS, 1)),
    )
    return absolute(reverse("portal:link", kwargs={"token": token}))


def mail_context(ticket: Ticket, *, to: list[str], cc: list[str]) -> dict[str, str]:
    """What a mail to customers offers of the portal, for its templates: a link
    (``portal_link``) when it goes to the requester alone, else the portal's address
    (``portal_url``), which asks whoever comes to sign in."""
    if len(to) == 1 and not cc:
        link = issue(ticket=ticket, email=to[0])
        return {"portal_link": link} if link is not None else {}
    return {"portal_url": absolute(reverse("portal:home"))}


def find(token: str) -> PortalLink | None:
    if not tokens.is_well_formed(token):
        return None
    return PortalLink.objects.filter(secret_hash=tokens.digest(token, tokens.LINK)).first()


def refusal(link: PortalLink, now: datetime | None = None) -> Refusal | None:
    """Why ``link`` opens nothing now, checking the link alone; None when it may."""
    now = now or timezone.now()
    if link.revoked_at is not None:
        return Refusal.REVOKED
    if link.used_at is not None:
        return Refusal.USED
    if link.expires_at <= now:
        return Refusal.EXPIRED
    return None


@transaction.atomic
def open_link(*, link: PortalLink) -> Opened:
    """Use ``link`` up and say whom it signs in, to which ticket; ``LinkRefused`` says why not."""
    now = timezone.now()
    refused = refusal(link, now)
    if refused is not None:
        raise LinkRefused(refused)
    person = _person(link)
    if person is None:
        raise LinkRefused(Refusal.INVALID)
    try:
        ticket = get_ticket_for(person, link.ticket_id)
    except Ticket.DoesNotExist:
        raise LinkRefused(Refusal.INVALID) from None
    if ticket.requester_email.strip().lower() != link.email:
        raise LinkRefused(Refusal.INVALID)
    # The conditional update is the claim: of two clicks at once, one gets in.
    claimed = PortalLink.objects.filter(
        pk=link.pk, used_at=None, revoked_at=None, expires_at__gt=now
    ).update(used_at=now)
    if claimed != 1:
        # Raising rolls back a user made above for nothing.
        link.refresh_from_db()
        raise LinkRefused(refusal(link, now) or Refusal.USED)
    return Opened(person=person, number=ticket.number)


def renew(*, link_id: int | None, email: str) -> tuple[Ticket, str] | None:
    """A fresh link in place of a used or expired one, when ``email`` is the address
    that one was mailed to (and may still have one): its ticket and the new link."""
    if link_id is None:
        return None
    link = PortalLink.objects.filter(pk=link_id).select_related("ticket").first()
    if link is None or refusal(link) not in RENEWABLE or link.email != email.strip().lower():
        return None
    fresh = issue(ticket=link.ticket, email=link.email)
    return (link.ticket, fresh) if fresh is not None else None


def revoke(links: QuerySet[PortalLink]) -> int:
    """Revoke the links that might still open; how many were."""
    return links.filter(revoked_at=None, used_at=None).update(revoked_at=timezone.now())


def revoke_for_ticket(number: int) -> int:
    revoked = revoke(PortalLink.objects.filter(ticket_id=number))
    if revoked:
        log.info("revoked %d portal links of ticket #%d", revoked, number)
    return revoked


def ticket_page(number: int) -> str:
    """Where an opened link lands: the portal's page of the ticket."""
    return reverse("portal:ticket", kwargs={"number": number})


def _existing_person(contact: Contact | None, email: str) -> User | None:
    if contact is not None and contact.user is not None:
        return contact.user
    return User.objects.filter(email__same=email).first()


def _person(link: PortalLink) -> User | None:
    """Whom the link signs in, made if need be; None when nobody may be."""
    contact = link.contact
    if contact is not None and contact.email.strip().lower() != link.email:
        return None  # the contact moved to another address since the mail
    person = _existing_person(contact, link.email)
    if person is None:
        person = _new_customer(link.email, contact.name if contact is not None else "")
    if not person.is_active or person.staff is not None:
        return None
    return person


def _new_customer(email: str, name: str) -> User:
    """A customer of no account for ``email``, with no usable password."""
    try:
        with transaction.atomic():
            return User.objects.create_user(email, None, full_name=name)
    except IntegrityError:
        # Made at the same moment by another link of the same address.
        return User.objects.get(email__same=email)
