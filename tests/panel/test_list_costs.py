"""What bounds the panel's lists at scale (bench/http.py measures them at a million
tickets): each page costs the same queries however many rows its list holds, counts
stop at a cap, and the statistics still add up to a count made by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from tests.conftest import SETUP
from tests.panel.helpers import open_tickets, queries_for
from tickets import actions, queries
from tickets.models import Status

#: Every page that shows a list of tickets, and who may open it.
LIST_PAGES = {
    "home": ("/panel/", {"agent", "supervisor", "admin"}),
    "mine": ("/panel/tickets/mine/", {"agent", "supervisor", "admin"}),
    "mine by title": ("/panel/tickets/mine/?sort=title", {"agent", "supervisor", "admin"}),
    "unassigned": ("/panel/tickets/unassigned/", {"supervisor", "admin"}),
    "unassigned by title": ("/panel/tickets/unassigned/?sort=title", {"supervisor", "admin"}),
    "unassigned by status, descending": (
        "/panel/tickets/unassigned/?sort=-status",
        {"supervisor", "admin"},
    ),
    "received this month": ("/panel/tickets/received/month/", {"agent", "supervisor", "admin"}),
    "received this week by priority": (
        "/panel/tickets/received/week/?sort=-priority",
        {"agent", "supervisor", "admin"},
    ),
    "received today": ("/panel/tickets/received/today/", {"agent", "supervisor", "admin"}),
    "queues": ("/panel/queues/", {"agent", "supervisor", "admin"}),
}
CASES = [(page, person) for page, (_url, people) in LIST_PAGES.items() for person in sorted(people)]


def fill(world, person, count: int) -> None:
    """``count`` tickets in each place a person's lists read from: their own, unassigned
    in their queues and in the default queue, and others' they may or may not see."""
    open_tickets(count, world.billing, assignee=person)
    open_tickets(count, world.billing)
    open_tickets(count, world.support)
    open_tickets(count, world.sales, assignee=world.other_agent)


@pytest.mark.parametrize(("page", "person"), CASES, ids=[f"{p}-{w}" for p, w in CASES])
def test_every_list_page_costs_the_same_queries_for_3_and_30_tickets(world, as_user, page, person):
    user = getattr(world, person)
    client = as_user(user)
    url = LIST_PAGES[page][0]
    fill(world, user, 3)
    few = queries_for(client, url)
    fill(world, user, 27)
    assert queries_for(client, url) == few


@pytest.mark.parametrize("sort", ["title", "-priority", "-created"])
def test_a_deep_page_costs_the_same_queries_for_60_and_120_tickets(world, as_user, sort):
    client = as_user(world.supervisor)
    url = f"/panel/tickets/unassigned/?sort={sort}"
    open_tickets(60, world.billing)
    first, deep = queries_for(client, url), queries_for(client, f"{url}&page=3")
    open_tickets(60, world.billing)
    assert queries_for(client, f"{url}&page=3") == deep
    # Beyond the first page, its numbers are found before its rows are read.
    assert deep == first + 1


def test_the_ticket_page_costs_the_same_queries_for_3_and_30_messages(world, as_user):
    ticket = world.ticket(world.billing)
    client = as_user(world.supervisor)
    url = f"/panel/tickets/{ticket.number}/"

    def grow(count: int) -> None:
        for index in range(count):
            actions.customer_reply(actor=SETUP, ticket=ticket, text=f"More {index}")
            actions.answer(actor=world.supervisor, ticket=ticket, text=f"Answer {index}")

    grow(1)
    few = queries_for(client, url)
    grow(14)
    assert queries_for(client, url) == few


def test_a_list_beyond_the_cap_says_so_and_still_pages_on(world, as_user, monkeypatch):
    monkeypatch.setattr(queries, "COUNT_CAP", 4)
    open_tickets(30, world.support)
    client = as_user(world.admin)
    page = client.get("/panel/tickets/unassigned/").content.decode()
    assert '<span class="count">(4+)</span>' in page
    # The count stopped, so the pages are not counted either; the next one is there.
    assert "<span>Page 1</span>" in page
    assert 'rel="next"' in page
    home = client.get("/panel/").content.decode()
    assert 'id="stat-unassigned">4+<' in home


def test_a_list_under_the_cap_counts_exactly_and_stops_at_its_last_page(world, as_user):
    open_tickets(30, world.support)
    client = as_user(world.admin)
    last = client.get("/panel/tickets/unassigned/?page=2").content.decode()
    assert '<span class="count">(30)</span>' in last
    assert "Page 2 of 2" in last
    assert 'rel="next"' not in last
    beyond = client.get("/panel/tickets/unassigned/?page=3").content.decode()
    assert "No unassigned tickets." in beyond
    assert 'rel="prev"' in beyond


