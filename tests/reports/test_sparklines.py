"""The home page's statistics carry a sparkline per period, from the roll-ups, of what
the person sees."""

from __future__ import annotations

from datetime import timedelta

from reports import queries
from tests.reports.conftest import DAY3, at
from tickets import actions


def test_each_period_draws_its_days_of_the_person_s_tickets(world):
    with at(DAY3 - timedelta(days=1)):
        world.ticket(world.billing)
    with at(DAY3):
        mine = world.ticket(world.billing)
        world.ticket(world.sales)
        actions.assign(actor=world.supervisor, ticket=mine, assignee=world.agent)
    today = DAY3.date()  # a Wednesday, the 4th
    admin = queries.sparklines(world.admin, today)
    assert admin["month"] == [0, 0, 1, 2]
    assert admin["week"] == [0, 1, 2]
    assert admin["today"] == [0, 0, 0, 0, 0, 1, 2]
    assert admin["yesterday"] == [0, 0, 0, 0, 0, 0, 1]
    assert queries.sparklines(world.supervisor, today)["week"] == [0, 1, 1]
    assert queries.sparklines(world.agent, today)["week"] == [0, 0, 1]


def test_the_home_page_shows_them_beside_the_counts(world, client):
    world.ticket(world.billing)
    client.force_login(world.agent)
    page = client.get("/panel/").content.decode()
    assert page.count('class="sparkline"') == 4
    assert 'id="spark-today"' in page
