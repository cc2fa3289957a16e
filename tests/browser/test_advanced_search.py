"""A supervisor searches, saves the search as a team view; an agent finds it in the
navigation with their own count (S22, S39). Photographs the advanced search."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from playwright.sync_api import expect

from panel.models import SavedView
from tests.browser.conftest import screenshot
from tests.browser.test_screenshots import a_realistic_desk, open_ticket
from tests.conftest import SETUP
from tickets import actions


def test_a_supervisor_saves_a_search_as_a_team_view_an_agent_sees_it_with_their_count(
    world, open_page
):
    # The installation's team views, whether or not an earlier test flushed them.
    SavedView.objects.all().delete()
    import_module("panel.migrations.0002_saved_views").add_team_views(apps, None)
    a_realistic_desk(world)
    # Two more billing tickets about invoices; the agent has one of them.
    for title, requester, text in [
        ("Invoice address is wrong", "m.rossi@cliente.example", "Put our VAT number on it."),
        ("Duplicate invoice for February", "finance@startup.example", "We got 1987 twice."),
    ]:
        ticket = open_ticket(world, title, requester, text, queue=world.billing, priority=65)
    actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)

    supervisor = open_page(world.supervisor)
    supervisor.goto("/panel/")
    supervisor.locator("#nav-search").click()
    expect(supervisor.get_by_role("heading", name="Advanced search")).to_be_visible()
    supervisor.get_by_label("Words").fill("invoice")
    supervisor.get_by_label("Billing").check()
    supervisor.get_by_label("Include resolved and closed tickets").check()
    supervisor.locator("#advanced-search-button").click()
    expect(supervisor).to_have_url(
        f"{supervisor.url.split('?')[0]}?text=invoice&queue={world.billing.pk}&closed=1"
    )
    results = supervisor.locator("#list-advanced tbody tr")
    expect(results).to_have_count(3)
    expect(supervisor.locator("#count-advanced")).to_have_text("3 tickets")
    expect(supervisor.locator("#list-advanced .snippet mark").first).to_be_visible()
    # Folded once it ran, the form says what it holds.
    expect(supervisor.locator("#criteria-summary")).to_have_text(
        "Queue: Billing · Include resolved and closed tickets"
    )
    results_url = supervisor.url
    supervisor.get_by_label("Name of the view").fill("Billing — invoices")
    supervisor.get_by_label("Share with the team").check()
    supervisor.locator("#save-view-button").click()
    expect(supervisor.get_by_role("heading", name="Billing — invoices")).to_be_visible()
    view = SavedView.objects.get(name="Billing — invoices")
    assert view.shared and view.query == f"text=invoice&queue={world.billing.pk}&closed=1"
    expect(supervisor.locator(f"#nav-view-{view.pk}-count")).to_contain_text("3")
    expect(supervisor.locator(f"#list-view-{view.pk} tbody tr")).to_have_count(3)
    supervisor.goto(results_url)
    expect(supervisor.locator(f"#nav-view-{view.pk}-count")).to_contain_text("3")
    screenshot(supervisor, "advanced-search")

    agent = open_page(world.agent)
    agent.goto("/panel/")
    link = agent.locator(f"#nav-view-{view.pk}")
    expect(link).to_contain_text("Billing — invoices")
    # The agent sees only the invoice ticket assigned to them.
    expect(agent.locator(f"#nav-view-{view.pk}-count")).to_contain_text("1")
    link.click()
    expect(agent.locator(f"#list-view-{view.pk} tbody tr")).to_have_count(1)
    expect(agent.get_by_role("link", name="Duplicate invoice for February")).to_be_visible()
    # The team's view is the supervisors' to change.
    expect(agent.locator("#edit-view")).to_have_count(0)


def test_the_advanced_search_works_without_javascript(world, open_page):
    SavedView.objects.all().delete()
    open_ticket(world, "Printer on fire", "alice@a.example", "Smoke everywhere.")
    page = open_page(world.admin, javascript=False)
    page.goto("/panel/search/advanced/")
    page.get_by_label("Words").fill("smoke")
    page.locator("#advanced-search-button").click()
    expect(page.locator("#list-advanced tbody tr")).to_have_count(1)
    page.locator("#sort-advanced-priority").click()
    assert page.url.endswith("/panel/search/advanced/?text=smoke&sort=-priority")
    page.get_by_label("Name of the view").fill("Smoke")
    page.locator("#save-view-button").click()
    expect(page.get_by_role("heading", name="Smoke")).to_be_visible()
    page.locator("#nav-views").click()
    expect(page.locator("#saved-views")).to_contain_text("Smoke")
