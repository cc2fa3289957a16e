"""Saved views (S39): a search saved by a person for themselves or (supervisors) for the
team, in the navigation of every page with a live count, each viewer seeing their own
tickets; renamed, shared, reordered and deleted by whoever may."""

import re
import time
from importlib import import_module

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from panel import saved_views
from panel.models import SavedView
from tests.panel.helpers import queries_for, rendered_form
from tests.panel.search_helpers import SEEN_BY, WORKING, make_desk, names, opened, rows
from tickets.models import Queue


@pytest.fixture(autouse=True)
def _no_team_views_of_the_installation(db):
    # A fresh installation brings team views (test_the_installation_brings_team_views);
    # here every view is made by the test.
    SavedView.objects.all().delete()


@pytest.fixture
def desk(world):
    return make_desk(world)


def save(user, name, query, *, shared=False) -> SavedView:
    return saved_views.save_view(user=user, name=name, query=query, shared=shared)


def nav(client) -> str:
    response = client.get("/panel/views/nav/")
    assert response.status_code == 200
    return response.content.decode()


def nav_counts(client) -> dict[str, str]:
    """Name → count label of the views in the navigation, in order."""
    page = nav(client)
    return dict(
        re.findall(
            r'<span class="view-name">(.*?)</span>\s*<span class="view-count"[^>]*>([^<]*)<', page
        )
    )


def test_every_panel_page_loads_the_views_into_its_navigation(world, as_user):
    page = as_user(world.agent).get("/panel/").content.decode()
    assert 'hx-get="/panel/views/nav/" hx-trigger="load' in page
    # Without JavaScript the toolbar lists them.
    assert 'href="/panel/views/" id="nav-views"' in page


def test_the_advanced_search_saves_its_results_as_a_view_with_the_form_as_rendered(
    desk, world, as_user
):
    client = as_user(world.agent)
    page = client.get("/panel/search/advanced/?answered=yes").content.decode()
    form = {**rendered_form(page, "save-view"), "view-name": "Answered"}
    response = client.post("/panel/views/new/", form)
    view = SavedView.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/panel/views/{view.pk}/"
    assert (view.owner, view.name, view.query, view.shared) == (
        world.agent,
        "Answered",
        "answered=yes",
        False,
    )


def test_a_view_shows_what_its_search_shows_to_each_person(desk, world, as_user):
    view = save(world.supervisor, "Everything", "closed=1", shared=True)
    for role in ("admin", "supervisor", "other_supervisor", "agent", "other_agent"):
        client = as_user(getattr(world, role))
        shown = client.get(f"/panel/views/{view.pk}/").content.decode()
        searched = client.get("/panel/search/advanced/?closed=1").content.decode()
        assert names(desk, rows(shown, f"view-{view.pk}")) == SEEN_BY[role], role
        assert rows(shown, f"view-{view.pk}") == rows(searched, "advanced"), role


def test_a_shared_view_counts_each_viewers_own_tickets(desk, world, as_user):
    save(world.supervisor, "Working", "", shared=True)
    for role in ("admin", "supervisor", "agent", "other_agent"):
        counts = nav_counts(as_user(getattr(world, role)))
        assert counts == {"Working": str(len(SEEN_BY[role] & WORKING))}, role


def test_private_views_are_their_owners_alone(desk, world, as_user):
    mine = save(world.agent, "Mine", "assignee=me")
    assert nav_counts(as_user(world.agent)) == {"Mine": "1"}
    for other in (world.other_agent, world.supervisor, world.admin):
        client = as_user(other)
        assert "Mine" not in nav(client)
        assert "Mine" not in client.get("/panel/views/").content.decode()
        assert client.get(f"/panel/views/{mine.pk}/").status_code == 404
        assert client.post(f"/panel/views/{mine.pk}/delete/").status_code == 404
    assert SavedView.objects.filter(pk=mine.pk).exists()


def test_only_supervisors_and_administrators_share_views(world, as_user):
    with pytest.raises(PermissionDenied):
        save(world.agent, "For all", "", shared=True)
    # A forged checkbox: the agent's form has no such field, the view stays theirs.
    client = as_user(world.agent)
    response = client.post(
        "/panel/views/new/", {"view-name": "For all", "view-query": "", "view-shared": "on"}
    )
    assert response.status_code == 302
    assert SavedView.objects.get().shared is False
    team = client.get("/panel/views/")
    assert team.status_code == 200
    supervisor = as_user(world.supervisor)
    supervisor.post(
        "/panel/views/new/", {"view-name": "Team", "view-query": "", "view-shared": "on"}
    )
    assert SavedView.objects.get(name="Team").shared is True


