"""A notification reaching the assignee (S41); two people on one ticket seeing each
other (S42). Each person in a browser context of their own."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.conftest import SETUP
from tickets import actions


def test_a_colleagues_note_reaches_the_assignee(world, open_page):
    ticket = world.ticket(world.billing, title="Invoice came twice")
    ticket = actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)
    colleague, assignee = open_page(world.supervisor), open_page(world.agent)

    # Being given the ticket was news already.
    assignee.goto("/panel/")
    expect(assignee.locator("#unread-count")).to_have_text("1")

    colleague.goto(f"/panel/tickets/{ticket.number}/")
    colleague.get_by_label("Internal note").fill("The customer called: please check the bank.")
    colleague.get_by_role("button", name="Send", exact=True).click()
    expect(colleague.locator(".message-note")).to_contain_text("please check the bank")

    # The bell counts anew when the tab comes back into view (and every minute).
    assignee.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(assignee.locator("#unread-count")).to_have_text("2")
    assignee.locator("#nav-notifications").click()
    notes = assignee.locator("#notifications li").first
    expect(notes).to_contain_text(f"super added a note to #{ticket.number} Invoice came twice")
    expect(assignee.locator("#notifications")).to_contain_text(
        f"#{ticket.number} Invoice came twice was assigned to you"
    )
    screenshot(assignee, "notifications")
    assignee.get_by_role("button", name="Mark all as read").click()
    expect(assignee.locator("#unread-count")).to_have_count(0)
    notes.get_by_role("button", name=f"Open #{ticket.number}").click()
    expect(assignee.locator("#ticket-title")).to_have_text("Invoice came twice")


def test_two_people_on_one_ticket_see_each_other_and_who_is_typing(world, open_page):
    ticket = world.ticket(world.billing, title="Server down")
    ticket = actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)
    agent, supervisor = open_page(world.agent), open_page(world.supervisor)

    agent.goto(f"/panel/tickets/{ticket.number}/")
    supervisor.goto(f"/panel/tickets/{ticket.number}/")
    # The supervisor's first report finds the agent there at once.
    expect(supervisor.locator("#presence")).to_have_text("agent is here")
    # The agent's page hears of the supervisor at its next poll (every ~10 s).
    expect(agent.locator("#presence")).to_have_text("super is here", timeout=15_000)

    agent.get_by_role("textbox", name="Answer", exact=True).type("We are on it")
    # Typing reports at once; the supervisor's page sees it at its next poll.
    expect(supervisor.locator("#presence")).to_have_text(
        "agent is typing an answer", timeout=15_000
    )
    screenshot(supervisor, "presence")
