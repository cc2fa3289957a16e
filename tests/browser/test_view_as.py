"""View as customer (S34) in a real browser: from the ticket page to the portal and back."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.conftest import SETUP
from tickets import actions


def test_a_supervisor_views_the_portal_as_the_customer_and_ends_it(world, open_page):
    ticket = actions.assign(
        actor=SETUP, ticket=world.ticket(world.billing, title="Invoice twice"), assignee=world.agent
    )
    page = open_page(world.supervisor)
    page.goto(f"/panel/tickets/{ticket.number}/")
    expect(page.get_by_label("Contact to view the portal as")).to_have_value(
        str(world.customer_a.contact.pk)
    )
    page.get_by_role("button", name="View as customer").click()

    # The portal as Alice sees it, under a banner that names the supervisor.
    expect(page).to_have_url(re.compile(rf"/portal/tickets/{ticket.number}/$"))
    banner = page.locator("#view-as-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("super")
    expect(banner).to_contain_text("alice@a.example")
    expect(page.locator("#ticket-title")).to_have_text("Invoice twice")
    screenshot(page, "view-as-customer")

    # A reply is not sent without a confirmation.
    page.get_by_label("Your reply").fill("Typed by staff")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("button", name="Do it as alice@a.example")).to_be_visible()
    expect(page.locator("#view-as-what")).to_have_text(f"Send a reply on ticket #{ticket.number}")
    screenshot(page, "view-as-confirm")
    page.get_by_role("link", name="Do nothing").click()
    expect(banner).to_be_visible()

    banner.get_by_role("button", name="End").click()
    expect(page).to_have_url(re.compile(rf"/panel/tickets/{ticket.number}/$"))
    expect(page.locator("#flash")).to_contain_text("You no longer view the portal as")
    expect(page.locator("#history")).to_contain_text(
        "viewed the ticket in the portal as the customer: alice@a.example"
    )
    assert ticket.messages.count() == 1  # the typed reply was never sent

    log = open_page(world.admin)
    log.goto("/panel/audit/")
    rows = log.locator("#audit-log tbody tr")
    expect(rows.filter(has_text="Started viewing as a customer")).to_contain_text(
        world.supervisor.email
    )
    expect(rows.filter(has_text="Stopped viewing as a customer")).to_contain_text("alice@a.example")
