"""A small desk whose figures are counted by hand (see each ticket's comment)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sla.models import Calendar, Policy
from tests.conftest import World, set_helpdesk
from tests.reports.conftest import DAY1, DAY2, DAY3, at
from tickets import actions
from tickets.models import Ticket, TicketType

H = timedelta(hours=1)
M = timedelta(minutes=1)


@dataclass
class Desk:
    world: World
    t1: Ticket
    t2: Ticket
    t3: Ticket
    t4: Ticket
    t6: Ticket


def levels(world: World) -> Policy:
    """A service level for Billing, in office hours (UTC, Monday to Friday 09:00–17:00):
    first answer within 60 business minutes, the next within 60 after a customer's
    reply, resolved within 240. It moves none of the desk's other figures."""
    office = Calendar.objects.create(name="Office", time_zone="UTC")
    return Policy.objects.create(
        queue=world.billing,
        calendar=office,
        first_response_minutes=60,
        next_response_minutes=60,
        resolution_minutes=240,
    )


def build(world: World) -> Desk:
    set_helpdesk(auto_close_days=-1)
    # T1 billing, day 1: the agent answers in 10 min, it is closed 24 h after it came.
    with at(DAY1 + 9 * H):
        t1 = world.ticket(world.billing)
    with at(DAY1 + 9 * H + 5 * M):
        actions.assign(actor=world.supervisor, ticket=t1, assignee=world.agent)
    with at(DAY1 + 9 * H + 10 * M):
        actions.answer(actor=world.agent, ticket=t1, text="Try this.")
    # T2 billing by the portal, day 1: answered in 2 h, still open.
    with at(DAY1 + 10 * H):
        t2 = world.ticket(world.billing, type=TicketType.PORTAL)
    with at(DAY1 + 12 * H):
        actions.answer(actor=world.supervisor, ticket=t2, text="Looking.")
    # T6 billing, day 1: closed the same day, reopened on day 2: not closed.
    with at(DAY1 + 11 * H):
        t6 = world.ticket(world.billing)
    with at(DAY1 + 13 * H):
        actions.close(actor=world.supervisor, ticket=t6)
    with at(DAY2 + 8 * H):
        actions.reopen(actor=world.supervisor, ticket=t6)
    with at(DAY1 + 9 * H + 24 * H):
        actions.close(actor=world.agent, ticket=t1)
    # T3 support (the default queue), day 2: answered in 30 min, closed after 26 h.
    with at(DAY2 + 8 * H):
        t3 = world.ticket(world.support)
    with at(DAY2 + 8 * H + 30 * M):
        actions.answer(actor=world.admin, ticket=t3, text="Done?")
    with at(DAY3 + 10 * H):
        actions.close(actor=world.admin, ticket=t3)
    # T4 sales, day 3: nobody answered.
    with at(DAY3 + 11 * H):
        t4 = world.ticket(world.sales)
    # T5 support, day 3: deleted, counts nowhere.
    with at(DAY3 + 12 * H):
        t5 = world.ticket(world.support)
    with at(DAY3 + 13 * H):
        actions.delete_permanently(actor=world.admin, ticket=t5)
    return Desk(world, t1, t2, t3, t4, t6)
