"""Staff in a real browser: an administrator invites a person, who opens the link of
the mail, chooses a password and signs in to the panel.

It also takes the Staff pages' pictures (docs/screenshots/staff*.png).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from accounts.models import User
from mail.models import OutgoingKind, OutgoingMail
from tests.browser.conftest import screenshot

PASSWORD = "correct horse battery staple"


def test_an_administrator_invites_a_person_who_chooses_a_password_and_signs_in(world, open_page):
    page = open_page(world.admin)
    page.goto("/panel/staff/")
    expect(page.get_by_role("heading", name="Staff")).to_be_visible()
    expect(page.get_by_role("link", name="Staff", exact=True)).to_have_attribute(
        "href", "/panel/staff/"
    )
    page.get_by_role("link", name="Invite a person").click()
    page.get_by_label("Full name").fill("Nina Novak")
    page.get_by_label("E-mail").fill("nina@frontdesk.example")
    page.get_by_label("Role").select_option("supervisor")
    page.get_by_label("Sales").check()
    screenshot(page, "staff-invite")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent to nina@frontdesk.example.")).to_be_visible()
    row = page.locator("#staff tr", has_text="nina@frontdesk.example")
    expect(row).to_contain_text("Supervisor")
    expect(row).to_contain_text("Sales")
    expect(row).to_contain_text("invited, no password yet")
    screenshot(page, "staff")
    row.get_by_role("link", name="Nina Novak").click()
    expect(page.get_by_role("heading", name="Nina Novak")).to_be_visible()
    expect(page.get_by_label("Role")).to_have_value("supervisor")
    expect(page.get_by_label("Sales")).to_be_checked()
    expect(page.get_by_role("button", name="Send the invitation again")).to_be_visible()
    screenshot(page, "staff-edit")

    mail = OutgoingMail.objects.get(kind=OutgoingKind.INVITATION, to=["nina@frontdesk.example"])
    link = re.search(r"https?://\S+/welcome/\S+/", mail.text)
    assert link is not None

    nina = open_page()
    nina.goto(urlsplit(link.group(0)).path)
    expect(nina.get_by_role("heading", name="Choose your password")).to_be_visible()
    nina.get_by_label(re.compile(r"^New password:?$")).fill(PASSWORD)
    nina.get_by_label("New password confirmation").fill(PASSWORD)
    screenshot(nina, "staff-welcome")
    nina.get_by_role("button", name="Save the password").click()
    expect(nina).to_have_url(re.compile(r"/login/$"))
    expect(nina.get_by_text("Your password is saved:")).to_be_visible()
    nina.get_by_label("E-mail address").fill("nina@frontdesk.example")
    nina.get_by_label("Password").fill(PASSWORD)
    nina.get_by_role("button", name="Sign in").click()
    expect(nina).to_have_url(re.compile(r"/panel/$"))
    expect(nina.locator(".who")).to_contain_text("Nina Novak")
    assert User.objects.get(email="nina@frontdesk.example").last_login is not None

    # The link was used: opening it again offers no form.
    again = open_page()
    again.goto(urlsplit(link.group(0)).path)
    expect(again.get_by_role("heading", name="This link does not work")).to_be_visible()
