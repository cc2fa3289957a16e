"""Pictures of the main pages for the README, taken on a desk with realistic data.

They are saved over the last run's in docs/screenshots/, so they follow the pages.
"""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from accounts.actors import MAIL_GATEWAY
from accounts.models import StaffProfile, User
from tests.browser.conftest import screenshot
from tests.conftest import SETUP, set_helpdesk, upload
from tickets import actions
from tickets.models import Queue, QueueAddress, Ticket, TicketType

PEOPLE = {
    "supervisor": ("Sofia Berger", "Billing lead"),
    "agent": ("Tomás Álvarez", "Second-level support"),
    "other_supervisor": ("Jonas Lindqvist", "Sales lead"),
    "other_agent": ("Mei Tanaka", "Sales support"),
    "admin": ("Amira Haddad", "Administrator"),
}


def name_the_people(world) -> None:
    for role, (full_name, description) in PEOPLE.items():
        user = getattr(world, role)
        User.objects.filter(pk=user.pk).update(full_name=full_name)
        StaffProfile.objects.filter(user=user).update(full_name=full_name, description=description)


def configure_the_queues(world) -> None:
    for queue, addresses in [
        (world.support, ["support@frontdesk.example"]),
        (world.billing, ["billing@frontdesk.example", "rechnung@frontdesk.example"]),
        (world.sales, ["sales@frontdesk.example"]),
    ]:
        for address in addresses:
            QueueAddress.objects.create(queue=queue, email=address)
    Queue.objects.filter(pk=world.billing.pk).update(
        escalation_step=5,
        escalation_interval=timedelta(hours=2),
        new_ticket_response="Thank you for writing to Billing. We answer within one working day.",
        closed_ticket_response="Your billing ticket is closed. Reply to this mail to reopen it.",
    )


def open_ticket(world, title: str, requester: str, text: str, **extra) -> Ticket:
    return actions.open_ticket(
        actor=MAIL_GATEWAY,
        title=title,
        requester_email=requester,
        text=text,
        type=extra.pop("type", TicketType.EMAIL),
        queue=extra.pop("queue", world.support),
        **extra,
    )


def a_realistic_desk(world) -> Ticket:
    """Tickets in several languages; returns the one whose page is photographed."""
    name_the_people(world)
    configure_the_queues(world)
    # Answered tickets stay open a week, as on most desks, instead of closing at once.
    set_helpdesk(auto_close_days=7, support_address="support@frontdesk.example")
    supervisor = User.objects.get(pk=world.supervisor.pk)
    earlier = open_ticket(
        world,
        "Add a second user to our account",
        world.customer_a.email,
        "Could my colleague get access too?",
        account=world.account_a,
        priority=30,
    )
    actions.close(actor=SETUP, ticket=earlier)
    invoice = open_ticket(
        world,
        "Invoice 2041 was charged twice",
        world.customer_a.email,
        "Hello,\n\nmy card was charged twice for invoice 2041 on 3 March. "
        "Could you refund one of the two payments? The bank statement is attached.\n\n"
        "Thanks,\nAlice",
        queue=world.billing,
        account=world.account_a,
        priority=80,
        attachments=[upload("bank-statement-march.pdf", b"%PDF-1.4 statement")],
    )
    actions.assign(actor=SETUP, ticket=invoice, assignee=supervisor)
    actions.answer(
        actor=supervisor,
        ticket=invoice,
        text="Dear Alice,\n\nyou are right: the payment was taken twice. We have refunded "
        "49.00 EUR; it reaches your card within five working days.\n\nKind regards,\nSofia",
    )
    actions.add_note(
        actor=supervisor,
        ticket=invoice,
        text="The payment provider shows two captures of 49.00 EUR; refund 8812 issued.",
    )
    german = open_ticket(
        world,
        "Passwort-Zurücksetzen funktioniert nicht",
        "jonas.weber@kunde.example",
        "Der Link in der E-Mail ist abgelaufen.",
        priority=60,
    )
    actions.assign(actor=SETUP, ticket=german, assignee=supervisor)
    greek = open_ticket(
        world,
        "Πρόβλημα με τη σύνδεση VPN",
        "eleni@pelatis.example",
        "Η σύνδεση διακόπτεται κάθε δέκα λεπτά.",
        priority=50,
    )
    actions.assign(actor=SETUP, ticket=greek, assignee=supervisor)
    actions.answer(actor=supervisor, ticket=greek, text="Could you send us the client log?")
    for title, requester, priority, queue in [
        ("Le site affiche une erreur 502 depuis ce matin", "claire@client.example", 90, None),
        ("Не приходят письма с подтверждением", "olga@klient.example", 70, None),
        ("No puedo descargar la factura de marzo", "lucia@cliente.example", 40, world.billing),
        ("Upgrade to the business plan", "ceo@startup.example", 20, None),
    ]:
        open_ticket(world, title, requester, "…", priority=priority, queue=queue or world.support)
    return invoice


