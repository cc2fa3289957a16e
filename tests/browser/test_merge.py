"""Merging a ticket into another from its page, in a real browser (S43)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.conftest import upload
from tests.panel.helpers import refreshed
from tickets.models import Status


def test_a_ticket_is_merged_into_another_from_its_page(world, open_page):
    survivor = world.ticket(world.billing, title="Printer jams", text="The printer jams.")
    merged = world.ticket(
        world.billing,
        title="Printer jams again",
        text="Jammed again, here is the log.",
        attachments=[upload("printer.log")],
    )
    page = open_page(world.supervisor)
    page.goto(f"/panel/tickets/{merged.number}/")

    page.get_by_text("Merge into another ticket").click()
    page.get_by_label("Merge into ticket number").fill(f"#{survivor.number}")
    page.get_by_role("button", name="Merge into…").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Merge ticket #{merged.number} into #{survivor.number}?"
    )
    expect(page.locator("#merge-from")).to_contain_text("Printer jams again")
    expect(page.locator("#merge-into-ticket")).to_contain_text("Printer jams")
    screenshot(page, "merge-confirm")
    page.get_by_role("button", name=f"Merge #{merged.number} into #{survivor.number}").click()

    expect(page).to_have_url(re.compile(rf"/panel/tickets/{survivor.number}/$"))
    expect(page.locator("#thread")).to_contain_text("Jammed again, here is the log.")
    expect(page.locator("#thread")).to_contain_text("printer.log")
    expect(page.locator("#merged-here")).to_contain_text(f"#{merged.number} Printer jams again")
    page.locator("#merged-here").get_by_role("link").click()
    expect(page.locator("#merged-into")).to_contain_text(f"Merged into #{survivor.number}")
    screenshot(page, "merged-ticket")
    merged = refreshed(merged)
    assert (merged.merged_into_id, merged.status) == (survivor.number, Status.CLOSED)