def test_shared_views_are_changed_by_supervisors_and_administrators_only(world, as_user):
    view = save(world.supervisor, "Billing", f"queue={world.billing.pk}", shared=True)
    agent = as_user(world.agent)
    assert agent.get(f"/panel/views/{view.pk}/").status_code == 200
    for action in ("edit", "delete", "up", "down"):
        assert agent.post(f"/panel/views/{view.pk}/{action}/").status_code == 403, action
    other = as_user(world.other_supervisor)
    page = other.get(f"/panel/views/{view.pk}/edit/").content.decode()
    form = {**rendered_form(page, "view-form"), "name": "Billing desk"}
    assert other.post(f"/panel/views/{view.pk}/edit/", form).status_code == 302
    view.refresh_from_db()
    assert (view.name, view.shared) == ("Billing desk", True)
    assert as_user(world.admin).post(f"/panel/views/{view.pk}/delete/").status_code == 302
    assert not SavedView.objects.filter(pk=view.pk).exists()


def test_an_owner_renames_and_deletes_their_view(world, as_user):
    view = save(world.agent, "Mine", "")
    client = as_user(world.agent)
    page = client.get(f"/panel/views/{view.pk}/edit/").content.decode()
    assert 'name="shared"' not in page
    form = {**rendered_form(page, "view-form"), "name": "  Really mine "}
    assert client.post(f"/panel/views/{view.pk}/edit/", form).status_code == 302
    view.refresh_from_db()
    assert view.name == "Really mine"
    form["name"] = ""
    response = client.post(f"/panel/views/{view.pk}/edit/", form)
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert client.post(f"/panel/views/{view.pk}/delete/").status_code == 302
    assert not SavedView.objects.exists()


def test_a_supervisor_stops_sharing_a_view_which_becomes_its_owners(world, as_user):
    view = save(world.supervisor, "Team", "", shared=True)
    installed = SavedView.objects.create(name="Installed", query="", shared=True, position=2)
    client = as_user(world.other_supervisor)
    for each in (view, installed):
        page = client.get(f"/panel/views/{each.pk}/edit/").content.decode()
        form = rendered_form(page, "view-form")
        form.pop("shared", None)  # the box unticked
        assert client.post(f"/panel/views/{each.pk}/edit/", form).status_code == 302
    view.refresh_from_db()
    installed.refresh_from_db()
    assert (view.shared, view.owner) == (False, world.supervisor)
    # A view the installation made has nobody's name on it: it goes to who unshared it.
    assert (installed.shared, installed.owner) == (False, world.other_supervisor)


def order(client) -> list[str]:
    return list(nav_counts(client))


def test_views_are_ordered_team_first_and_moved_up_and_down(world, as_user):
    for name in ("One", "Two", "Three"):
        save(world.agent, name, "")
    save(world.supervisor, "Team A", "", shared=True)
    save(world.supervisor, "Team B", "", shared=True)
    agent = as_user(world.agent)
    assert order(agent) == ["Team A", "Team B", "One", "Two", "Three"]
    three = SavedView.objects.get(name="Three")
    assert agent.post(f"/panel/views/{three.pk}/up/").status_code == 302
    assert order(agent) == ["Team A", "Team B", "One", "Three", "Two"]
    agent.post(f"/panel/views/{three.pk}/up/")
    agent.post(f"/panel/views/{three.pk}/up/")  # already first of the agent's: stays
    assert order(agent) == ["Team A", "Team B", "Three", "One", "Two"]
    one = SavedView.objects.get(name="One")
    agent.post(f"/panel/views/{one.pk}/down/")
    assert order(agent) == ["Team A", "Team B", "Three", "Two", "One"]
    team_b = SavedView.objects.get(name="Team B")
    as_user(world.supervisor).post(f"/panel/views/{team_b.pk}/up/")
    assert order(as_user(world.agent)) == ["Team B", "Team A", "Three", "Two", "One"]
    # Another person's order is their own.
    save(world.other_agent, "Theirs", "")
    assert order(as_user(world.other_agent)) == ["Team B", "Team A", "Theirs"]


