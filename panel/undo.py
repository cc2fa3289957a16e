"""Undo of a close, for a few seconds after it ("Closed. Undo").

The page that follows a close (one ticket's, or a mass close's job page) offers
a form whose token says who closed what and when, signed with the secret key
(``django.core.signing``, its timestamp checked against ``UNDO_SECONDS`` and a
little grace for the request on its way). The page hides the offer after
``UNDO_SECONDS``; the server refuses an older token whatever the page shows,
one somebody else closed with (unless a supervisor's), and one that was changed.
What is undone, and whether the ticket changed meanwhile, is the business of
tickets/actions ``undo_close`` and tickets/mass.py ``undo_close``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from panel.auth import StaffRequest
from tickets import mass
from tickets.models import MassJob, Ticket

#: How long the page offers the undo.
UNDO_SECONDS = 10
#: What the server adds for a click at the last moment still on its way.
GRACE_SECONDS = 5
#: A close from the ticket page holds the customer's closing notice back as long as
#: it may be undone, so that the undo can withdraw it. (A mass close's notices go at
#: once: the first are out long before the job ends; the undo withdraws what is left.)
NOTICE_DELAY = timedelta(seconds=UNDO_SECONDS + GRACE_SECONDS)
_SALT = "panel.undo"
#: The session key that brings the offer to the ticket page after a close without JavaScript.
_SESSION_KEY = "panel_undo"


class Refused(Exception):
    """The token is no good: too old, or not one we signed; the message says which."""


@dataclass(frozen=True)
class Offer:
    """The "Closed. Undo" form: where it posts and its token."""

    url: str
    token: str
    seconds: int


def offer_close(user: User, ticket: Ticket) -> Offer:
    """The undo of the close that just made ``ticket``'s version, for ``user``."""
    token = signing.dumps(
        {"user": user.pk, "ticket": ticket.number, "version": ticket.version},
        salt=f"{_SALT}.close",
        compress=True,
    )
    return Offer(reverse("panel:undo_close", args=[ticket.number]), token, UNDO_SECONDS)


def offer_mass_close(user: User, job: MassJob) -> Offer | None:
    """The undo of a mass close its owner has just seen finish; None when there is none
    (another action, a search's results, too many tickets, or too late)."""
    if job.owner_id != user.pk or not mass.may_undo(job) or _too_late(job):
        return None
    token = signing.dumps({"user": user.pk, "job": job.pk}, salt=f"{_SALT}.mass", compress=True)
    return Offer(reverse("panel:mass_undo", args=[job.pk]), token, UNDO_SECONDS)


def _too_late(job: MassJob) -> bool:
    # Reloading the job's page must not start the time again.
    finished = job.finished_at
    return finished is None or timezone.now() - finished > timedelta(
        seconds=UNDO_SECONDS + GRACE_SECONDS
    )


def closed_version(request: StaffRequest, number: int) -> int:
    """The version the close of ticket ``number`` made, from the posted token."""
    data = _read(request, "close")
    if data.get("ticket") != number or not isinstance(data.get("version"), int):
        raise Refused(_("This undo is for another ticket."))
    return int(data["version"])


def check_mass(request: StaffRequest, job: MassJob) -> None:
    """Refuse the undo of mass close ``job`` unless the posted token is for it, fresh."""
    data = _read(request, "mass")
    if data.get("job") != job.pk:
        raise Refused(_("This undo is for another mass action."))
    if _too_late(job):
        raise Refused(_("Too late to undo: the undo is offered for %(seconds)s seconds.") % _ages())


def _read(request: StaffRequest, kind: str) -> dict[str, Any]:
    try:
        data = signing.loads(
            request.POST.get("token", ""),
            salt=f"{_SALT}.{kind}",
            max_age=timedelta(seconds=UNDO_SECONDS + GRACE_SECONDS),
        )
    except signing.SignatureExpired:
        raise Refused(
            _("Too late to undo: the undo is offered for %(seconds)s seconds.") % _ages()
        ) from None
    except signing.BadSignature:
        raise Refused(_("This undo is not valid; nothing was changed.")) from None
    if not isinstance(data, dict):
        raise Refused(_("This undo is not valid; nothing was changed."))
    staff = request.user.staff
    if data.get("user") != request.user.pk and not (staff and staff.is_supervising):
        raise PermissionDenied(_("Only who closed the tickets, or a supervisor, may undo it."))
    return data


def _ages() -> dict[str, int]:
    return {"seconds": UNDO_SECONDS}


def keep_for_next_page(request: StaffRequest, offer: Offer) -> None:
    """Without JavaScript the close redirects: the ticket page shows the offer once."""
    request.session[_SESSION_KEY] = {"url": offer.url, "token": offer.token}


def taken_for(request: StaffRequest, number: int) -> Offer | None:
    """The offer kept for ticket ``number``'s page, once."""
    kept = request.session.get(_SESSION_KEY)
    if not isinstance(kept, dict):
        return None
    url = reverse("panel:undo_close", args=[number])
    if kept.get("url") != url:
        return None
    del request.session[_SESSION_KEY]
    return Offer(url, str(kept.get("token", "")), UNDO_SECONDS)
