"""The agent's daily work in a real browser: keyboard shortcuts, "select all" on a
page of a list, and "Closed. Undo" after a close and a mass close."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from panel import undo
from tests.browser.conftest import screenshot
from tests.conftest import SETUP
from tests.panel.helpers import refreshed
from tickets import actions
from tickets.models import Status

UNASSIGNED = "/panel/tickets/unassigned/"


def current_row(page: Page):
    return page.locator("table.tickets tr.current-row")


def test_j_and_k_move_the_current_row_and_enter_opens_its_ticket(world, open_page):
    tickets = [world.ticket(world.billing, title=f"Printer {n}") for n in range(3)]
    page = open_page(world.supervisor)
    page.goto(UNASSIGNED)
    newest_first = list(reversed(tickets))
    page.keyboard.press("j")
    expect(current_row(page)).to_have_count(1)
    expect(current_row(page)).to_have_id(f"row-unassigned-{newest_first[0].number}")
    expect(current_row(page)).to_have_attribute("aria-current", "true")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(current_row(page)).to_have_id(f"row-unassigned-{newest_first[1].number}")
    # The row's link has the focus, so assistive technology says where one is.
    expect(page.locator(f"#row-unassigned-{newest_first[1].number} td.title a")).to_be_focused()
    screenshot(page, "keyboard-current-row")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/panel/tickets/{newest_first[1].number}/$"))


def test_enter_opens_the_current_row_after_the_focus_left_its_link(world, open_page):
    tickets = [world.ticket(world.billing, title=f"Printer {n}") for n in range(2)]
    page = open_page(world.supervisor)
    page.goto(UNASSIGNED)
    page.keyboard.press("j")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/panel/tickets/{tickets[-1].number}/$"))


def test_question_mark_lists_the_shortcuts_in_a_dialog(world, open_page):
    page = open_page(world.agent)
    page.goto("/panel/")
    dialog = page.locator("dialog#shortcuts")
    expect(dialog).to_be_hidden()
    page.keyboard.press("?")
    expect(dialog).to_be_visible()
    for key in ("j", "k", "Enter", "r", "n", "a", "e", "/", "?"):
        expect(dialog.locator("kbd", has_text=re.compile(rf"^{re.escape(key)}$"))).to_have_count(1)
    # While it is open, keys are the dialog's: "j" moves nothing behind it.
    page.keyboard.press("j")
    expect(current_row(page)).to_have_count(0)
    screenshot(page, "keyboard-shortcuts")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.keyboard.press("?")
    page.locator("#shortcuts-close").click()
    expect(dialog).to_be_hidden()


def test_r_and_n_focus_the_answer_and_the_note_and_keys_typed_there_are_text(world, open_page):
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(world.billing), assignee=world.agent)
    page = open_page(world.agent)
    page.goto(f"/panel/tickets/{ticket.number}/")
    page.keyboard.press("r")
    answer = page.locator("#answer-answer")
    expect(answer).to_be_focused()
    page.keyboard.type("jane, are you there? e/n")
    expect(answer).to_have_value("jane, are you there? e/n")
    expect(page.locator("dialog#shortcuts")).to_be_hidden()
    assert refreshed(ticket).status == Status.OPEN
    page.keyboard.press("Escape")
    page.locator("h1").click()
    page.keyboard.press("n")
    expect(page.locator("#answer-note")).to_be_focused()
    # A key held with Ctrl or Alt is the browser's, never a shortcut.
    page.locator("h1").click()
    page.keyboard.press("Alt+r")
    expect(answer).not_to_be_focused()


def test_slash_focuses_the_quick_search_from_any_page(world, open_page):
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(world.billing), assignee=world.agent)
    page = open_page(world.agent)
    page.goto("/panel/")
    page.keyboard.press("/")
    expect(page.locator("#quick-search")).to_be_focused()
    expect(page.locator("#quick-search")).to_have_value("")
    page.goto(f"/panel/tickets/{ticket.number}/")
    page.keyboard.press("/")
    expect(page).to_have_url(re.compile(r"/panel/search/#quick-search$"))
    expect(page.locator("#quick-search")).to_be_focused()


def test_a_picks_up_e_closes_and_undo_reopens_the_ticket(world, open_page):
    ticket = world.ticket(world.billing, title="Cannot print")
    page = open_page(world.supervisor)
    page.goto(f"/panel/tickets/{ticket.number}/")
    page.keyboard.press("a")
    expect(page.locator("#fact-assignee")).to_have_text(world.supervisor.get_full_name())
    page.locator("h1").click()
    page.keyboard.press("e")
    expect(page.locator("#fact-status")).to_have_text("Closed")
    offer = page.locator("#undo-form")
    expect(offer).to_contain_text(f"Ticket #{ticket.number} closed.")
    assert refreshed(ticket).status == Status.CLOSED
    screenshot(page, "closed-undo")
    offer.get_by_role("button", name="Undo").click()
    expect(page.locator("#flash")).to_have_text(f"Undone: ticket #{ticket.number} is open again.")
    expect(page.locator("#fact-status")).to_have_text("Open")
    expect(page.locator("#history")).to_contain_text(re.compile(r"Closed\s*→\s*Open"))
    assert refreshed(ticket).status == Status.OPEN


def test_a_assigns_an_assigned_ticket_to_me_through_the_change_box(world, open_page):
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(world.billing), assignee=world.agent)
    page = open_page(world.supervisor)
    page.goto(f"/panel/tickets/{ticket.number}/")
    page.keyboard.press("a")
    expect(page.locator("#fact-assignee")).to_have_text(world.supervisor.get_full_name())
    assert refreshed(ticket).assignee == world.supervisor


def test_the_undo_offer_goes_when_its_seconds_are_up(world, open_page, monkeypatch):
    monkeypatch.setattr(undo, "UNDO_SECONDS", 1)
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(world.billing), assignee=world.agent)
    page = open_page(world.agent)
    page.goto(f"/panel/tickets/{ticket.number}/")
    page.locator("#close-button").click()
    expect(page.locator("#undo-form")).to_be_visible()
    expect(page.locator("#undo-form")).to_have_count(0, timeout=3000)
    expect(page.locator("#properties .notice")).to_have_text(f"Ticket #{ticket.number} closed.")
    assert refreshed(ticket).status == Status.CLOSED


def test_select_all_checks_the_page_and_shows_when_only_some_are(world, open_page):
    tickets = [world.ticket(world.billing) for _ in range(3)]
    page = open_page(world.supervisor)
    page.goto(UNASSIGNED)
    every = page.locator("#select-all-unassigned")
    rows = [page.locator(f"#select-unassigned-{t.number}") for t in tickets]
    expect(every).to_be_visible()
    every.focus()
    page.keyboard.press("Space")
    for row in rows:
        expect(row).to_be_checked()
    rows[0].uncheck()
    expect(every).not_to_be_checked()
    assert every.evaluate("box => box.indeterminate") is True
    every.check()
    for row in rows:
        expect(row).to_be_checked()
    assert every.evaluate("box => box.indeterminate") is False
    every.uncheck()
    for row in rows:
        expect(row).not_to_be_checked()


def test_a_mass_close_is_undone_from_its_page(world, open_page):
    tickets = [world.ticket(world.billing) for _ in range(2)]
    page = open_page(world.supervisor)
    page.goto(UNASSIGNED)
    page.locator("#select-all-unassigned").check()
    page.locator("#mass-unassigned-tell").uncheck()
    page.locator("#mass-unassigned-close").click()
    expect(page.locator("#mass-job-state")).to_have_text("Done")
    assert [refreshed(t).status for t in tickets] == [Status.CLOSED] * 2
    page.locator("#undo-form").get_by_role("button", name="Undo").click()
    expect(page).to_have_url(re.compile(r"/panel/tickets/unassigned/$"))
    expect(page.locator("#flash")).to_have_text("Undone: 2 tickets are open again.")
    assert [refreshed(t).status for t in tickets] == [Status.NEW] * 2
