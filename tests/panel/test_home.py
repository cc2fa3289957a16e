from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import SETUP
from tests.panel.helpers import open_tickets, queries_for, unlabelled_controls
from tickets import actions
from tickets import queries as lists

# A Wednesday: the week began on Monday the 10th, the month on the 1st.
NOW = datetime(2025, 3, 12, 15, 0, tzinfo=UTC)


@pytest.fixture
def received_over_time(world):
    """Tickets in the support queue received at known moments before NOW."""
    moments = {
        "last month": datetime(2025, 2, 27, 9, 0, tzinfo=UTC),
        "this month, last week": datetime(2025, 3, 3, 9, 0, tzinfo=UTC),
        "this week, Monday": datetime(2025, 3, 10, 9, 0, tzinfo=UTC),
        "yesterday": datetime(2025, 3, 11, 23, 59, tzinfo=UTC),
        "today": datetime(2025, 3, 12, 0, 0, tzinfo=UTC),
        "today, later": datetime(2025, 3, 12, 14, 0, tzinfo=UTC),
    }
    tickets = {}
    for name, moment in moments.items():
        with time_machine.travel(moment, tick=False):
            tickets[name] = world.ticket(title=name)
    actions.assign(actor=SETUP, ticket=tickets["today, later"], assignee=world.supervisor)
    return tickets


def test_statistics_count_this_month_this_week_yesterday_today_and_unassigned(
    world, received_over_time
):
    with time_machine.travel(NOW, tick=False):
        counts = lists.statistics(world.admin)
    assert counts == {"month": 5, "week": 4, "yesterday": 1, "today": 2, "unassigned": 5}


def test_statistics_are_one_counting_query_whatever_the_number_of_tickets(world):
    open_tickets(30, world.support)
    assert world.supervisor.staff is not None  # loads the profile outside the count
    with CaptureQueriesContext(connection) as context:
        lists.statistics(world.supervisor)
    [query] = context.captured_queries
    assert query["sql"].upper().startswith("SELECT (SELECT COUNT(*)")


def test_statistics_count_only_tickets_the_person_may_see(world, received_over_time):
    open_tickets(3, world.sales)
    with time_machine.travel(NOW, tick=False):
        assert lists.statistics(world.supervisor)["today"] == 2
        assert lists.statistics(world.other_supervisor)["today"] == 5
        assert lists.statistics(world.agent) == {
            "month": 0,
            "week": 0,
            "yesterday": 0,
            "today": 0,
            "unassigned": 0,
        }


def test_each_statistic_links_to_its_list(world, as_user, received_over_time):
    client = as_user(world.admin)
    with time_machine.travel(NOW, tick=False):
        page = client.get("/panel/").content.decode()
        for period in ("month", "week", "yesterday", "today"):
            assert f'href="/panel/tickets/received/{period}/" id="stat-{period}"' in page
        assert 'href="/panel/tickets/unassigned/" id="stat-unassigned">5<' in page
        yesterday = client.get("/panel/tickets/received/yesterday/").content.decode()
    assert ">yesterday</a>" in yesterday
    assert ">today</a>" not in yesterday


def test_an_unknown_period_is_not_found(world, as_user):
    assert as_user(world.admin).get("/panel/tickets/received/decade/").status_code == 404


def test_the_toolbar_offers_every_staff_page_and_settings_only_to_admins(world, as_user):
    page = as_user(world.supervisor).get("/panel/").content.decode()
    for label in ("Search", "Make a Ticket", "Knowledge Base", "Queues", "My Profile", "Sign out"):
        assert label in page
    assert 'id="nav-settings"' not in page
    assert 'id="nav-settings"' in as_user(world.admin).get("/panel/").content.decode()


def test_the_knowledge_base_link_leads_to_the_articles(world, as_user):
    page = as_user(world.agent).get("/panel/kb/").content.decode()
    assert 'id="kb-articles"' in page


def test_a_supervisor_sees_both_lists_and_an_agent_only_their_own(world, as_user):
    page = as_user(world.supervisor).get("/panel/").content.decode()
    assert "My highest-priority assigned tickets" in page
    assert "Newest unassigned tickets" in page
    page = as_user(world.agent).get("/panel/").content.decode()
    assert "My highest-priority assigned tickets" in page
    assert "Newest unassigned tickets" not in page


def test_every_control_on_the_home_page_is_labelled(world, as_user):
    open_tickets(3, world.support)
    open_tickets(2, world.support, assignee=world.supervisor)
    page = as_user(world.supervisor).get("/panel/").content.decode()
    assert unlabelled_controls(page) == []


@pytest.mark.parametrize("person", ["agent", "supervisor", "admin"])
def test_the_home_page_costs_the_same_queries_for_10_and_200_tickets(world, as_user, person):
    user = getattr(world, person)
    client = as_user(user)
    open_tickets(5, world.billing, assignee=user)
    open_tickets(5, world.support)
    few = queries_for(client, "/panel/")
    open_tickets(95, world.billing, assignee=user)
    open_tickets(95, world.support)
    many = queries_for(client, "/panel/")
    # An administrator's pages also ask whether a mailbox keeps failing, whether
    # mail waits for them (held by the new-ticket limit, kept as a loop) and
    # whether the periodic jobs run and the processes stay up; every person's,
    # which of their drafts are unsent, and whether they have two-factor sign-in
    # and their role requires it (the settings row, which queries_for reads
    # afresh); a supervisor's and an administrator's, the queues a mass move may
    # go to. The statistics are one query (counting the unassigned table's tickets
    # too); each table is its first page, and "mine" its capped count. The
    # statistics' sparklines are one query of the reports' roll-ups. The toolbar's
    # bell counts the person's unread notifications (one query); an administrator's
    # also asks whether sending mail has failed for minutes (the outbox banner).
    # Every full page reads the person's theme (panel/appearance.py).
    assert few == many == {"agent": 12, "supervisor": 15, "admin": 21}[person]
