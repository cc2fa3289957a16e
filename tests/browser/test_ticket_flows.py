"""A supervisor's day in the panel, in a real browser: S14–S20."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import SETUP
from tests.panel.helpers import refreshed
from tickets import actions
from tickets.models import MessageKind, Status


def test_a_person_signs_in_with_e_mail_and_password_and_lands_in_the_panel(world, open_page):
    page = open_page()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/$"))
    page.get_by_label("E-mail address").fill(world.supervisor.email)
    page.get_by_label("Password").fill("secret")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/panel/$"))
    expect(page.get_by_role("heading", name="Statistics")).to_be_visible()


def test_a_supervisor_picks_up_a_ticket_and_it_moves_to_their_own_list(world, open_page):
    ticket = world.ticket(title="Drucker druckt nicht")
    page = open_page(world.supervisor)
    page.goto("/panel/")
    page.get_by_role("button", name=f"Pick Up #{ticket.number}").click()
    expect(page.locator(f"#pick-up-{ticket.number}")).to_have_text("Picked up: yours now.")
    # The list of my tickets reloads itself on the pick-up.
    expect(page.locator(f"#row-mine-{ticket.number}")).to_be_visible()
    assert refreshed(ticket).assignee == world.supervisor


def test_an_answer_with_an_attachment_reaches_the_thread(world, open_page):
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(), assignee=world.supervisor)
    page = open_page(world.supervisor)
    page.goto(f"/panel/tickets/{ticket.number}/")
    page.get_by_role("textbox", name="Answer", exact=True).fill("Here are the steps, see the file.")
    page.get_by_label("Attachments").set_input_files(
        {"name": "steps.txt", "mimeType": "text/plain", "buffer": b"1. Restart\n2. Retry\n"}
    )
    page.get_by_role("button", name="Send", exact=True).click()
    answer = page.locator(".message-answer")
    expect(answer).to_contain_text("Here are the steps, see the file.")
    link = answer.get_by_role("link", name="steps.txt")
    expect(link).to_be_visible()
    download = page.request.get(link.get_attribute("href") or "")
    assert download.body() == b"1. Restart\n2. Retry\n"
    assert download.headers["content-disposition"].startswith("attachment")
    assert refreshed(ticket).is_answered


def test_the_priority_changes_while_an_answer_is_typed_and_the_answer_is_kept(world, open_page):
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(), assignee=world.supervisor)
    page = open_page(world.supervisor)
    page.goto(f"/panel/tickets/{ticket.number}/")
    answer = page.get_by_role("textbox", name="Answer", exact=True)
    answer.fill("Half of a long answer,\nstill being written…")
    page.get_by_label("Priority").fill("80")
    page.get_by_role("button", name="Change", exact=True).first.click()
    expect(page.locator("#fact-priority")).to_have_text("80 high")
    expect(page.locator("#properties .notice")).to_have_text("Changes saved.")
    expect(answer).to_have_value("Half of a long answer,\nstill being written…")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".message-answer")).to_contain_text("still being written…")
    expect(page.locator(".conflict")).to_have_count(0)
    ticket = refreshed(ticket)
    assert (ticket.priority, ticket.is_answered) == (80, True)


def test_enter_in_the_priority_field_changes_the_priority_and_nothing_else(world, open_page):
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(), assignee=world.supervisor)
    page = open_page(world.supervisor)
    page.goto(f"/panel/tickets/{ticket.number}/")
    page.get_by_role("textbox", name="Answer", exact=True).fill("Not yet ready to send")
    page.get_by_label("Priority").fill("61")
    page.get_by_label("Priority").press("Enter")
    expect(page.locator("#fact-priority")).to_have_text("61 normal")
    ticket = refreshed(ticket)
    assert ticket.assignee == world.supervisor
    assert not ticket.messages.filter(kind=MessageKind.ANSWER).exists()


def test_a_supervisor_reassigns_a_ticket_to_an_agent(world, open_page):
    ticket = actions.assign(
        actor=SETUP, ticket=world.ticket(queue=world.billing), assignee=world.supervisor
    )
    page = open_page(world.supervisor)
    page.goto(f"/panel/tickets/{ticket.number}/")
    page.locator("#change-assignee").select_option(label="agent")
    page.get_by_role("button", name="Change", exact=True).first.click()
    expect(page.locator("#fact-assignee")).to_have_text("agent")
    assert refreshed(ticket).assignee == world.agent


def test_a_closed_ticket_is_found_again_by_quick_search(world, open_page):
    ticket = actions.assign(
        actor=SETUP, ticket=world.ticket(title="Факс не работает"), assignee=world.supervisor
    )
    page = open_page(world.supervisor)
    page.goto(f"/panel/tickets/{ticket.number}/")
    page.get_by_role("button", name="Close", exact=True).click()
    expect(page.locator("#fact-status")).to_have_text("Closed")
    expect(page.get_by_role("button", name="Close", exact=True)).to_have_count(0)
    assert refreshed(ticket).status == Status.CLOSED

    page.goto("/panel/")
    search = page.get_by_label("Quick search", exact=False)
    search.fill("Факс")
    search.press("Enter")
    expect(page.get_by_role("link", name="Факс не работает")).to_be_visible()
    search = page.get_by_label("Quick search", exact=False)
    search.fill(str(ticket.number))
    search.press("Enter")
    expect(page).to_have_url(re.compile(rf"/panel/tickets/{ticket.number}/$"))
    expect(page.locator("#fact-status")).to_have_text("Closed")


def test_three_tickets_are_assigned_at_once_from_the_unassigned_list(world, open_page):
    tickets = [world.ticket(title=f"Batch {index}") for index in range(4)]
    chosen = tickets[:3]
    page = open_page(world.supervisor)
    page.goto("/panel/")
    for ticket in chosen:
        page.locator(f"#select-unassigned-{ticket.number}").check()
    page.locator("#mass-unassigned-assignee").select_option(label="agent")
    page.locator("#mass-unassigned-assign").click()
    # The page's script sent the checked rows in one field; the job's page says what it did.
    expect(page.locator("#mass-job-title")).to_have_text("Assign 3 tickets to agent")
    expect(page.locator("#mass-job-done")).to_have_text("3")
    assert [refreshed(ticket).assignee for ticket in tickets] == [world.agent] * 3 + [None]
