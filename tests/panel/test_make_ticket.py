import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Account
from tests.conftest import set_helpdesk
from tests.panel.helpers import rendered_form
from tickets import hooks
from tickets.models import MessageKind, TicketType
from tickets.visibility import visible_tickets


@pytest.fixture
def confirmations():
    sent: list[bool] = []

    def receiver(sender, ticket, message, send_confirmation, **kwargs):
        sent.append(send_confirmation)

    hooks.ticket_opened.connect(receiver)
    yield sent
    hooks.ticket_opened.disconnect(receiver)


def form(world, **fields):
    return {
        "title": "Migrate my site",
        "requester_email": "alice@a.example",
        "account": "",
        "queue": world.billing.pk,
        "priority": 60,
        "message": "Please move it on Friday.",
        **fields,
    }


def test_staff_make_a_ticket_for_a_customer(world, as_user, confirmations):
    response = as_user(world.supervisor).post("/panel/tickets/new/", form(world))
    ticket = visible_tickets(world.admin).get(title="Migrate my site")
    assert response["Location"] == f"/panel/tickets/{ticket.number}/"
    assert (ticket.type, ticket.queue, ticket.priority) == (TicketType.STAFF, world.billing, 60)
    assert ticket.account == world.account_a
    assert ticket.messages.get().kind == MessageKind.CUSTOMER
    assert confirmations == [True]


def test_send_no_confirmation_is_passed_on(world, as_user, confirmations):
    as_user(world.supervisor).post("/panel/tickets/new/", form(world, no_confirmation="on"))
    assert confirmations == [False]


def test_the_account_is_found_by_external_id_or_name(world, as_user):
    client = as_user(world.admin)
    client.post("/panel/tickets/new/", form(world, title="By id", account="B-1"))
    client.post("/panel/tickets/new/", form(world, title="By name", account="account b"))
    tickets = visible_tickets(world.admin)
    assert tickets.get(title="By id").account == world.account_b
    assert tickets.get(title="By name").account == world.account_b


def test_an_unknown_account_is_shown_on_its_field_and_nothing_is_made(world, as_user):
    response = as_user(world.admin).post("/panel/tickets/new/", form(world, account="Nobody Inc"))
    assert response.status_code == 422
    assert "No account has this name, external id or contact e-mail." in response.content.decode()
    assert not visible_tickets(world.admin).filter(title="Migrate my site").exists()


def test_attachments_go_with_the_first_message_within_the_size_limit(world, as_user):
    set_helpdesk(max_attachment_size=10)
    small = SimpleUploadedFile("a.txt", b"tiny", "text/plain")
    as_user(world.admin).post("/panel/tickets/new/", form(world, attachments=[small]))
    ticket = visible_tickets(world.admin).get(title="Migrate my site")
    assert ticket.messages.get().attachments.get().filename == "a.txt"
    big = SimpleUploadedFile("b.txt", b"far too big", "text/plain")
    response = as_user(world.admin).post(
        "/panel/tickets/new/", form(world, title="Second", attachments=[big])
    )
    assert response.status_code == 422
    assert "the largest attachment accepted is 10\xa0bytes" in response.content.decode()


def test_an_agent_who_makes_a_ticket_they_cannot_see_is_told_its_number(world, as_user):
    response = as_user(world.agent).post("/panel/tickets/new/", form(world), follow=True)
    ticket = visible_tickets(world.admin).get(title="Migrate my site")
    assert response.redirect_chain[-1][0] == "/panel/"
    assert f"Ticket #{ticket.number} made in Billing." in response.content.decode()


def test_the_form_offers_the_normal_priority_and_the_default_queue(world, as_user):
    page = as_user(world.agent).get("/panel/tickets/new/").content.decode()
    assert 'name="priority" value="50"' in page
    assert f'<option value="{world.support.pk}" selected>Support</option>' in page


def test_a_customer_may_not_make_a_ticket_in_the_panel(world, as_user):
    response = as_user(world.customer_a).post("/panel/tickets/new/", form(world))
    assert response.status_code == 403
    assert not visible_tickets(world.admin).filter(title="Migrate my site").exists()


def made_form(client, **typed):
    """Make a Ticket as its page renders it, with ``typed`` filled in."""
    page = client.get("/panel/tickets/new/").content.decode()
    return {**rendered_form(page, "make-ticket-form"), **typed}


def typed_in(world, client, **typed):
    fields = {
        "title": "Migrate my site",
        "requester_email": "alice@a.example",
        "message": "Please move it on Friday.",
        **typed,
    }
    return client.post("/panel/tickets/new/", made_form(client, **fields))


def test_the_account_is_found_by_a_part_of_its_name_as_change_account_finds_it(world, as_user):
    client = as_user(world.admin)
    Account.objects.create(name="Globex Corporation")
    typed_in(world, client, account="globex")
    made = visible_tickets(world.admin).get()
    assert made.account is not None and made.account.name == "Globex Corporation"
    # The ticket page's Change account search finds the same account with the same text.
    ticket = visible_tickets(world.admin).get()
    results = client.get(f"/panel/tickets/{ticket.number}/account/", {"q": "globex"})
    assert "Globex Corporation" in results.content.decode()


def test_an_exact_name_wins_over_names_that_contain_it(world, as_user):
    Account.objects.create(name="Account A Europe")
    typed_in(world, as_user(world.admin), account="account a")
    assert visible_tickets(world.admin).get().account == world.account_a


def test_a_part_found_in_several_accounts_names_them(world, as_user):
    response = typed_in(world, as_user(world.admin), account="Account")
    assert response.status_code == 422
    page = response.content.decode()
    assert "Several accounts match: Account A, Account B." in page
    assert not visible_tickets(world.admin).exists()


def test_a_contacts_address_finds_the_account(world, as_user):
    typed_in(world, as_user(world.admin), account="bob@b.example")
    assert visible_tickets(world.admin).get().account == world.account_b


def test_a_refused_ticket_keeps_the_attachment_and_says_so(world, as_user, media_root):
    client = as_user(world.admin)
    fields = made_form(client, title="", requester_email="alice@a.example", message="See file")
    fields["attachments"] = [SimpleUploadedFile("invoice.pdf", b"%PDF", "application/pdf")]
    response = client.post("/panel/tickets/new/", fields)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="attachments-dropped"' not in page
    assert "attached: invoice.pdf (4\xa0bytes)" in page


def test_a_ticket_typed_in_by_staff_says_who_typed_it_for_whom(world, as_user):
    client = as_user(world.supervisor)
    typed_in(world, client, queue=world.billing.pk)
    ticket = visible_tickets(world.supervisor).get()
    page = client.get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert "typed in by super for alice@a.example" in page
    assert "Customer message</strong>\n            by super" not in page


def test_a_customers_own_message_is_by_the_customer(world, as_user):
    ticket = world.ticket(queue=world.billing)
    page = as_user(world.supervisor).get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert "typed in by" not in page
