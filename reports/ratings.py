"""Customer satisfaction: the signed links of the closing notice and the ratings they give.

A link names one closing of one ticket (its number and ``closed_at``), signed
with ``TimestampSigner`` under a salt of its own and good for ``MAX_AGE``; no
sign-in is needed, the signature is the permission. One closing has at most
one rating: following a link again (a replay, or the customer changing their
mind) changes that same rating, never adds a second, and a tampered or expired
link changes nothing. Opening a link only shows the choice; the rating is
saved when the page's form is sent, because mail scanners open every link in
a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from frontdesk.public_url import absolute
from reports.models import Rating, TicketFact
from tickets.models import HelpdeskSettings, Ticket

SALT = "reports.ratings.closing"
MAX_AGE = timedelta(days=30)
COMMENT_LENGTH = 2000


class Refusal(StrEnum):
    INVALID = "invalid"
    EXPIRED = "expired"
    OFF = "off"


class LinkRefused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


@dataclass(frozen=True)
class Closing:
    number: int
    closed_at: datetime


def enabled() -> bool:
    return HelpdeskSettings.load().satisfaction_ratings


def token_for(ticket: Ticket, closed_at: datetime | None = None) -> str:
    """The link's token for the closing of ``ticket`` at ``closed_at`` (its own by default)."""
    closed_at = closed_at or ticket.closed_at
    if closed_at is None:
        raise ValueError("only a closed ticket is rated")
    payload = {"n": ticket.pk, "c": closed_at.isoformat()}
    return signing.TimestampSigner(salt=SALT).sign_object(payload, compress=True)


def mail_context(ticket: Ticket, closed_at: datetime | None = None) -> dict[str, str]:
    """The closing notice's "good" and "bad" links for the closing at ``closed_at`` (the
    ticket's own by default: the notice is composed later, and the ticket may have been
    reopened since); none when ratings are off."""
    closed_at = closed_at or ticket.closed_at
    if not enabled() or closed_at is None:
        return {}
    page = absolute(reverse("portal:rating", args=[token_for(ticket, closed_at)]))
    return {"rating_good": f"{page}?choice=good", "rating_bad": f"{page}?choice=bad"}


def closing_of(token: str) -> Closing:
    """The closing a link names; ``LinkRefused`` when it is tampered with, expired or off."""
    if not enabled():
        raise LinkRefused(Refusal.OFF)
    signer = signing.TimestampSigner(salt=SALT)
    try:
        payload = signer.unsign_object(token, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise LinkRefused(Refusal.EXPIRED) from None
    except signing.BadSignature:
        raise LinkRefused(Refusal.INVALID) from None
    try:
        closing = Closing(int(payload["n"]), datetime.fromisoformat(payload["c"]))
    except (KeyError, TypeError, ValueError):
        raise LinkRefused(Refusal.INVALID) from None
    if not TicketFact.objects.filter(number=closing.number, created_day__isnull=False).exists():
        # The ticket was deleted since.
        raise LinkRefused(Refusal.INVALID)
    return closing


def rating_of(closing: Closing) -> Rating | None:
    return Rating.objects.filter(ticket_id=closing.number, closed_at=closing.closed_at).first()


def rate(*, closing: Closing, good: bool, comment: str = "") -> Rating:
    """Save the customer's rating of the closing: the one row of that closing."""
    comment = comment.strip()[:COMMENT_LENGTH]
    now = timezone.now()
    fact = TicketFact.objects.get(number=closing.number)
    values = {"good": good, "comment": comment, "updated_at": now}
    try:
        with transaction.atomic():
            rating, _ = Rating.objects.update_or_create(
                ticket_id=closing.number,
                closed_at=closing.closed_at,
                defaults=values,
                create_defaults={
                    **values,
                    "created_at": now,
                    "queue": fact.queue,
                    "assignee": fact.assignee,
                },
            )
    except IntegrityError:
        # Two sends of one closing at once: the other made the row; change it.
        Rating.objects.filter(ticket_id=closing.number, closed_at=closing.closed_at).update(
            **values
        )
        rating = Rating.objects.get(ticket_id=closing.number, closed_at=closing.closed_at)
    return rating


def ratings_of_ticket(number: int) -> list[Rating]:
    """A ticket's ratings, newest closing first, for its page in the panel."""
    return list(Rating.objects.filter(ticket_id=number).order_by("-closed_at"))
