"""Webhooks in a real browser (S38): an administrator registers a receiver from the
settings, is refused a private address until allowing it, and reads a delivery's
log; and the pictures of those pages for the README."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.webhooks.conftest import receiver  # noqa: F401  (the loopback receiver fixture)
from tickets import actions
from webhooks.models import Delivery, Webhook


def test_an_administrator_registers_a_webhook_and_reads_its_deliveries(
    world,
    open_page,
    receiver,  # noqa: F811
):
    page = open_page(world.admin)
    page.goto("/panel/settings/")
    page.locator("#webhooks-link").click()
    page.get_by_role("link", name="Register a webhook").click()
    page.get_by_label("Name").fill("Hosting control panel")
    page.get_by_label("URL").fill(receiver.url("/hook"))
    page.get_by_label("Closed", exact=True).check()
    page.get_by_label("Status changed").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#webhook-form")).to_contain_text("an address inside a private network")

    page.get_by_label("Allow private addresses").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#flash")).to_contain_text("Webhook Hosting control panel saved.")
    hook = Webhook.objects.get()
    expect(page.locator("#webhook-secret")).to_have_text(hook.secret)
    Webhook.objects.filter(pk=hook.pk).update(secret=receiver.secret)

    receiver.script("/hook", 503)
    actions.close(actor=world.supervisor, ticket=world.ticket(world.billing, title="Invoice"))
    page.goto("/panel/settings/webhooks/")
    screenshot(page, "webhooks")
    page.get_by_role("link", name="Hosting control panel").first.click()
    expect(page.locator("#deliveries tbody tr")).to_have_count(2)
    screenshot(page, "webhook")
    page.locator("#deliveries tbody tr").last.get_by_role("link").first.click()
    expect(page.locator("#attempts")).to_contain_text("503")
    page.get_by_role("button", name="Send again").click()
    expect(page.locator("#flash")).to_contain_text("being sent again")
    expect(page.locator("#attempts")).to_contain_text("200")
    screenshot(page, "webhook-delivery")
    assert [request.verified for request in receiver.to("/hook")] == [True, True, True]
    assert Delivery.objects.filter(state="delivered").count() == 2
