"""Times as people read them, and status and priority as labels (the agent's daily work)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import Context, Template
from django.utils import timezone

from accounts import preferences
from panel.templatetags.panel import priority_band, relative_words
from tests.conftest import SETUP, set_helpdesk
from tests.panel.helpers import open_tickets, rendered_form
from tickets import actions
from tickets.models import HelpdeskSettings, Status

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def render(source: str, **context) -> str:
    return Template("{% load panel %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("before", "words"),
    [
        (timedelta(seconds=0), "just now"),
        (timedelta(seconds=59), "just now"),
        (timedelta(seconds=60), "1 min ago"),
        (timedelta(minutes=59, seconds=59), "59 min ago"),
        (timedelta(hours=1), "1 h ago"),
        (timedelta(hours=23, minutes=59), "23 h ago"),
        (timedelta(days=1), "1 day ago"),
        (timedelta(days=2, hours=23), "2 days ago"),
        (timedelta(days=29, hours=23), "29 days ago"),
        # From thirty days on, the date says more than a count.
        (timedelta(days=30), "2026-10-31"),
        # A clock a few seconds ahead is no future; a time to come is shown as it is.
        (timedelta(seconds=-30), "just now"),
        (timedelta(minutes=-90), "2026-11-30 13:30"),
    ],
)
def test_relative_times_at_their_boundaries(before, words):
    with timezone.override(ZoneInfo("UTC")):
        assert relative_words(NOW - before, now=NOW) == words


def test_a_relative_time_carries_the_exact_time_in_the_readers_zone():
    with time_machine.travel(NOW, tick=False), timezone.override(ZoneInfo("Asia/Tokyo")):
        html = render("{{ at|ago }}", at=NOW - timedelta(hours=3))
    assert html == (
        '<time datetime="2026-11-30T18:00:00+09:00" title="2026-11-30 18:00 JST">3 h ago</time>'
    )


@pytest.mark.parametrize(
    ("before", "words"),
    [
        (timedelta(seconds=20), "waiting since just now"),
        (timedelta(minutes=5), "waiting 5 min"),
        (timedelta(hours=3, minutes=59), "waiting 3 h"),
        (timedelta(days=1), "waiting 1 day"),
        (timedelta(days=45), "waiting 45 days"),
    ],
)
def test_waiting_says_how_long(before, words):
    with time_machine.travel(NOW, tick=False):
        html = render("{{ since|waiting }}", since=NOW - before)
    assert re.fullmatch(rf'<time datetime="[^"]+" title="[^"]+">{words}</time>', html), html


def test_nothing_is_no_time():
    assert render("{{ at|ago }}{{ at|waiting }}", at=None) == ""


@pytest.mark.parametrize(
    ("priority", "band"),
    [
        (1, "low"),
        (25, "low"),
        (26, "normal"),
        (74, "normal"),
        (75, "high"),
        (86, "high"),
        (87, "urgent"),
        (99, "urgent"),
    ],
)
def test_priority_bands_follow_the_settings_levels(priority, band):
    assert priority_band(priority, HelpdeskSettings()) == band


def test_priority_bands_move_with_the_settings(db):
    set_helpdesk(priority_low=10, priority_normal=40, priority_high=60)
    assert [priority_band(p) for p in (10, 11, 59, 60, 79, 80)] == [
        "low",
        "normal",
        "normal",
        "high",
        "high",
        "urgent",
    ]


def test_a_priority_label_keeps_its_number_and_names_its_band():
    html = render("{{ p|priority_label }}", p=90)
    assert html == '<span class="label priority-urgent">90 <span class="band">urgent</span></span>'


@pytest.mark.parametrize("status", Status.values)
def test_a_status_pill_has_the_statuses_colour_and_words(status):
    html = render("{{ s|status_pill }}", s=status)
    words = dict(Status.choices)[status]
    assert html == f'<span class="label status-{status}">{words}</span>'


def test_lists_show_labels_relative_times_and_the_unanswered_marker(world, as_user):
    waiting, answered = open_tickets(2, world.billing, assignee=world.supervisor)
    actions.change(actor=SETUP, ticket=waiting, priority=90)
    actions.answer(actor=world.supervisor, ticket=answered, text="Done.")
    actions.reopen(actor=SETUP, ticket=answered)
    page = as_user(world.supervisor).get("/panel/tickets/mine/").content.decode()
    row = page[page.index(f'id="row-mine-{waiting.number}"') :]
    row = row[: row.index("</tr>")]
    assert 'class="unanswered"' in page[page.index(f'id="row-mine-{waiting.number}"') - 5 :][:60]
    assert '<span class="visually-hidden"> (unanswered)</span>' in row
    assert '<span class="label priority-urgent">90 <span class="band">urgent</span></span>' in row
    assert re.search(r'<span class="label status-\w+">\w+</span>', row)
    assert re.search(r'<time datetime="[^"]+" title="[^"]+">just now</time>', row)
    other = page[page.index(f'id="row-mine-{answered.number}"') :]
    other = other[: other.index("</tr>")]
    assert "(unanswered)" not in other
    assert f'id="row-mine-{answered.number}">' in page


def test_the_search_results_show_the_same_labels(world, as_user):
    open_tickets(1, world.billing, title="Labelled")
    page = as_user(world.supervisor).get("/panel/search/?q=Labelled").content.decode()
    assert '<span class="label status-new">New</span>' in page
    assert 'class="label priority-low">1 <span class="band">low</span>' in page


def test_times_are_shown_in_the_persons_own_zone_else_the_desks(world, as_user, settings):
    settings.TIME_ZONE = "UTC"
    with time_machine.travel(NOW, tick=False):
        ticket = world.ticket(world.billing)
        actions.assign(actor=SETUP, ticket=ticket, assignee=world.supervisor)
    client = as_user(world.supervisor)
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        desk = client.get(f"/panel/tickets/{ticket.number}/").content.decode()
        preferences.save(user=world.supervisor, language="", time_zone="Asia/Tokyo")
        own = client.get(f"/panel/tickets/{ticket.number}/").content.decode()
    created = '<dd id="fact-created"><time datetime="2026-11-30T{}" title="2026-11-30 {}">2 h ago'
    assert created.format("12:00:00+00:00", "12:00 UTC") in desk
    assert created.format("21:00:00+09:00", "21:00 JST") in own


def test_a_person_chooses_their_time_zone_on_my_profile(world, as_user):
    client = as_user(world.agent)
    page = client.get("/panel/profile/").content.decode()
    fields = {**rendered_form(page, "reading-form"), "time_zone": "Europe/Berlin"}
    response = client.post("/panel/profile/reading/", fields)
    assert response.status_code == 302
    world.agent.refresh_from_db()
    assert world.agent.time_zone == "Europe/Berlin"
    page = client.get("/panel/profile/").content.decode()
    assert '<option value="Europe/Berlin" selected>' in page


def test_an_unknown_time_zone_is_refused(world, as_user):
    client = as_user(world.agent)
    page = client.get("/panel/profile/").content.decode()
    fields = {**rendered_form(page, "reading-form"), "time_zone": "Mars/Olympus"}
    client.post("/panel/profile/reading/", fields)
    world.agent.refresh_from_db()
    assert world.agent.time_zone == ""
