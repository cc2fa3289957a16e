"""Staff viewing the portal as one of an account's contacts (S34).

The staff member stays signed in as themselves; the session carries "viewing
as contact N" (``SESSION_KEY``). ``portal.auth.customer_required`` lets them
through and hands the view the contact's user as ``request.user``, so every
portal page reads through the one visibility rule as that customer. Staff may
do it only while they see every ticket of the account (``queries.
sees_whole_account``): the portal shows a customer all of them, and it must
show staff nothing the panel would not. That is checked again on every page.

Nothing is sent or changed in this mode unless the staff member confirms it:
every POST gets a page that says what would happen and offers "Do it as
<contact>" (``guarded_write``). A confirmed POST runs as the customer's user
(it is the customer's action: a customer message, a portal ticket of their
account, the customer's rules for reopening), and the audit log
(``VIEW_AS_ACTED``) and the history of the ticket it touched name the staff
member. Start and end are in the audit log; a start from a ticket also in
that ticket's history.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.signals import user_logged_out
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts import audit
from accounts.customers import account_target, portal_user
from accounts.models import AuditCode, Contact, User
from tickets import actions, queries, stored_files

SESSION_KEY = "view_as"
# The one-time value of the latest confirmation page: only a page we showed confirms.
CONFIRMATION_KEY = "view_as_confirmation"
CONFIRMATION_FIELD = "view_as_confirmation"
CONFIRMED_FIELD = "view_as_confirmed"
#: Attributes ``writes`` and ``never_as_customer`` put on a view.
DESCRIPTION = "view_as_description"
NEVER = "view_as_never"


@dataclass(frozen=True)
class ViewAs:
    staff: User
    contact: Contact
    customer: User
    ticket: int | None
    started: datetime

    @property
    def return_url(self) -> str:
        """Where ending it leads: the panel page it was started from."""
        if self.ticket is not None:
            return reverse("panel:ticket", kwargs={"number": self.ticket})
        return reverse("panel:customer", kwargs={"pk": self.contact.account_id})


def _minutes(since: datetime) -> str:
    minutes = int((timezone.now() - since).total_seconds() // 60)
    return "under a minute" if minutes < 1 else f"{minutes} minute{'s' if minutes > 1 else ''}"


def _stored(request: HttpRequest) -> dict[str, Any] | None:
    stored = request.session.get(SESSION_KEY)
    if not isinstance(stored, dict) or stored.get("staff") != request.user.pk:
        return None
    return stored


def peek(request: HttpRequest) -> ViewAs | None:
    """The view-as of this session as stored, without checking it is still allowed
    (the banner; ``viewing`` checks)."""
    user = request.user
    if not isinstance(user, User) or user.staff is None:
        return None
    stored = _stored(request)
    if stored is None or not isinstance(stored.get("contact"), int):
        return None
    contact = Contact.objects.select_related("account", "user").filter(pk=stored["contact"]).first()
    if contact is None or contact.user is None:
        return None
    return ViewAs(
        staff=user,
        contact=contact,
        customer=contact.user,
        ticket=stored.get("ticket"),
        started=datetime.fromisoformat(stored["started"]),
    )


def viewing(request: HttpRequest) -> ViewAs | None:
    """The staff member's view-as, if it is still allowed; one that is not is ended here
    (audited) with a message saying why. Call it while ``request.user`` is the staff member."""
    if _stored(request) is None:
        return None
    current = peek(request)
    if current is None:
        end(request, reason="the contact or their login is gone")
        return None
    why = _out_of_sight(current.staff, current.contact) or _unusable(current.contact)
    if why:
        end(request, reason=why)
        messages.error(request, f"Viewing as {current.contact.email} ended: {why}.")
        return None
    return current


def _out_of_sight(staff: User, contact: Contact) -> str:
    if queries.sees_whole_account(staff, contact.account_id):
        return ""
    return f"you do not see every ticket of {contact.account.name}, and the portal shows them all"


def _unusable(contact: Contact) -> str:
    if contact.user is not None and not contact.user.is_active:
        return f"the login of {contact.email} is deactivated"
    return ""


def start(request: HttpRequest, *, staff: User, contact: Contact, ticket: int | None) -> ViewAs:
    """Open the portal as ``contact`` (from ``ticket``, when given; the caller checked
    that staff see it and that it is the contact's account's). Refuses with
    ``PermissionDenied`` staff who do not see the whole account, and with
    ``ValidationError`` a contact who cannot be viewed as."""
    why = _out_of_sight(staff, contact)
    if why:
        raise PermissionDenied(f"{capfirst(why)}.")
    why = _unusable(contact)
    if why:
        raise ValidationError(f"{capfirst(why)}.")
    previous = peek(request)
    with transaction.atomic():
        # First the login (which may be refused), so a refusal leaves the old view-as on.
        customer, made = portal_user(contact)
        if previous is not None:
            end(request, reason=f"switched to {contact.email}")
        where = f"from ticket #{ticket}" if ticket is not None else "from the account page"
        audit.record(
            AuditCode.VIEW_AS_STARTED,
            actor=staff,
            person=customer,
            target=account_target(contact.account),
            detail="; ".join(part for part in (where, made) if part),
            client_address=audit.address_of(request),
        )
        if ticket is not None:
            actions.record_view_as(actor=staff, ticket=ticket, customer=contact.email)
    started = timezone.now()
    request.session[SESSION_KEY] = {
        "staff": staff.pk,
        "contact": contact.pk,
        "ticket": ticket,
        "started": started.isoformat(),
    }
    return ViewAs(staff=staff, contact=contact, customer=customer, ticket=ticket, started=started)


def end(request: HttpRequest, *, reason: str = "") -> ViewAs | None:
    """Stop viewing as a customer (audited); None when the session was not."""
    current = peek(request)
    stored = _stored(request)
    request.session.pop(SESSION_KEY, None)
    request.session.pop(CONFIRMATION_KEY, None)
    if stored is None:
        return None
    started = datetime.fromisoformat(stored["started"])
    audit.record(
        AuditCode.VIEW_AS_ENDED,
        actor=request.user if isinstance(request.user, User) else None,
        person=current.customer if current else None,
        target=account_target(current.contact.account) if current else "",
        detail="; ".join(part for part in (f"after {_minutes(started)}", reason) if part),
        client_address=audit.address_of(request),
    )
    return current


# Writes -------------------------------------------------------------------------


def writes(what: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Name what a POST view does, for the page on which staff viewing as a customer
    confirm it: ``@writes("Send a reply on ticket #{number}")`` (the URL's arguments
    fill the braces). Put it below ``customer_required``."""

    def mark(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        setattr(view, DESCRIPTION, what)
        return view

    return mark


def never_as_customer(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A POST staff viewing as a customer may not make even when they confirm it (the
    customer's password, their sign-in): put it below ``customer_required``."""
    setattr(view, NEVER, True)
    return view


def description(
    view: Callable[..., HttpResponse], request: HttpRequest, kwargs: dict, *, shown: bool = False
) -> str:
    """What the view does, in English for the audit log and the ticket's history, or
    ``shown`` to the staff member in the page's language (``writes`` takes the text
    marked with ``gettext_noop``)."""
    what = getattr(view, DESCRIPTION, "")
    if not what:
        return (_("Send this form to {path}") if shown else "Send this form to {path}").format(
            path=request.path
        )
    try:
        return (_(what) if shown else what).format(**kwargs)
    except (KeyError, IndexError, ValueError):
        return what


def guarded_write(
    request: HttpRequest,
    current: ViewAs,
    view: Callable[..., HttpResponse],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> HttpResponse:
    """A portal POST of staff viewing as a customer: asked to confirm first; once
    confirmed, done as the customer and recorded under the staff member's name."""
    what, said = description(view, request, kwargs), description(view, request, kwargs, shown=True)
    if getattr(view, NEVER, False):
        return _page(request, current, said, status=403, never=True)
    shown = request.session.pop(CONFIRMATION_KEY, None)
    posted = request.POST.get(CONFIRMATION_FIELD, "")
    if not (shown and posted and constant_time_compare(shown, posted)):
        return _page(request, current, said)
    if request.POST.get(CONFIRMED_FIELD) != "yes":
        return _page(request, current, said, unticked=True)
    try:
        # One transaction: the customer's change, the audit entry and the history
        # lines commit together, or none of them does.
        with stored_files.atomic():
            response = view(request, *args, **kwargs)
            if response.status_code < 400:
                _record(request, current, what, _tickets_touched(kwargs, response))
    except PermissionDenied:
        return _page(request, current, said, status=403, out_of_sight=True)
    return response


def _page(
    request: HttpRequest, current: ViewAs, what: str, *, status: int = 403, **flags: bool
) -> HttpResponse:
    confirmation = secrets.token_urlsafe(24)
    request.session[CONFIRMATION_KEY] = confirmation
    skipped = {"csrfmiddlewaretoken", CONFIRMATION_FIELD, CONFIRMED_FIELD}
    fields = [
        (name, value)
        for name in request.POST
        if name not in skipped
        for value in request.POST.getlist(name)
    ]
    files = [
        (name, [upload.name for upload in request.FILES.getlist(name)]) for name in request.FILES
    ]
    context = {
        "viewing": current,
        "what": what,
        "fields": fields,
        "filled": [(name, value) for name, value in fields if value.strip()],
        "files": files,
        "confirmation": confirmation,
        "action": request.get_full_path(),
        **flags,
    }
    if not request.headers.get("HX-Request"):
        return render(request, "portal/view_as_confirm.html", context, status=status)
    # htmx swaps no 4xx answer: the page goes in place of the main content instead.
    response = render(request, "portal/view_as_confirm.html#confirm", context)
    response["HX-Retarget"] = "#main"
    response["HX-Reswap"] = "innerHTML"
    return response


def _tickets_touched(kwargs: dict[str, Any], response: HttpResponse) -> list[int]:
    """The ticket of the URL, else the portal ticket page the view sent the customer to
    (a new ticket's)."""
    if isinstance(kwargs.get("number"), int):
        return [kwargs["number"]]
    location = response.get("HX-Redirect") or response.get("Location") or ""
    path = urlsplit(location).path
    if not path.startswith("/portal/"):
        return []
    try:
        number = resolve(path).kwargs.get("number")
    except Resolver404:
        return []
    return [number] if isinstance(number, int) else []


def _record(request: HttpRequest, current: ViewAs, what: str, numbers: list[int]) -> None:
    audit.record(
        AuditCode.VIEW_AS_ACTED,
        actor=current.staff,
        person=current.customer,
        target=account_target(current.contact.account),
        detail=what + "".join(f" (ticket #{number})" for number in numbers),
        client_address=audit.address_of(request),
    )
    for number in numbers:
        actions.record_view_as(
            actor=current.staff, ticket=number, customer=current.contact.email, did=what
        )


def portal_page_of(ticket: int | None) -> str:
    """The portal's page of the ticket when the portal has one, else its home."""
    if ticket is not None:
        try:
            return reverse("portal:ticket", kwargs={"number": ticket})
        except NoReverseMatch:
            pass
    return reverse("portal:home")


@receiver(user_logged_out, dispatch_uid="portal.end_view_as_on_sign_out")
def end_on_sign_out(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    # Signing out (or the idle timeout) ends it too, and the audit log says so.
    if request is not None and hasattr(request, "session") and SESSION_KEY in request.session:
        end(request, reason="signed out")
