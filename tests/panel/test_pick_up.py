import re

from tests.panel.helpers import htmx, refreshed
from tickets import actions


def test_a_supervisor_picks_up_an_unassigned_ticket_in_place(world, as_user):
    ticket = world.ticket(queue=world.billing)
    response = as_user(world.supervisor).post(
        f"/panel/tickets/{ticket.number}/pick-up/", headers=htmx()
    )
    assert response.status_code == 200
    assert "Picked up: yours now." in response.content.decode()
    assert "ticket-picked-up" in response["HX-Trigger"]
    assert refreshed(ticket).assignee == world.supervisor


def test_the_second_supervisor_is_told_who_has_the_ticket(world, as_user):
    ticket = world.ticket()
    actions.pick_up(actor=world.admin, ticket=ticket)
    response = as_user(world.supervisor).post(
        f"/panel/tickets/{ticket.number}/pick-up/", headers=htmx()
    )
    assert response.status_code == 200
    assert "Already picked up by admin." in response.content.decode()
    assert "HX-Trigger" not in response
    assert refreshed(ticket).assignee == world.admin


def test_without_htmx_pick_up_opens_the_ticket(world, as_user):
    ticket = world.ticket()
    response = as_user(world.supervisor).post(f"/panel/tickets/{ticket.number}/pick-up/")
    assert response.status_code == 302
    assert response["Location"] == f"/panel/tickets/{ticket.number}/"


def test_without_htmx_a_lost_pick_up_goes_back_to_the_list_and_says_who_won(world, as_user):
    ticket = world.ticket()
    actions.pick_up(actor=world.admin, ticket=ticket)
    response = as_user(world.supervisor).post(
        f"/panel/tickets/{ticket.number}/pick-up/", follow=True
    )
    assert "Already picked up by admin." in response.content.decode()


def test_an_agent_may_not_pick_up(world, as_user):
    unassigned = world.ticket(queue=world.billing)
    client = as_user(world.agent)
    # An agent does not even see unassigned tickets.
    assert client.post(f"/panel/tickets/{unassigned.number}/pick-up/").status_code == 404
    assert refreshed(unassigned).assignee is None


def test_a_supervisor_may_not_pick_up_a_ticket_of_a_queue_they_are_not_entitled_to(world, as_user):
    ticket = world.ticket(queue=world.sales)
    response = as_user(world.supervisor).post(f"/panel/tickets/{ticket.number}/pick-up/")
    assert response.status_code == 404
    assert refreshed(ticket).assignee is None


def test_a_customer_may_not_pick_up(world, as_user):
    ticket = world.ticket()
    assert (
        as_user(world.customer_a).post(f"/panel/tickets/{ticket.number}/pick-up/").status_code
        == 403
    )
    assert refreshed(ticket).assignee is None


def test_pick_up_needs_a_post(world, as_user):
    ticket = world.ticket()
    assert (
        as_user(world.supervisor).get(f"/panel/tickets/{ticket.number}/pick-up/").status_code == 405
    )
    assert refreshed(ticket).assignee is None


def test_the_my_tickets_list_swapped_in_after_a_pick_up_repeats_no_id_of_the_page(world, as_user):
    # In the browser the picked-up row keeps its notice cell while the "mine"
    # list reloads beside it: the reloaded list must not reuse that cell's id.
    ticket = world.ticket()
    client = as_user(world.supervisor)
    notice = client.post(f"/panel/tickets/{ticket.number}/pick-up/", headers=htmx()).content
    kept = set(re.findall(r'\bid="([^"]+)"', notice.decode()))
    assert f"pick-up-{ticket.number}" in kept
    reloaded = client.get("/panel/tickets/mine/", headers=htmx()).content.decode()
    assert f"#{ticket.number}" in reloaded
    assert kept.isdisjoint(re.findall(r'\bid="([^"]+)"', reloaded))
