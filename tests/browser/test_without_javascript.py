"""Nothing typed is lost with JavaScript off either (S19).

Without JavaScript every button of the ticket page submits the one form that
holds the answer, so a property change carries the text and the page that
comes back shows it again.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import SETUP
from tests.panel.helpers import refreshed
from tickets import actions
from tickets.models import MessageKind, Status

TYPED = "Typed with JavaScript off.\nSecond line — zweite Zeile, вторая строка."


def test_without_javascript_changes_and_closing_keep_the_typed_answer(world, open_page):
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(), assignee=world.supervisor)
    page = open_page(world.supervisor, javascript=False)
    page.goto(f"/panel/tickets/{ticket.number}/")
    page.get_by_role("textbox", name="Answer", exact=True).fill(TYPED)
    page.get_by_role("textbox", name="Internal note").fill("Checked the logs first.")

    page.get_by_label("Priority").fill("80")
    page.get_by_role("button", name="Change", exact=True).first.click()
    expect(page).to_have_url(re.compile(rf"/panel/tickets/{ticket.number}/change/$"))
    expect(page.locator("#fact-priority")).to_have_text("80 high")
    expect(page.locator("#properties .notice")).to_have_text("Changes saved.")
    expect(page.get_by_role("textbox", name="Answer", exact=True)).to_have_value(TYPED)
    expect(page.get_by_role("textbox", name="Internal note")).to_have_value(
        "Checked the logs first."
    )

    page.get_by_role("button", name="Close", exact=True).click()
    expect(page.locator("#fact-status")).to_have_text("Closed")
    expect(page.get_by_role("textbox", name="Answer", exact=True)).to_have_value(TYPED)

    page.get_by_role("button", name="Send", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/panel/tickets/{ticket.number}/$"))
    expect(page.locator(".message-answer")).to_contain_text("Second line — zweite Zeile")
    expect(page.locator(".message-note")).to_contain_text("Checked the logs first.")
    ticket = refreshed(ticket)
    assert ticket.priority == 80
    assert ticket.messages.get(kind=MessageKind.ANSWER).text.splitlines() == TYPED.splitlines()


def test_without_javascript_enter_in_a_property_field_sends_nothing(world, open_page):
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(), assignee=world.supervisor)
    page = open_page(world.supervisor, javascript=False)
    page.goto(f"/panel/tickets/{ticket.number}/")
    page.get_by_role("textbox", name="Answer", exact=True).fill(TYPED)
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url))
    page.get_by_label("Priority").fill("80")
    # The one form's default button is disabled: Enter must not press Release.
    page.get_by_label("Priority").press("Enter")
    page.wait_for_timeout(300)
    assert sent == []
    ticket = refreshed(ticket)
    assert (ticket.assignee, ticket.priority, ticket.status) == (world.supervisor, 50, Status.OPEN)
