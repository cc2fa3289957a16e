"""What staff see of the portal: where a message came from, and the topics they offer."""

from __future__ import annotations

from tests.panel.helpers import rendered_form
from tickets import actions
from tickets.models import Queue, Ticket


def test_the_panel_shows_a_portal_ticket_and_its_messages_as_such(world, as_user):
    ticket = actions.open_ticket(
        actor=world.customer_a,
        title="From the portal",
        requester_email="",
        text="Hi",
        type="portal",
    )
    actions.customer_reply(actor=world.customer_a, ticket=ticket, text="More.")
    html = as_user(world.supervisor).get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert '<dd id="fact-type">Customer portal</dd>' in html
    assert html.count('<span class="source source-portal">via Customer portal</span>') == 2


def test_messages_by_mail_say_so_and_staff_made_ones_say_nothing(world, as_user):
    by_mail = world.ticket()
    made = actions.open_ticket(
        actor=world.supervisor,
        title="Made by staff",
        requester_email=world.customer_a.email,
        text="Phoned in.",
        type="staff",
    )
    client = as_user(world.supervisor)
    assert "via E-mail" in client.get(f"/panel/tickets/{by_mail.number}/").content.decode()
    assert 'class="source' not in client.get(f"/panel/tickets/{made.number}/").content.decode()


def test_an_administrator_offers_a_queue_in_the_portal_under_a_name_of_its_own(world, as_user):
    client = as_user(world.admin)
    url = f"/panel/queues/{world.billing.pk}/"
    page = client.get(url).content.decode()
    data = rendered_form(page, "queue-form")
    data.update(offered_in_portal="on", portal_name="Questions about an invoice")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    queue = Queue.objects.get(pk=world.billing.pk)
    assert (queue.offered_in_portal, queue.portal_name) == (True, "Questions about an invoice")
    again = rendered_form(client.get(url).content.decode(), "queue-form")
    assert (again["offered_in_portal"], again["portal_name"]) == (
        "on",
        "Questions about an invoice",
    )
    html = as_user(world.customer_a).get("/portal/tickets/new/").content.decode()
    assert "Questions about an invoice" in html


def test_a_queue_no_longer_offered_leaves_the_portal(world, as_user):
    Queue.objects.filter(pk=world.billing.pk).update(offered_in_portal=True, portal_name="Bills")
    Queue.objects.filter(pk=world.sales.pk).update(offered_in_portal=True)
    client = as_user(world.admin)
    url = f"/panel/queues/{world.billing.pk}/"
    data = rendered_form(client.get(url).content.decode(), "queue-form")
    del data["offered_in_portal"]
    client.post(url, data)
    html = as_user(world.customer_a).get("/portal/tickets/new/").content.decode()
    assert "Bills" not in html
    assert ">Sales<" in html


def test_the_topic_a_customer_sees_is_the_portal_name_of_an_offered_queue_only(world, as_user):
    Queue.objects.filter(pk=world.billing.pk).update(offered_in_portal=True, portal_name="Bills")
    offered = world.ticket(world.billing, title="Offered")
    hidden = world.ticket(world.sales, title="Internal queue")
    client = as_user(world.customer_a)
    assert (
        'id="ticket-topic">Bills<'
        in client.get(f"/portal/tickets/{offered.number}/").content.decode()
    )
    page = client.get(f"/portal/tickets/{hidden.number}/").content.decode()
    assert "ticket-topic" not in page
    assert "Sales" not in page
    assert Ticket.objects.count() == 2
