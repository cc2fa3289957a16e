"""The answer form's flow in a real browser: reply and close, the form following the
ticket, and a refused form that is not sent again by reloading."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from panel.models import Draft
from tests.browser.conftest import screenshot
from tests.conftest import SETUP, set_helpdesk
from tests.panel.helpers import refreshed
from tickets import actions
from tickets.models import MessageKind, Status


def test_reply_and_close_sends_the_answer_and_closes_the_ticket(world, open_page):
    set_helpdesk(auto_close_days=7)
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(), assignee=world.supervisor)
    page = open_page(world.supervisor)
    page.goto(f"/panel/tickets/{ticket.number}/")
    page.get_by_role("textbox", name="Answer", exact=True).fill("Fixed on our side; closing.")
    screenshot(page, "answer-form-buttons")
    page.get_by_role("button", name="Send and close").click()
    expect(page).to_have_url(re.compile(rf"/panel/tickets/{ticket.number}/$"))
    expect(page.locator("#fact-status")).to_have_text("Closed")
    expect(page.locator(".message-answer")).to_contain_text("Fixed on our side; closing.")
    expect(page.get_by_role("textbox", name="Answer", exact=True)).to_have_value("")
    ticket = refreshed(ticket)
    assert (ticket.status, ticket.is_answered) == (Status.CLOSED, True)
    assert not Draft.objects.exists()


def test_reassigning_in_the_change_box_then_sending_keeps_the_new_assignee(world, open_page):
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(), assignee=world.supervisor)
    page = open_page(world.supervisor)
    page.goto(f"/panel/tickets/{ticket.number}/")
    answer = page.get_by_role("textbox", name="Answer", exact=True)
    answer.fill("Passing this to a colleague.")
    page.locator("#change-assignee").select_option(label="agent")
    page.get_by_role("button", name="Change", exact=True).first.click()
    expect(page.locator("#fact-assignee")).to_have_text("agent")
    # The answer form's "Assign to" and the history follow at once.
    expect(page.locator("#answer-assignee")).to_have_value(str(world.agent.pk))
    expect(page.locator("#history")).to_contain_text("changed the assignee: super → agent")
    expect(answer).to_have_value("Passing this to a colleague.")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".message-answer")).to_contain_text("Passing this to a colleague.")
    ticket = refreshed(ticket)
    assert ticket.assignee == world.agent
    assert ticket.messages.filter(kind=MessageKind.ANSWER).exists()


def test_reloading_after_a_conflict_shows_the_ticket_page_and_sends_nothing(world, open_page):
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(), assignee=world.supervisor)
    page = open_page(world.supervisor)
    page.goto(f"/panel/tickets/{ticket.number}/")
    page.get_by_role("textbox", name="Answer", exact=True).fill("Typed on the old ticket.")
    actions.change(actor=world.admin, ticket=ticket, priority=80)
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".answer .conflict")).to_contain_text("admin changed the priority")
    expect(page).to_have_url(re.compile(rf"/panel/tickets/{ticket.number}/$"))

    methods: list[str] = []
    page.on("request", lambda request: methods.append(request.method))
    page.reload()
    assert methods[0] == "GET"
    expect(page.get_by_role("textbox", name="Answer", exact=True)).to_have_value(
        "Typed on the old ticket."
    )
    assert not refreshed(ticket).messages.filter(kind=MessageKind.ANSWER).exists()


def test_the_preview_shows_the_mail_in_the_page_and_sends_nothing(world, open_page):
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(), assignee=world.supervisor)
    page = open_page(world.supervisor)
    page.goto(f"/panel/tickets/{ticket.number}/")
    page.get_by_role("textbox", name="Answer", exact=True).fill("Here is how it works.")
    page.get_by_role("button", name="Preview the mail").click()
    text = page.locator("#mail-preview-text")
    expect(text).to_contain_text("Here is how it works.")
    expect(text).to_contain_text("Assigned to: super")
    expect(text).to_contain_text("> Please help.")
    expect(page).to_have_url(re.compile(rf"/panel/tickets/{ticket.number}/$"))
    assert len(page.context.pages) == 1
    assert not refreshed(ticket).messages.filter(kind=MessageKind.ANSWER).exists()
