"""The reports page and a rating link in a real browser, with the figures counted the
real way: by the receivers, after each change commits."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from reports import ratings
from reports.models import Rating
from sla.models import Policy
from tests.browser.conftest import screenshot
from tests.conftest import set_helpdesk
from tickets import actions


def test_a_supervisor_reads_a_chart_s_numbers_in_its_table(world, open_page):
    set_helpdesk(auto_close_days=-1)
    first = world.ticket(world.billing)
    world.ticket(world.billing)
    world.ticket(world.sales)  # not the supervisor's queue
    actions.answer(actor=world.supervisor, ticket=first, text="Done.")
    actions.close(actor=world.supervisor, ticket=first)
    today = timezone.localdate(timezone=timezone.get_default_timezone()).isoformat()

    page = open_page(world.supervisor)
    page.goto("/panel/")
    page.get_by_role("link", name="Reports", exact=True).click()
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="Tickets received and closed")).to_be_visible()
    row = page.locator("#table-volume tbody tr", has=page.locator(f'time[datetime="{today}"]'))
    expect(row.locator("td")).to_have_text(["2", "1", "1"])
    expect(page.locator("#first-response-median")).to_have_text("up to 15 min")

    page.get_by_label("Per", exact=True).select_option("week")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator("#table-volume thead")).to_contain_text("Week of")
    expect(page.locator("#table-queues tbody tr")).to_have_count(1)
    expect(page.locator("#table-queues tbody tr th")).to_have_text("Billing")
    screenshot(page, "reports")


def test_a_supervisor_reads_the_service_level_attainment_in_its_table(world, open_page):
    set_helpdesk(auto_close_days=-1)
    # Every minute counts (no calendar): an answer within an hour meets the target.
    Policy.objects.create(queue=world.billing, first_response_minutes=60, resolution_minutes=240)
    quick = world.ticket(world.billing)
    actions.answer(actor=world.supervisor, ticket=quick, text="Done.")
    actions.close(actor=world.supervisor, ticket=quick)
    with time_machine.travel(timezone.now() - timedelta(hours=3), tick=False):
        late = world.ticket(world.billing)
    actions.answer(actor=world.supervisor, ticket=late, text="Sorry for the wait.")
    today = timezone.localdate(timezone=timezone.get_default_timezone()).isoformat()

    page = open_page(world.supervisor)
    page.goto("/panel/reports/")
    section = page.get_by_role("region", name="Service level attainment")
    expect(section.get_by_role("img", name="Service level targets met, in percent")).to_be_visible()
    row = page.locator("#table-sla tbody tr", has=page.locator(f'time[datetime="{today}"]'))
    # First response: one met, one breached (3 hours); resolution: the quick one met.
    expect(row.locator("td")).to_have_text(["1", "1", "50 %", "0", "0", "–", "1", "0", "100 %"])
    queue_row = page.locator("#table-sla-queues tbody tr")
    expect(queue_row.locator("th")).to_have_text("Billing")
    expect(page.locator("#sla-first-response")).to_have_text("50 %")
    section.scroll_into_view_if_needed()
    screenshot(page, "reports-attainment")


def test_a_customer_rates_the_help_from_the_link_without_signing_in(world, open_page):
    set_helpdesk(auto_close_days=-1)
    ticket = world.ticket(world.billing)
    closed = actions.close(actor=world.supervisor, ticket=ticket)
    link = ratings.mail_context(closed)["rating_good"]

    page = open_page()
    page.goto(link.split("/portal/", 1)[1].join(("/portal/", "")))
    expect(page.get_by_label("Good", exact=True)).to_be_checked()
    page.get_by_label("Anything you would like to tell us? (optional)").fill("Thank you!")
    page.get_by_role("button", name="Send my rating").click()
    expect(page.locator("#rating-saved")).to_be_visible()
    rating = Rating.objects.get()
    assert (rating.good, rating.comment) == (True, "Thank you!")