def test_the_main_pages_are_photographed_for_the_readme(world, open_page):
    ticket = a_realistic_desk(world)

    visitor = open_page()
    visitor.goto("/login/")
    screenshot(visitor, "sign-in")

    supervisor = open_page(world.supervisor)
    supervisor.goto("/panel/")
    expect(supervisor.get_by_role("link", name="Le site affiche une erreur 502")).to_be_visible()
    screenshot(supervisor, "home")
    supervisor.goto(f"/panel/tickets/{ticket.number}/")
    expect(supervisor.locator(".message-note")).to_be_visible()
    # Status and priority as labels, the customer beside the thread.
    expect(supervisor.locator("#fact-priority")).to_have_text("80 high")
    expect(supervisor.locator("#customer-panel")).to_contain_text("Add a second user")
    screenshot(supervisor, "ticket")
    supervisor.goto("/panel/tickets/new/")
    screenshot(supervisor, "make-ticket")
    # Refused (no such account): the file chosen is kept and shown, to be sent again.
    supervisor.get_by_label("Title").fill("Refund for invoice 2042")
    supervisor.get_by_label("Customer e-mail").fill("alice@a.example")
    supervisor.get_by_label("Account", exact=True).fill("Nobody Inc")
    supervisor.get_by_label("Message").fill("The customer called: invoice 2042 too.")
    supervisor.get_by_label("Attachments").set_input_files(
        files=[{"name": "call-notes.txt", "mimeType": "text/plain", "buffer": b"Called at 10:15"}]
    )
    supervisor.locator("#make-ticket-submit").click()
    expect(supervisor.locator("#kept-files")).to_contain_text("attached: call-notes.txt (15")
    screenshot(supervisor, "make-ticket-kept")
    supervisor.get_by_label("Account", exact=True).fill("")
    supervisor.locator("#make-ticket-submit").click()
    expect(supervisor.get_by_role("link", name="call-notes.txt")).to_be_visible()

    admin = open_page(world.admin)
    admin.goto("/panel/queues/")
    expect(admin.get_by_text("rechnung@frontdesk.example")).to_be_visible()
    screenshot(admin, "queues")
    admin.goto(f"/panel/queues/{world.billing.pk}/")
    screenshot(admin, "queue-edit")
    admin.goto("/panel/settings/")
    screenshot(admin, "settings")

    phone = open_page(world.supervisor, width=375, height=800)
    phone.goto("/panel/")
    screenshot(phone, "home-375px")
    phone.goto(f"/panel/tickets/{ticket.number}/")
    screenshot(phone, "ticket-375px")

    # The dark theme, as a system set to dark shows it (panel.css, light-dark()).
    dark = open_page(world.supervisor)
    dark.emulate_media(color_scheme="dark")
    dark.goto("/panel/")
    screenshot(dark, "home-dark")
    dark.goto(f"/panel/tickets/{ticket.number}/")
    expect(dark.locator(".message-note")).to_be_visible()
    screenshot(dark, "ticket-dark")
    dark_phone = open_page(world.supervisor, width=375, height=800)
    dark_phone.emulate_media(color_scheme="dark")
    dark_phone.goto("/panel/")
    screenshot(dark_phone, "home-375px-dark")
