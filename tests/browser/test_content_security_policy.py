"""The Content-Security-Policy in a real browser: it refuses what it should, and the
browser tests notice when it does (every flow in tests/browser/ fails on a
violation), and Django's admin works under it."""

from __future__ import annotations

import re

from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS, report_csp_violations
from tests.conftest import upload


def test_a_style_and_a_script_injected_into_a_page_are_refused_and_the_tests_notice(
    world, chromium, live_server
):
    client = Client()
    client.force_login(world.supervisor)
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    name = django_settings.SESSION_COOKIE_NAME
    cookie = client.cookies[name].value
    context.add_cookies([{"name": name, "value": cookie, "url": live_server.url}])
    try:
        page = context.new_page()
        violations: list[str] = []
        report_csp_violations(page, violations)
        page.goto("/panel/")

        page.evaluate(
            """() => {
                const style = document.createElement("style");
                style.textContent = "body { background: rgb(255, 0, 0); }";
                document.head.append(style);
                const script = document.createElement("script");
                script.textContent = "document.body.dataset.injected = 'ran';";
                document.head.append(script);
            }"""
        )

        assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 0, 0)"
        assert page.evaluate("document.body.dataset.injected") is None
        # Console messages arrive on their own; give them a moment.
        for _ in range(100):
            if len(violations) >= 2:
                break
            page.wait_for_timeout(50)
        assert any("style-src" in line for line in violations), violations
        assert any("script-src" in line for line in violations), violations
    finally:
        context.close()


def admin_links(page, pattern: str) -> list[str]:
    hrefs = page.locator("a[href]").evaluate_all("links => links.map(link => link.pathname)")
    return sorted({href for href in hrefs if re.fullmatch(pattern, href)})


def test_the_admin_works_under_the_policy(world, open_page):
    world.ticket(attachments=[upload("notes.txt")])
    page = open_page(world.admin)

    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    changelists = admin_links(page, r"/admin/\w+/\w+/")
    assert len(changelists) >= 8, changelists
    for changelist in changelists:
        page.goto(changelist)
        expect(page.locator("#changelist")).to_be_visible()
        for change_page in admin_links(page, re.escape(changelist) + r"(\d+/change|add)/")[:2]:
            page.goto(change_page)
            expect(page.locator("#content-main form")).to_be_visible()

    # The admin's scripts at work: the action bar and the theme switch.
    page.goto("/admin/accounts/contact/")
    page.locator("input.action-select").first.check()
    expect(page.locator(".action-counter")).to_contain_text("1 of 2 selected")
    page.goto(f"/admin/accounts/user/{world.agent.pk}/change/")
    page.locator("button.theme-toggle").first.click()
    page.goto(f"/admin/accounts/user/{world.agent.pk}/password/")
    expect(page.locator("#id_password1")).to_be_visible()
