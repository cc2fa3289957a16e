"""Two-factor sign-in in a real browser (S47): an agent whose role requires it sets
it up from the secret the page shows, keeps the recovery codes, and signs in
again with the password and the app's code; all under the site's strict CSP."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts import two_factor
from tests.conftest import set_helpdesk
from tests.two_factor_helpers import STEP, code_now


def sign_in_with_password(page: Page, email: str) -> None:
    page.goto("/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill("secret")
    page.get_by_role("button", name="Sign in").click()


def test_an_agent_sets_up_two_factor_sign_in_and_signs_in_with_the_apps_code(world, open_page):
    set_helpdesk(two_factor_agents=True)
    page = open_page()
    # Ticking: the live server and the browser's requests need time to pass.
    with time_machine.travel(timezone.now(), tick=True) as clock:
        sign_in_with_password(page, world.agent.email)
        # The role requires it: the panel sends the agent to set it up first.
        expect(page).to_have_url(re.compile(r"/panel/profile/two-factor/set-up/$"))
        expect(page.get_by_text("set it up to go on working in the panel")).to_be_visible()
        qr = page.get_by_role("img", name="QR code of your two-factor secret for Frontdesk")
        expect(qr).to_be_visible()
        assert qr.evaluate("image => image.complete && image.naturalWidth > 0")
        secret = page.locator("#two-factor-secret").inner_text()
        page.get_by_label("Code from the app").fill(code_now(secret))
        page.get_by_role("button", name="Turn two-factor sign-in on").click()

        expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
        codes = page.locator("#recovery-codes code").all_inner_texts()
        assert len(codes) == 10
        page.get_by_role("link", name="I have kept them: go on").click()
        expect(page.locator("#recovery-codes-left")).to_have_text("Recovery codes left: 10.")
        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(re.compile(r"/login/$"))

        # The code used for the set-up is spent; the app shows the next one 30 s later.
        clock.shift(STEP)
        sign_in_with_password(page, world.agent.email)
        expect(page.get_by_role("heading", name="Your sign-in code")).to_be_visible()
        page.goto("/panel/")
        expect(page).to_have_url(re.compile(r"/login/\?next=/panel/$"))
        sign_in_with_password(page, world.agent.email)
        page.get_by_label("Code").fill(code_now(secret))
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(re.compile(r"/panel/$"))
        expect(page.get_by_role("heading", name="Statistics")).to_be_visible()
        clock.shift(timedelta(seconds=1))
    assert two_factor.recovery_codes_left(world.agent) == 10


def test_a_recovery_code_signs_in_when_the_phone_is_lost(world, open_page):
    app = two_factor.start_set_up(user=world.supervisor)
    codes = two_factor.confirm_set_up(user=world.supervisor, code=code_now(app.secret))
    page = open_page()
    sign_in_with_password(page, world.supervisor.email)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/panel/$"))
    expect(page.get_by_text("You signed in with a recovery code; 9 are left.")).to_be_visible()
