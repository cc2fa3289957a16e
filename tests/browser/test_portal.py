"""The customer portal in a real browser (S33): sign in, open, get an answer, reply, close.

It also takes the portal's pictures for the README (docs/screenshots/portal-*.png).
"""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Account, StaffProfile, User
from tests.browser.conftest import screenshot
from tests.browser.test_usable_by_everyone import PHONE_WIDTH, UNLABELLED_CONTROLS, scroll_width
from tests.conftest import make_customer, set_helpdesk, upload
from tickets import actions
from tickets.models import Message, Queue, Ticket, TicketType


def a_customer_desk(world) -> None:
    """Account A as a hosting customer with a few weeks of tickets in every state."""
    set_helpdesk(company_name="Northwind Hosting", answered_stays_open_days=7)
    Account.objects.filter(pk=world.account_a.pk).update(name="Acme Web Studio")
    User.objects.filter(pk=world.customer_a.pk).update(full_name="Alice Martin")
    User.objects.filter(pk=world.supervisor.pk).update(full_name="Sofia Berger")
    StaffProfile.objects.filter(user=world.supervisor).update(full_name="Sofia Berger")
    Queue.objects.filter(pk=world.support.pk).update(
        offered_in_portal=True, portal_name="Technical problem"
    )
    Queue.objects.filter(pk=world.billing.pk).update(
        offered_in_portal=True, portal_name="Invoices and payments"
    )
    colleague = make_customer("ben@acme-web.example", world.account_a)
    User.objects.filter(pk=colleague.pk).update(full_name="Ben Okafor")
    supervisor = User.objects.get(pk=world.supervisor.pk)
    now = timezone.now()
    history = [
        (24, "Move our DNS zone to your name servers", world.support, "closed"),
        (19, "Invoice 2038 shows the wrong VAT number", world.billing, "closed"),
        (5, "SSL certificate for shop.acme-web.example did not renew", world.support, "answered"),
        (4, "Nightly backups of the database failed twice", world.support, "waiting"),
        (2, "Add a second SFTP user for our designer", world.support, "answered"),
        (1, "Raise the PHP memory limit of the shop to 512 MB", world.support, "waiting"),
        (0.2, "Mail from info@acme-web.example lands in spam at Gmail", world.support, "waiting"),
        (0.05, "Webmail sends us back to the sign-in page", world.support, "waiting"),
    ]
    for days, title, queue, state in history:
        with time_machine.travel(now - timedelta(days=days), tick=False):
            ticket = actions.open_ticket(
                actor=colleague if 0.1 < days < 3 else world.customer_a,
                title=title,
                requester_email="",
                text="…",
                type=TicketType.PORTAL,
                queue=queue,
            )
        if state == "waiting":
            continue
        with time_machine.travel(now - timedelta(days=days) + timedelta(hours=3), tick=False):
            actions.answer(actor=supervisor, ticket=ticket, text="Done: please check.")
        if state == "closed":
            actions.close(actor=world.customer_a, ticket=ticket)


def sign_in(page: Page, email: str) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/"))
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill("secret")
    page.get_by_role("button", name="Sign in").click()


def test_a_customer_opens_a_ticket_gets_an_answer_replies_and_closes_it(world, open_page):
    a_customer_desk(world)
    page = open_page()
    sign_in(page, world.customer_a.email)
    expect(page).to_have_url(re.compile(r"/portal/$"))
    expect(page.get_by_role("heading", name="My tickets")).to_be_visible()
    expect(page.locator("#tab-answered .count")).to_contain_text("2")
    page.wait_for_load_state()
    screenshot(page, "portal-tickets")

    page.get_by_role("link", name="New ticket").click()
    page.get_by_label("Subject").fill("Our website shows error 502 since this morning")
    page.get_by_label("Topic").select_option(label="Technical problem")
    page.get_by_text("High", exact=True).click()
    page.get_by_label("How can we help?").fill(
        "Hello,\n\nsince about 8:40 every page of www.acme-web.example answers "
        "“502 Bad Gateway”. We changed nothing yesterday. The error log is attached.\n\nAlice"
    )
    page.get_by_label("Attachments").set_input_files(
        {"name": "error.log", "mimeType": "text/plain", "buffer": b"upstream timed out\n"}
    )
    page.evaluate("document.activeElement.blur()")
    screenshot(page, "portal-new-ticket")
    page.get_by_role("button", name="Send to support").click()

    ticket = Ticket.objects.get(title__startswith="Our website shows error 502")
    expect(page).to_have_url(re.compile(rf"/portal/tickets/{ticket.number}/$"))
    expect(page.locator("#flash")).to_contain_text(f"ticket #{ticket.number} is open")
    expect(page.locator("#ticket-state")).to_have_text("Waiting for support")
    assert (ticket.type, ticket.priority, ticket.queue) == ("portal", 75, world.support)
    first = page.locator(".message").first
    download = page.request.get(
        first.get_by_role("link", name="error.log").get_attribute("href") or ""
    )
    assert download.body() == b"upstream timed out\n"

    # Support answers in the panel (through the actions here) with a file, and an internal note.
    actions.add_note(actor=world.supervisor, ticket=ticket, text="PHP-FPM pool crashed on web3.")
    actions.answer(
        actor=world.supervisor,
        ticket=ticket,
        text="Hello Alice,\n\nthe PHP workers of your server had stopped; we restarted them "
        "and the site answers again. The steps we took are in the file.\n\nKind regards,\nSofia",
        attachments=[upload("what-we-did.txt", b"systemctl restart php-fpm\n")],
    )
    page.reload()
    expect(page.locator("#ticket-state")).to_have_text("Answered")
    answer = page.locator(".message-answer")
    expect(answer).to_contain_text("we restarted them")
    expect(answer).to_contain_text("Sofia Berger")
    expect(page.get_by_text("PHP-FPM pool crashed")).to_have_count(0)
    link = answer.get_by_role("link", name="what-we-did.txt")
    assert (
        page.request.get(link.get_attribute("href") or "").body() == b"systemctl restart php-fpm\n"
    )
    screenshot(page, "portal-ticket")

    page.get_by_label("Your reply").fill("Thank you, it works again!")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("#flash")).to_contain_text("Your reply was sent.")
    expect(page.locator("#ticket-state")).to_have_text("Waiting for support")
    expect(page.locator(".message-mine").last).to_contain_text("it works again")
    assert Message.objects.filter(ticket=ticket).latest("id").source == "portal"

    page.get_by_role("button", name="Close ticket").click()
    expect(page.locator("#ticket-state")).to_have_text("Closed")
    expect(page.locator("#flash")).to_contain_text(f"Ticket #{ticket.number} is closed.")
    ticket.refresh_from_db()
    assert ticket.status == "closed"
    page.get_by_role("link", name="My tickets").first.click()
    page.get_by_role("link", name=re.compile("Closed")).click()
    expect(page.get_by_role("link", name="Our website shows error 502")).to_be_visible()
    page.get_by_label("Sort by").select_option(label="Title, A to Z")
    expect(page).to_have_url(re.compile(r"show=closed.*sort=title"))
    expect(page.locator(".ticket-link").first).to_have_text(
        "Invoice 2038 shows the wrong VAT number"
    )


