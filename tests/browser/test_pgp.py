"""PGP-protected information (S35) in a real browser: a supervisor shows encrypted
text in the dialog and the history says so; the portal's "Encrypt this part"
encrypts with OpenPGP.js, and the panel decrypts what it made."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from crypto import keys
from tests.browser.conftest import screenshot
from tests.conftest import SETUP
from tests.crypto.conftest import DESK_KEY, DESK_PASSPHRASE, encrypt_to
from tickets import actions
from tickets.models import Event, EventCode, Message


def test_a_supervisor_shows_encrypted_text_and_the_history_records_it(world, open_page):
    keys.install(actor=world.admin, armored=DESK_KEY, passphrase=DESK_PASSPHRASE)
    armored = encrypt_to(DESK_KEY, "Root password: correct-horse-battery")
    ticket = world.ticket(
        world.billing, title="Server access", text=f"Here is the access you asked for:\n{armored}"
    )
    ticket = actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)
    page = open_page(world.supervisor, height=1300)  # the dialog's backdrop covers the page
    page.goto(f"/panel/tickets/{ticket.number}/")
    thread = page.locator("#thread")
    expect(thread).not_to_contain_text("BEGIN PGP MESSAGE")
    button = thread.get_by_role("button", name="Show encrypted information")
    expect(button).to_be_visible()

    button.click()
    dialog = page.locator("#decrypted-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#decrypted-text")).to_have_text("Root password: correct-horse-battery")
    screenshot(page, "pgp-reveal")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    # Closed, the dialog keeps nothing of the text.
    expect(page.locator("#decrypted-dialog-body")).to_be_empty()

    page.reload()
    page.locator("details.history summary").click()
    expect(page.locator("#history")).to_contain_text(
        f"{world.supervisor.get_full_name()} was shown encrypted information"
    )
    assert Event.objects.filter(ticket=ticket, code=EventCode.DECRYPTED).count() == 1


def test_the_portal_encrypts_a_part_that_the_panel_can_show(world, open_page):
    keys.install(actor=world.admin, armored=DESK_KEY, passphrase=DESK_PASSPHRASE)
    ticket = world.ticket(world.billing, title="New mailbox")
    customer = open_page(world.customer_a)
    customer.goto(f"/portal/tickets/{ticket.number}/")
    customer.get_by_label("Your reply").fill("Here is the password for the mailbox:")
    customer.locator("#encrypt-toggle").click()
    customer.get_by_label("Sensitive information").fill("mailbox-secret-4711")
    customer.get_by_role("button", name="Encrypt and add to the message").click()
    expect(customer.locator("#encrypt-status")).to_have_text("Encrypted and added to your message.")
    reply = customer.get_by_label("Your reply")
    expect(reply).to_have_value(re.compile(r"-----BEGIN PGP MESSAGE-----"))
    assert "mailbox-secret-4711" not in reply.input_value()
    expect(customer.get_by_label("Sensitive information")).to_have_value("")
    screenshot(customer, "portal-encrypt")
    customer.get_by_role("button", name="Send reply").click()
    expect(customer.locator("#thread, .thread").first).to_contain_text("Here is the password")

    message = Message.objects.filter(ticket=ticket).order_by("-id").first()
    assert message is not None
    assert "-----BEGIN PGP MESSAGE-----" in message.text
    assert "mailbox-secret-4711" not in message.text

    staff = open_page(world.supervisor)
    staff.goto(f"/panel/tickets/{ticket.number}/")
    staff.locator(f"#reveal-{message.pk}-1").click()
    expect(staff.locator("#decrypted-text")).to_have_text("mailbox-secret-4711")


def test_the_public_key_is_published_in_the_portal(world, open_page):
    key = keys.install(actor=world.admin, armored=DESK_KEY, passphrase=DESK_PASSPHRASE)
    page = open_page()
    page.goto("/portal/encryption-key/")
    expect(page.locator("#key-fingerprint")).to_have_text(key.fingerprint.upper())
    expect(page.locator("#public-key")).to_contain_text("BEGIN PGP PUBLIC KEY BLOCK")
    with page.expect_download() as download:
        page.locator("#key-download").click()
    assert download.value.suggested_filename.endswith(".asc")


def test_an_administrator_installs_the_key_and_it_is_never_shown_back(world, open_page):
    page = open_page(world.admin)
    page.goto("/panel/settings/")
    page.locator("#encryption-keys-link").click()
    expect(page.locator("#no-keys")).to_be_visible()
    page.get_by_label("Private key (armored)").fill(DESK_KEY)
    page.get_by_label("Passphrase").fill("not the passphrase")
    page.get_by_role("button", name="Install key").click()
    expect(page.locator("#key-form")).to_contain_text("does not unlock")
    expect(page.get_by_label("Private key (armored)")).to_have_value("")
    expect(page.get_by_label("Passphrase")).to_have_value("")

    page.get_by_label("Private key (armored)").fill(DESK_KEY)
    page.get_by_label("Passphrase").fill(DESK_PASSPHRASE)
    page.get_by_role("button", name="Install key").click()
    expect(page.locator("#flash")).to_contain_text("The key is installed")
    key = keys.current()
    assert key is not None
    expect(page.locator("#encryption-keys")).to_contain_text(key.fingerprint.upper())
    expect(page.locator("#encryption-keys")).to_contain_text("current")
    expect(page.get_by_label("Private key (armored)")).to_have_value("")
    secret_line = DESK_KEY.splitlines()[5]  # of the key's secret material
    assert secret_line not in page.content() and DESK_PASSPHRASE not in page.content()
    screenshot(page, "pgp-key-settings")
