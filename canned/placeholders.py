"""Placeholders in canned replies and macros: ``{{ customer.name }}`` and a few more.

Filled by this module, never by Django's template engine: a reply is text staff
typed, and the engine would run whatever tags it holds. One pass over the text
replaces each known placeholder by its value as plain text (one line, without
control characters), so a customer named ``{{ agent.name }}`` or ``<b>`` stays
just that. An unknown placeholder is left as it was typed and named in
``Filled.unknown``, for the person to see before the text goes out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import Contact, User
from frontdesk.text import one_line
from tickets.models import Ticket

#: ``{{ name.part }}`` with optional spaces inside the braces; nothing else is syntax.
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}")


@dataclass
class Context:
    """What the placeholders may name: one ticket, its customer and the person answering."""

    ticket: Ticket
    agent: User
    _contact: Contact | None = None
    _looked_up: bool = False

    def contact(self) -> Contact | None:
        if not self._looked_up:
            email = self.ticket.requester_email
            self._contact = Contact.objects.filter(email__same=email).first()
            self._looked_up = True
        return self._contact

    def customer_name(self) -> str:
        contact = self.contact()
        # Without a name on record, the address is what we know the customer by.
        return contact.name if contact and contact.name.strip() else self.ticket.requester_email

    def customer_first_name(self) -> str:
        contact = self.contact()
        if contact and contact.name.strip():
            return contact.name.split()[0]
        return self.ticket.requester_email

    def agent_name(self) -> str:
        staff = self.agent.staff
        return staff.display_name if staff is not None else self.agent.get_full_name()


#: Every placeholder, what it means (shown on the forms) and how it is filled.
PLACEHOLDERS: dict[str, tuple[Any, Callable[[Context], Any]]] = {
    "customer.name": (
        _("the customer's name (their address if none is known)"),
        Context.customer_name,
    ),
    "customer.first_name": (
        _("the first word of the customer's name"),
        Context.customer_first_name,
    ),
    "customer.email": (_("the customer's e-mail address"), lambda c: c.ticket.requester_email),
    "customer.account": (
        _("the customer's account"),
        lambda c: c.ticket.account.name if c.ticket.account else "",
    ),
    "ticket.number": (_("the ticket number, such as 1042"), lambda c: c.ticket.number),
    "ticket.title": (_("the ticket's title"), lambda c: c.ticket.title),
    "ticket.queue": (_("the ticket's queue"), lambda c: c.ticket.queue.name),
    "agent.name": (_("your name"), Context.agent_name),
    "agent.email": (_("your e-mail address"), lambda c: c.agent.email),
}


@dataclass
class Filled:
    text: str
    #: Placeholders the text names that do not exist, as typed, each once.
    unknown: list[str] = field(default_factory=list)


def fill(text: str, *, ticket: Ticket, agent: User) -> Filled:
    """The text with each known placeholder replaced by its value for this ticket."""
    context = Context(ticket=ticket, agent=agent)
    unknown: list[str] = []

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        known = PLACEHOLDERS.get(name)
        if known is None:
            if match.group() not in unknown:
                unknown.append(match.group())
            return match.group()
        return one_line(str(known[1](context)))

    return Filled(text=PLACEHOLDER.sub(value, text), unknown=unknown)


def unknown_in(text: str) -> list[str]:
    """The placeholders of a text that do not exist (for the forms that save one)."""
    found: list[str] = []
    for match in PLACEHOLDER.finditer(text):
        if match.group(1) not in PLACEHOLDERS and match.group() not in found:
            found.append(match.group())
    return found
