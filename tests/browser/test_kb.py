"""The knowledge base in a real browser (S37): staff write and publish an article, a
customer is offered it while typing a new ticket's title, staff link it from an
answer; and the picture of the public help centre for the README."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kb.articles import create_article, publish, save_category
from kb.models import Article, Category, Visibility
from tests.browser.conftest import screenshot
from tests.conftest import SETUP, set_helpdesk
from tickets import actions


def article(
    world, title: str, body: str = "", *, category: Category | None = None, **kw
) -> Article:
    written = create_article(
        editor=world.supervisor,
        title=title,
        body=body,
        category=category,
        visibility=Visibility.INTERNAL if kw.get("internal") else Visibility.PUBLIC,
    )
    return publish(editor=world.supervisor, article=written)


def test_a_supervisor_writes_previews_and_publishes_an_article(world, open_page):
    save_category(editor=world.admin, category=None, name="Email", slug="", order=1)
    page = open_page(world.supervisor)
    page.goto("/panel/")
    page.get_by_role("link", name="Knowledge Base").click()
    page.get_by_role("link", name="New article").click()
    page.get_by_label("Title").fill("Outlook cannot send mail")
    page.get_by_label("Category").select_option(label="Email")
    page.get_by_label("Body").fill("## Check the port\n\nUse **587** with STARTTLS.")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#preview-body")
    expect(preview.get_by_role("heading", name="Check the port")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("587")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#kb-status")).to_have_text("Draft")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#flash")).to_contain_text("Published")
    public_url = page.locator("#kb-public-url").get_attribute("href") or ""

    reader = open_page()
    reader.goto(public_url)
    expect(reader.get_by_role("heading", name="Outlook cannot send mail")).to_be_visible()
    expect(reader.locator("#article-body strong")).to_have_text("587")


def test_a_customer_is_offered_an_article_while_typing_a_title(world, open_page):
    outlook = article(world, "Outlook cannot send mail", "Use port 587 with STARTTLS.")
    article(world, "Outlook escalation runbook", "Call the mail team.", internal=True)
    page = open_page(world.customer_a)
    page.goto("/portal/tickets/new/")
    page.get_by_label("Subject").press_sequentially("Outlook won't send", delay=30)
    suggestions = page.locator("#suggestions")
    link = suggestions.get_by_role("link", name=re.compile("Outlook cannot send mail"))
    expect(link).to_be_visible()
    expect(suggestions).not_to_contain_text("runbook")

    with page.expect_popup() as opened:
        link.click()
    tab = opened.value
    expect(tab.get_by_role("heading", name="Outlook cannot send mail")).to_be_visible()
    tab.close()
    outlook.refresh_from_db()
    assert (outlook.times_suggested, outlook.times_opened) == (1, 1)

    # It did not help: the customer writes the ticket all the same, and that is counted.
    page.get_by_label("How can we help?").fill("Port 587 does not work either.")
    page.get_by_role("button", name="Send to support").click()
    expect(page.locator("#flash, .flash").first).to_contain_text("is open")
    outlook.refresh_from_db()
    assert (outlook.tickets_after_suggestion, outlook.tickets_after_opening) == (1, 1)


def test_staff_insert_a_link_to_a_public_article_into_the_answer(world, open_page):
    invoice = article(world, "Pay an invoice by card", "Open Billing, then Pay.")
    article(world, "Invoice refunds runbook", "Ask the lead.", internal=True)
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(), assignee=world.supervisor)
    page = open_page(world.supervisor)
    page.goto(f"/panel/tickets/{ticket.number}/")
    answer = page.get_by_role("textbox", name="Answer", exact=True)
    answer.fill("Hello,\n\nthis explains it:")
    page.locator("#kb-link summary").click()
    page.get_by_role("searchbox", name="Search the knowledge base").press_sequentially("invoice")
    insert = page.get_by_role("button", name="Insert link to Pay an invoice by card")
    expect(insert).to_be_visible()
    expect(page.locator("#kb-link-results")).to_contain_text(
        "internal: cannot be linked for customers"
    )
    insert.click()
    url = page.evaluate("location.origin") + invoice.get_absolute_url()
    expect(answer).to_have_value(f"Hello,\n\nthis explains it:\nPay an invoice by card: {url}\n")
    # Typing the search saved no draft; inserting the link did, as typing would.
    expect(page.locator("#draft-status")).to_contain_text("Draft saved")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".message-answer")).to_contain_text(url)


def test_without_javascript_the_article_search_opens_in_a_new_tab(world, open_page):
    article(world, "Pay an invoice by card")
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(), assignee=world.supervisor)
    page = open_page(world.supervisor, javascript=False)
    page.goto(f"/panel/tickets/{ticket.number}/")
    page.get_by_role("textbox", name="Answer", exact=True).fill("Typed first.")
    page.locator("#kb-link summary").click()
    page.get_by_role("searchbox", name="Search the knowledge base").fill("invoice")
    with page.expect_popup() as opened:
        page.locator("#kb-link-button").click()
    expect(opened.value.locator("#kb-articles")).to_contain_text("Pay an invoice by card")
    expect(page.get_by_role("textbox", name="Answer", exact=True)).to_have_value("Typed first.")


HELP_CENTRE = [
    (
        "Getting started",
        "Your first steps with hosting, mail and the control panel.",
        [
            "Log in to the control panel for the first time",
            "Point your domain to us",
            "Upload your website with SFTP",
            "Invite a colleague to your account",
        ],
    ),
    (
        "Email",
        "Mailboxes, clients and spam filtering.",
        [
            "Outlook cannot send mail",
            "Set up mail on iPhone and Android",
            "Mail lands in spam: SPF, DKIM and DMARC",
            "Forward mail to another address",
            "Out-of-office replies",
        ],
    ),
    (
        "Domains & DNS",
        "Registration, transfers and records.",
        [
            "Transfer a domain to us",
            "Add a CNAME or TXT record",
            "How long DNS changes take",
        ],
    ),
    (
        "Billing",
        "Invoices, payment methods and refunds.",
        ["Pay an invoice by card", "Change your billing address", "Download old invoices"],
    ),
    (
        "Security",
        "Passwords, two-factor sign-in and backups.",
        ["Turn on two-factor sign-in", "Reset your password", "Restore a backup"],
    ),
    (
        "Для клиентов из России",
        "Статьи на русском языке.",
        ["Как оплатить счёт", "Настройка почты в Thunderbird"],
    ),
]


def test_the_public_help_centre_screenshot(world, open_page):
    for order, (name, description, titles) in enumerate(HELP_CENTRE):
        category = save_category(
            editor=world.admin,
            category=None,
            name=name,
            slug="",
            order=order,
            description=description,
        )
        for title in titles:
            article(world, title, f"{title}: step by step.", category=category)
    article(world, "Internal: escalation rota", internal=True)
    set_helpdesk(company_name="Northwind Hosting")
    for title, opened in [("Outlook cannot send mail", 40), ("Reset your password", 25)]:
        Article.objects.filter(title=title).update(times_suggested=90, times_opened=opened)
    page = open_page(width=1280, height=900)
    page.goto("/kb/")
    expect(page.get_by_role("heading", name="How can we help?")).to_be_visible()
    expect(page.locator("#kb-categories > li")).to_have_count(len(HELP_CENTRE))
    expect(page.locator("body")).not_to_contain_text("escalation rota")
    screenshot(page, "kb")

    phone = open_page(width=375, height=800)
    phone.goto("/kb/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the help centre scrolls sideways on a phone: {width}px"
