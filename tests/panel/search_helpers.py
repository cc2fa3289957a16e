"""Tools the tests of searching and saved views share."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import time_machine

from accounts.actors import MAIL_GATEWAY
from tests.conftest import SETUP, set_helpdesk
from tickets import actions
from tickets.models import Queue, Ticket, TicketType


def opened(queue: Queue, title: str, **extra: Any) -> Ticket:
    """A ticket from the mail gateway (tests/conftest.py indexes it at once)."""
    return actions.open_ticket(
        actor=MAIL_GATEWAY,
        title=title,
        requester_email=extra.pop("requester_email", "alice@a.example"),
        text=extra.pop("text", "Please help."),
        type=extra.pop("type", TicketType.EMAIL),
        queue=queue,
        **extra,
    )


def rows(page: str, key: str) -> list[int]:
    """The ticket numbers of a results table, in the order shown."""
    return [int(number) for number in re.findall(rf'id="row-{key}-(\d+)"', page)]


# A hand-made desk ---------------------------------------------------------------------

#: Who sees which ticket of ``desk`` (tests/conftest.py: the supervisor and the agent
#: are entitled to billing, the other supervisor to sales; support is the default queue).
SEEN_BY = {
    "admin": {"invoice", "refund", "outage", "quote", "old_quote", "password"},
    "supervisor": {"invoice", "refund", "outage", "password"},
    "other_supervisor": {"outage", "quote", "old_quote", "password"},
    "agent": {"refund"},
    "other_agent": set(),
}
#: The working tickets (closed ones are found only when asked for).
WORKING = {"invoice", "refund", "outage", "quote", "password"}


def make_desk(world: Any) -> dict[str, Ticket]:
    """Six tickets whose every searchable property is known (UTC times; the help desk's
    time zone is UTC in the tests):

    ========== ======= ====== ============ ===== ======== ======== ====== ========
    name       queue   status assignee     prio  type     answered sticky created
    ========== ======= ====== ============ ===== ======== ======== ====== ========
    invoice    billing new    nobody       70    email    no       no     01-10
    refund     billing open   agent        40    portal   yes      yes    02-03
    outage     support hold   nobody       90    staff    no       no     02-20
    quote      sales   new    nobody       20    api      no       no     03-01
    old_quote  sales   closed nobody       50    email    no       no     2024-12-24
    password   support open   supervisor   60    system   yes      no     03-05
    ========== ======= ====== ============ ===== ======== ======== ====== ========

    All in 2025. The outage was last modified on 03-10, every other ticket the day it
    came. Requesters: ann@acme.example (account A) for invoice and refund (refund
    copies cfo@acme.example), bob@b.example (account B) for outage,
    carl@other.example (no account) for the quotes, alice@a.example (a contact of
    account A) for password.
    """
    set_helpdesk(auto_close_days=-1)  # an answer leaves the ticket open

    def at(month: int, day: int, year: int = 2025) -> Any:
        return time_machine.travel(datetime(year, month, day, 12, 0, tzinfo=UTC), tick=False)

    desk: dict[str, Ticket] = {}
    with at(1, 10):
        desk["invoice"] = opened(
            world.billing, "Invoice doubled", requester_email="ann@acme.example",
            account=world.account_a, priority=70, text="The invoice of January came twice.",
        )  # fmt: skip
    with at(2, 3):
        refund = opened(
            world.billing, "Refund for March", requester_email="ann@acme.example",
            account=world.account_a, priority=40, type=TicketType.PORTAL,
            cc=["cfo@acme.example"], text="Please refund the double payment.",
        )  # fmt: skip
        refund = actions.assign(actor=SETUP, ticket=refund, assignee=world.agent)
        actions.answer(actor=world.agent, ticket=refund, text="The refund is on its way.")
        desk["refund"] = actions.change(actor=SETUP, ticket=refund, is_sticky=True)
    with at(2, 20):
        desk["outage"] = opened(
            world.support, "Server down", requester_email="bob@b.example",
            account=world.account_b, priority=90, type=TicketType.STAFF,
            text="Nothing answers since this morning.",
        )  # fmt: skip
    with at(3, 10):
        desk["outage"] = actions.change(actor=SETUP, ticket=desk["outage"], status="on_hold")
    with at(3, 1):
        desk["quote"] = opened(
            world.sales, "Quote request", requester_email="carl@other.example", account=None,
            priority=20, type=TicketType.API, text="What would forty seats cost?",
        )  # fmt: skip
    with at(12, 24, 2024):
        old = opened(
            world.sales, "Old quote", requester_email="carl@other.example", account=None,
            priority=50, text="Last year's prices, please.",
        )  # fmt: skip
        desk["old_quote"] = actions.close(actor=SETUP, ticket=old)
    with at(3, 5):
        password = opened(
            world.support, "Password reset", requester_email="alice@a.example",
            priority=60, type=TicketType.SYSTEM, text="I forgot my password.",
        )  # fmt: skip
        password = actions.assign(actor=SETUP, ticket=password, assignee=world.supervisor)
        actions.answer(actor=world.supervisor, ticket=password, text="Here is a reset link.")
        desk["password"] = Ticket.objects.get(pk=password.pk)
    return {name: Ticket.objects.get(pk=ticket.pk) for name, ticket in desk.items()}


def names(desk: dict[str, Ticket], numbers: list[int]) -> set[str]:
    by_number = {ticket.number: name for name, ticket in desk.items()}
    return {by_number[number] for number in numbers}
