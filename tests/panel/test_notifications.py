"""The bell, the notification list and the notification settings of the panel (S41)."""

from __future__ import annotations

import re
from typing import cast

from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import api
from notifications.models import Notification
from tests.conftest import SETUP
from tests.panel.helpers import rendered_form
from tickets import actions


def assigned_to_agent(world):
    ticket = world.ticket(world.billing, title="Invoice twice")
    ticket = actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)
    api.tell(recipients=[world.agent], kind=api.ASSIGNED, ticket=ticket, actor=world.supervisor)
    return ticket


def bell(page: str) -> str:
    found = re.search(r'<a href="/panel/notifications/" id="nav-notifications".*?</a>', page)
    assert found, "no bell on the page"
    return found.group(0)


def test_the_bell_shows_the_unread_count_on_every_page(world, as_user):
    assigned_to_agent(world)
    page = as_user(world.agent).get("/panel/").content.decode()
    assert '<span class="count" id="unread-count">1</span>' in bell(page)


def test_the_bell_shows_no_count_when_all_is_read(world, as_user):
    page = as_user(world.supervisor).get("/panel/").content.decode()
    assert "unread-count" not in bell(page)


def test_the_bell_costs_one_count_query(world, as_user):
    assigned_to_agent(world)
    client = as_user(world.agent)
    client.get("/panel/")
    with CaptureQueriesContext(connection) as context:
        client.get("/panel/")
    counts = [q["sql"] for q in context.captured_queries if "notifications_" in q["sql"]]
    assert len(counts) == 1 and "COUNT(" in counts[0], counts


def test_the_list_shows_what_happened_with_a_link_to_the_ticket(world, as_user):
    ticket = assigned_to_agent(world)
    page = as_user(world.agent).get("/panel/notifications/").content.decode()
    name = world.supervisor.staff.display_name
    assert f"{name} assigned #{ticket.number} Invoice twice to you" in page
    assert "1 unread notification" in page
    assert f"Open #{ticket.number}" in page


def test_opening_a_notification_marks_it_read_and_goes_to_the_ticket(world, as_user):
    ticket = assigned_to_agent(world)
    notification = Notification.objects.get()
    client = as_user(world.agent)
    page = client.get("/panel/notifications/").content.decode()
    url = f"/panel/notifications/{notification.pk}/open/"
    assert f'action="{url}"' in page
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"/panel/tickets/{ticket.number}/"
    assert api.unread_count(world.agent) == 0


def test_mark_read_and_mark_all_read(world, as_user):
    assigned_to_agent(world)
    assigned_to_agent(world)
    first = Notification.objects.order_by("id").first()
    assert first is not None
    client = as_user(world.agent)
    response = client.post(f"/panel/notifications/{first.pk}/read/")
    assert response.status_code == 302
    assert api.unread_count(world.agent) == 1
    page = client.get("/panel/notifications/").content.decode()
    assert 'id="mark-all-read"' in page
    client.post("/panel/notifications/read/")
    assert api.unread_count(world.agent) == 0
    page = client.get("/panel/notifications/").content.decode()
    assert "0 unread notifications" in page and 'id="mark-all-read"' not in page


def test_nobody_marks_somebody_elses_notification(world, as_user):
    assigned_to_agent(world)
    notification = Notification.objects.get()
    client = as_user(world.supervisor)
    assert client.post(f"/panel/notifications/{notification.pk}/read/").status_code == 404
    assert client.post(f"/panel/notifications/{notification.pk}/open/").status_code == 404
    client.post("/panel/notifications/read/")
    assert api.unread_count(world.agent) == 1


def test_settings_on_the_profile_page_are_saved_as_shown(world, as_user):
    client = as_user(world.agent)
    page = client.get("/panel/profile/").content.decode()
    form = rendered_form(page, "notification-settings-form")
    # By default: every kind in the panel, none by mail.
    assert sorted(cast(list[str], form["panel_kinds"])) == sorted(api.Kind.values)
    assert "mail_kinds" not in form
    form["panel_kinds"] = [api.ASSIGNED]
    form["mail_kinds"] = [api.NOTE_ADDED, api.ANSWERED]
    response = client.post("/panel/profile/notifications/", form)
    assert response.status_code == 302
    wanted = api.preferences_of(world.agent)
    assert wanted.panel_kinds == {api.ASSIGNED}
    assert wanted.mail_kinds == {api.NOTE_ADDED, api.ANSWERED}
    shown = rendered_form(
        client.get("/panel/profile/").content.decode(), "notification-settings-form"
    )
    assert shown["panel_kinds"] == api.ASSIGNED
    assert sorted(cast(list[str], shown["mail_kinds"])) == [api.ANSWERED, api.NOTE_ADDED]


def test_a_kind_not_offered_is_refused(world, as_user):
    client = as_user(world.agent)
    response = client.post("/panel/profile/notifications/", {"panel_kinds": ["gossip"]})
    assert response.status_code == 302
    assert api.preferences_of(world.agent).panel_kinds == set(api.Kind.values)


def test_the_bell_alone_is_served_for_its_refresh(world, as_user):
    client = as_user(world.agent)
    assert "unread-count" not in client.get("/panel/notifications/bell/").content.decode()
    assigned_to_agent(world)
    refreshed = client.get("/panel/notifications/bell/").content.decode()
    assert refreshed.startswith('<a href="/panel/notifications/" id="nav-notifications"')
    assert '<span class="count" id="unread-count">1</span>' in refreshed
