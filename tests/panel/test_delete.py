from accounts.actors import MAIL_GATEWAY
from tests.conftest import SETUP
from tests.panel.helpers import refreshed
from tickets import actions
from tickets.visibility import visible_tickets


def test_delete_asks_for_confirmation_and_then_removes_the_ticket(world, as_user):
    ticket = world.ticket(queue=world.billing)
    client = as_user(world.supervisor)
    page = client.get(f"/panel/tickets/{ticket.number}/delete/").content.decode()
    assert f"Delete ticket #{ticket.number} permanently?" in page
    assert visible_tickets(world.admin).filter(number=ticket.number).exists()
    response = client.post(
        f"/panel/tickets/{ticket.number}/delete/", {"expected_version": ticket.version}
    )
    assert response.status_code == 302 and response["Location"] == "/panel/"
    assert not visible_tickets(world.admin).filter(number=ticket.number).exists()


def test_a_ticket_changed_since_the_confirmation_is_not_deleted(world, as_user):
    ticket = world.ticket(queue=world.billing)
    seen = ticket.version
    actions.customer_reply(actor=MAIL_GATEWAY, ticket=ticket, text="Wait, one more thing")
    response = as_user(world.supervisor).post(
        f"/panel/tickets/{ticket.number}/delete/", {"expected_version": seen}
    )
    assert response.status_code == 409
    assert "added a customer message" in response.content.decode()
    assert visible_tickets(world.admin).filter(number=ticket.number).exists()


def test_an_agent_may_not_delete_even_their_own_ticket(world, as_user):
    ticket = world.ticket(queue=world.billing)
    actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)
    ticket = refreshed(ticket)
    client = as_user(world.agent)
    assert client.get(f"/panel/tickets/{ticket.number}/delete/").status_code == 403
    response = client.post(
        f"/panel/tickets/{ticket.number}/delete/", {"expected_version": ticket.version}
    )
    assert response.status_code == 403
    assert visible_tickets(world.admin).filter(number=ticket.number).exists()


def test_a_supervisor_may_not_delete_a_ticket_they_may_not_see(world, as_user):
    ticket = world.ticket(queue=world.sales)
    response = as_user(world.supervisor).post(
        f"/panel/tickets/{ticket.number}/delete/", {"expected_version": ticket.version}
    )
    assert response.status_code == 404
    assert visible_tickets(world.admin).filter(number=ticket.number).exists()


def test_a_customer_may_not_delete(world, as_user):
    ticket = world.ticket()
    response = as_user(world.customer_a).post(
        f"/panel/tickets/{ticket.number}/delete/", {"expected_version": ticket.version}
    )
    assert response.status_code == 403