@pytest.mark.parametrize("page", ["x", "-1", "0", "99999999999"])
def test_a_page_number_that_is_no_page_shows_the_first(world, as_user, page):
    tickets = open_tickets(2, world.support)
    response = as_user(world.admin).get(f"/panel/tickets/unassigned/?page={page}")
    assert response.status_code == 200
    shown = response.content.decode()
    assert all(f'id="row-unassigned-{ticket.number}"' in shown for ticket in tickets)


# Statistics against a count made by hand --------------------------------------------

# A Wednesday: the week began on Monday the 10th, the month on the 1st.
NOW = datetime(2025, 3, 12, 15, 0, tzinfo=UTC)
MOMENTS = {
    "last month": datetime(2025, 2, 27, 9, 0, tzinfo=UTC),
    "this month": datetime(2025, 3, 3, 9, 0, tzinfo=UTC),
    "monday": datetime(2025, 3, 10, 0, 0, tzinfo=UTC),
    "yesterday": datetime(2025, 3, 11, 23, 59, tzinfo=UTC),
    "today": datetime(2025, 3, 12, 0, 0, tzinfo=UTC),
}
PERIOD_STARTS = {
    "month": datetime(2025, 3, 1, tzinfo=UTC),
    "week": datetime(2025, 3, 10, tzinfo=UTC),
    "yesterday": datetime(2025, 3, 11, tzinfo=UTC),
    "today": datetime(2025, 3, 12, tzinfo=UTC),
}


def in_period(moment: datetime, period: str) -> bool:
    if period == "yesterday":
        return PERIOD_STARTS["yesterday"] <= moment < PERIOD_STARTS["today"]
    return moment >= PERIOD_STARTS[period]


@pytest.fixture
def desk(world):
    """A ticket in each queue at each moment, unassigned or assigned to each of three
    people, some of them closed: (moment, queue, assignee, closed) of each."""
    made: list[tuple[datetime, object, object, bool]] = []
    people = [None, world.agent, world.supervisor, world.other_supervisor]
    for moment_name, moment in MOMENTS.items():
        for queue in (world.support, world.billing, world.sales):
            for index, assignee in enumerate(people):
                with time_machine.travel(moment, tick=False):
                    ticket = world.ticket(queue, title=f"{moment_name} {queue} {index}")
                    if assignee is not None:
                        actions.assign(actor=SETUP, ticket=ticket, assignee=assignee)
                    closed = (index + len(made)) % 3 == 0
                    if closed:
                        actions.close(actor=SETUP, ticket=ticket)
                made.append((moment, queue, assignee, closed))
    return made


def sees(world, person, queue, assignee) -> bool:
    """S2 by hand for the shared world's staff."""
    if person == world.admin:
        return True
    if person == world.agent:
        return assignee == world.agent
    entitled = {world.support, world.billing} if person == world.supervisor else set()
    return queue in entitled or assignee == person


@pytest.mark.parametrize("person", ["agent", "supervisor", "admin"])
def test_the_statistics_equal_a_count_made_by_hand(world, desk, person):
    user = getattr(world, person)
    with time_machine.travel(NOW, tick=False):
        counts = queries.statistics(user)
    by_hand = {
        period: sum(
            1
            for moment, queue, assignee, _closed in desk
            if in_period(moment, period) and sees(world, user, queue, assignee)
        )
        for period in PERIOD_STARTS
    }
    by_hand["unassigned"] = sum(
        1
        for _moment, queue, assignee, closed in desk
        if assignee is None and not closed and sees(world, user, queue, assignee)
    )
    assert counts == by_hand
    assert counts["month"] > counts["week"] > counts["yesterday"] > 0


def test_the_statistics_follow_a_ticket_moved_out_of_a_supervisors_queues(world, desk):
    with time_machine.travel(NOW, tick=False):
        before = queries.statistics(world.supervisor)
        ticket = world.ticket(world.billing)
        after_opening = queries.statistics(world.supervisor)
        actions.move(actor=world.admin, ticket=ticket, queue=world.sales)
        after_moving = queries.statistics(world.supervisor)
        actions.assign(actor=world.admin, ticket=ticket, assignee=world.supervisor)
        after_assigning = queries.statistics(world.supervisor)
    assert after_opening["today"] == before["today"] + 1
    assert after_opening["unassigned"] == before["unassigned"] + 1
    assert after_moving == before
    # Assigned to them in a queue not theirs: seen again, as received, not unassigned.
    assert after_assigning["today"] == before["today"] + 1
    assert after_assigning["unassigned"] == before["unassigned"]
    assert ticket.status == Status.NEW