def test_the_management_page_offers_each_person_what_they_may_do(world, as_user):
    mine = save(world.agent, "Mine", "")
    team = save(world.supervisor, "Team", "", shared=True)
    page = as_user(world.agent).get("/panel/views/").content.decode()
    assert f'id="view-up-{mine.pk}"' in page and f'id="view-delete-{mine.pk}"' in page
    assert f'id="saved-view-{team.pk}"' in page
    assert f'id="view-delete-{team.pk}"' not in page
    page = as_user(world.supervisor).get("/panel/views/").content.decode()
    assert f'id="view-delete-{team.pk}"' in page


def test_the_navigation_counts_are_the_hand_counts_and_capped(desk, world, as_user, monkeypatch):
    save(world.admin, "Unanswered", "answered=no")
    save(world.admin, "Everything", "closed=1")
    save(world.admin, "Nothing", "text=zzzzzz")
    client = as_user(world.admin)
    assert nav_counts(client) == {"Unanswered": "3", "Everything": "6", "Nothing": "0"}
    monkeypatch.setattr(saved_views, "NAV_COUNT_CAP", 4)
    assert nav_counts(client) == {"Unanswered": "3", "Everything": "4+", "Nothing": "0"}


def test_a_view_whose_search_no_longer_reads_says_so(world, as_user):
    queue = Queue.objects.create(name="Gone")
    view = save(world.admin, "Gone queue", f"queue={queue.pk}")
    queue.delete()
    client = as_user(world.admin)
    assert nav_counts(client) == {"Gone queue": "–"}
    page = client.get(f"/panel/views/{view.pk}/").content.decode()
    assert "This view's search no longer works" in page
    assert "Select a valid choice." in page


def test_a_view_of_a_search_that_does_not_read_is_not_saved(world, as_user):
    response = as_user(world.admin).post(
        "/panel/views/new/", {"view-name": "Bad", "view-query": "priority_min=high"}
    )
    assert response.status_code == 422
    assert "Enter a whole number." in response.content.decode()
    assert not SavedView.objects.exists()
    with pytest.raises(ValidationError):
        save(world.admin, "", "")


def test_a_view_may_be_sorted_without_changing_it(desk, world, as_user):
    view = save(world.admin, "Working", "")
    client = as_user(world.admin)
    page = client.get(f"/panel/views/{view.pk}/?sort=priority").content.decode()
    assert names(desk, rows(page, f"view-{view.pk}")[:1]) == {"quote"}
    assert f'href="/panel/views/{view.pk}/?sort=-priority"' in page
    view.refresh_from_db()
    assert view.query == ""


@pytest.mark.parametrize("url", ["/panel/views/nav/", "/panel/views/"])
def test_the_navigation_costs_the_same_queries_for_1_and_10_views_and_many_tickets(
    world, as_user, url
):
    client = as_user(world.supervisor)
    save(world.supervisor, "View 0", f"queue={world.billing.pk}&assignee=nobody&text=printer")
    for n in range(5):
        opened(world.billing, f"Printer {n}")
    one = queries_for(client, url)
    for n in range(1, 10):
        save(world.supervisor, f"View {n}", f"queue={world.billing.pk}&text=printer&sort=title")
    for n in range(20):
        opened(world.billing, f"Printer {n}")
    assert queries_for(client, url) == one


def test_the_navigation_of_ten_views_is_quick(world, as_user, capsys):
    """Not a benchmark (docs/benchmarks.md has those): a guard against a navigation
    that reads every ticket or a query per view."""
    for n in range(200):
        opened(world.billing, f"Printer {n}", text="The printer is on fire.")
    for n in range(10):
        save(world.supervisor, f"View {n}", ["", "text=printer", "answered=no"][n % 3])
    client = as_user(world.supervisor)
    client.get("/panel/views/nav/")
    started = time.perf_counter()
    for _ in range(10):
        client.get("/panel/views/nav/")
    elapsed = (time.perf_counter() - started) / 10
    assert elapsed < 0.5, elapsed


def test_the_installation_brings_team_views(world, as_user):
    # What migration panel 0002 runs on a fresh database (a flush of an earlier test
    # may have removed its rows from the test database).
    from django.apps import apps

    migration = import_module("panel.migrations.0002_saved_views")
    migration.add_team_views(apps, None)
    assert list(nav_counts(as_user(world.agent))) == [
        "Unanswered",
        "Waiting for the customer",
        "On hold",
    ]
    for view in SavedView.objects.all():
        assert view.shared and view.owner is None
        saved_views.counted_views(world.agent)  # each reads
        assert view.query == saved_views.from_querystring(view.query).to_querystring()
