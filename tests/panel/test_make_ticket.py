import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import set_helpdesk
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
    assert "No account has this name or external id." in response.content.decode()
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