def test_a_file_too_large_is_refused_in_the_browser_before_anything_is_sent(world, open_page):
    set_helpdesk(max_attachment_size=1024)
    page = open_page(world.customer_a)
    page.goto("/portal/tickets/new/")
    page.get_by_label("Subject").fill("Screenshot attached")
    page.get_by_label("How can we help?").fill("See the picture.")
    page.get_by_label("Attachments").set_input_files(
        {"name": "huge.png", "mimeType": "image/png", "buffer": b"x" * 2048}
    )
    expect(page.locator(".file-check")).to_contain_text("huge.png is 2 KB")
    page.get_by_role("button", name="Send to support").click()
    expect(page).to_have_url(re.compile(r"/portal/tickets/new/$"))
    expect(page.get_by_label("How can we help?")).to_have_value("See the picture.")
    assert not Ticket.objects.exists()


def test_the_portal_needs_no_sideways_scrolling_on_a_375_pixel_phone(world, open_page):
    a_customer_desk(world)
    ticket = actions.open_ticket(
        actor=world.customer_a,
        title="Überweisung vom 3. März wurde doppelt abgebucht und die Rechnung fehlt seitdem",
        requester_email="",
        text="Eine sehr lange Zeile ohne Umbruch: " + "x" * 120,
        type=TicketType.PORTAL,
        attachments=[
            upload("kontoauszug-maerz-2026-mit-sehr-langem-dateinamen-der-nicht-passt.pdf")
        ],
    )
    page = open_page(world.customer_a, width=PHONE_WIDTH, height=800)
    for url in ("/portal/", f"/portal/tickets/{ticket.number}/", "/portal/tickets/new/"):
        page.goto(url)
        expect(page.locator("main h1")).to_be_visible()
        assert scroll_width(page) <= PHONE_WIDTH, url
        assert page.evaluate(UNLABELLED_CONTROLS) == [], url


def test_the_keyboard_reaches_every_part_of_a_new_ticket_and_sends_it(world, open_page):
    page = open_page(world.customer_a)
    page.goto("/portal/tickets/new/")
    page.get_by_label("Subject").focus()
    page.keyboard.type("Keyboard only")
    page.keyboard.press("Tab")  # the priority: normal is chosen
    page.keyboard.press("ArrowRight")  # high
    page.keyboard.press("Tab")
    page.keyboard.type("Typed without a mouse.")
    page.keyboard.press("Tab")  # attachments
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "new-ticket-submit"
    page.keyboard.press("Enter")
    expect(page.locator("#ticket-state")).to_have_text("Waiting for support")
    assert Ticket.objects.get().priority == 75


def test_a_customer_reads_the_portal_in_their_language_and_time_zone(world, open_page):
    a_customer_desk(world)
    page = open_page(world.customer_a, locale="de-DE", timezone_id="Europe/Berlin")
    page.goto("/portal/")
    expect(page.get_by_role("heading", name="Meine Tickets")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.wait_for_load_state()
    screenshot(page, "portal-de")

    page.get_by_role("button", name="Русский").click()
    expect(page.get_by_role("heading", name="Мои обращения")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/portal/$"))

    # My settings: with no zone saved, the browser's is chosen for the customer to confirm.
    page.goto("/portal/settings/")
    expect(page.locator("#id_time_zone")).to_have_value("Europe/Berlin")
    expect(page.locator("#time-zone-detected")).to_be_visible()
    page.locator("#settings-submit").click()
    expect(page.locator("#flash")).to_contain_text("Настройки сохранены.")
    customer = User.objects.get(pk=world.customer_a.pk)
    assert (customer.language, customer.time_zone) == ("ru", "Europe/Berlin")
