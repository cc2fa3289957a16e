"""Text typed on the ticket page survives leaving it, with JavaScript and without."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from panel.models import Draft
from tests.conftest import SETUP
from tickets import actions

TYPED = "Typed, then the tab was gone.\nSecond line — zweite Zeile, <b>вторая</b> строка."


def test_an_autosaved_answer_is_back_in_a_new_page(world, open_page):
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(), assignee=world.supervisor)
    page = open_page(world.supervisor)
    page.goto(f"/panel/tickets/{ticket.number}/")
    page.get_by_role("textbox", name="Answer", exact=True).fill(TYPED)
    expect(page.locator("#draft-status")).to_contain_text("Draft saved")
    assert Draft.objects.get(user=world.supervisor).answer == TYPED

    # A new page of the same browser: nothing the browser itself kept of the form.
    again = page.context.new_page()
    again.goto(f"/panel/tickets/{ticket.number}/")
    expect(again.get_by_role("textbox", name="Answer", exact=True)).to_have_value(TYPED)
    expect(again.locator("#draft-restored")).to_contain_text("Restored your unsent draft")

    again.get_by_role("button", name="Discard draft").click()
    expect(again.get_by_role("textbox", name="Answer", exact=True)).to_have_value("")
    assert not Draft.objects.exists()


def test_without_javascript_the_account_search_keeps_the_typed_answer(world, open_page):
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(), assignee=world.supervisor)
    page = open_page(world.supervisor, javascript=False)
    page.goto(f"/panel/tickets/{ticket.number}/")
    page.get_by_role("textbox", name="Answer", exact=True).fill(TYPED)
    page.locator("#account-section summary").click()
    page.get_by_role("searchbox", name="Account name, external id or contact e-mail").fill("B-1")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(rf"/panel/tickets/{ticket.number}/account/\?q=B-1$"))
    expect(page.locator(f"#choose-account-{world.account_b.pk}")).to_have_count(1)

    page.get_by_role("link", name=f"Back to ticket #{ticket.number}").click()
    expect(page).to_have_url(re.compile(rf"/panel/tickets/{ticket.number}/$"))
    expect(page.get_by_role("textbox", name="Answer", exact=True)).to_have_value(TYPED)
